"""Load the demo kabupaten: `posyandu demo` (run by `make run` on every start).

Idempotent: when the demo is already in the database it only prints the logins. It refuses to
run when DEMO_MODE is off, and refuses a database that holds other people's records unless
`--force` is given. After the load it computes the PWS rollups of the window's months (the
bulk load fires no signal), in its own step: a load whose rollups are missing gets them on
the next start.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from posyandu.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD
from posyandu.accounts.models import Membership, Role
from posyandu.demo.build import (
    demo_loaded,
    demo_region_taken,
    load_demo,
    pws_missing,
    pws_refresh,
)
from posyandu.demo.names import KABUPATEN
from posyandu.demo.scale import DEFAULT_SCALE, SCALES
from posyandu.registry.models import Person


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(f"--as-of: {raw!r} is not a date (YYYY-MM-DD)") from exc


# Months of PWS rollups computed after the load: the twelve the dashboard shows.
PWS_MONTHS = 12


class Command(BaseCommand):
    help = "Load the demo kabupaten (development only); print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default=DEFAULT_SCALE)
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--as-of", help="reference date YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--force", action="store_true", help="load even though other persons are recorded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("demo data is for development only: set POSYANDU_DEBUG=1")
        loaded = demo_loaded()
        if loaded is not None:
            self.stdout.write(
                f"The demo kabupaten is already loaded (scale {loaded.get('scale')}, "
                f"seed {loaded.get('seed')}, as of {loaded.get('as_of')}); nothing to do."
            )
            if pws_missing():  # the load finished but its PWS step did not
                scale = SCALES.get(str(loaded.get("scale")), SCALES[DEFAULT_SCALE])
                self._pws(_date(str(loaded["as_of"])), scale.months)
            self._logins()
            return
        self._check_empty(options["force"])
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        scale = SCALES[options["scale"]]
        started = time.perf_counter()
        counts = load_demo(scale=scale, seed=options["seed"], as_of=as_of)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded the demo kabupaten (scale {scale.name}, seed {options['seed']}, "
            f"as of {as_of.isoformat()}) in {seconds:.1f} s:"
        )
        self._counts(counts)
        self._pws(as_of, scale.months)
        self._logins()

    def _pws(self, as_of: dt.date, months: int) -> None:
        # The dashboard shows 12 months; older months: `posyandu manage pws_rebuild --months 24`.
        months = min(months, PWS_MONTHS)
        started = time.perf_counter()
        rows = pws_refresh(as_of=as_of, months=months)
        seconds = time.perf_counter() - started
        self.stdout.write(f"PWS rollups of {months} months: {rows} rows in {seconds:.1f} s")

    def _check_empty(self, force: bool) -> None:
        if demo_region_taken(KABUPATEN[0]):
            raise CommandError(
                f"region {KABUPATEN[0]} already exists but holds no demo load; "
                "use an empty database for the demo"
            )
        persons = Person.objects.count()
        if persons and not force:
            raise CommandError(
                f"the database already holds {persons} persons that are not demo data; "
                "use an empty database, or --force to add the demo beside them"
            )

    def _counts(self, counts: Mapping[str, int]) -> None:
        for label, rows in sorted(counts.items()):
            self.stdout.write(f"  {label:<28} {rows:>8}")
        self.stdout.write(f"  {'total':<28} {sum(counts.values()):>8}")

    def _logins(self) -> None:
        places = {
            m.user.username: m
            for m in Membership.objects.select_related("user", "facility", "region").filter(
                user__username__in=[login.username for login in DEMO_LOGINS]
            )
        }
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            membership = places.get(login.username)
            if membership is None:
                continue
            place = membership.facility or membership.region
            role = Role(membership.role).label
            self.stdout.write(f"  {login.username:<16} {role!s:<24} {place}")
