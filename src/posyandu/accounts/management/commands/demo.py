"""Build the demo data set: `posyandu demo` (run by `make run` on an empty database)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from posyandu.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo logins (one per role). Refuses to run when POSYANDU_DEBUG is off."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo data is for development only: set POSYANDU_DEBUG=1")
        with transaction.atomic():
            for login in DEMO_LOGINS:
                group, _ = Group.objects.get_or_create(name=login.role)
                user, created = User.objects.get_or_create(username=login.username)
                if created:
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                user.groups.add(group)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<16} {login.label}")
