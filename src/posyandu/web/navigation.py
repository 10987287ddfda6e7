"""The main menu: the sections a user's role may open, in the order of a posyandu month."""

from __future__ import annotations

from typing import NamedTuple

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import (
    AGGREGATE_ONLY_ROLES,
    NAKES_ROLES,
    POKJANAL_PAGE_ROLES,
    WORKER_ROLES,
)
from posyandu.accounts.scope import role_of


class MenuItem(NamedTuple):
    url_name: str
    label: Promise
    roles: frozenset[str] | None = None  # None: every role that sees this part of the menu


# Sections with personal data; roles that see aggregates only get the aggregate part alone.
PERSONAL_SECTIONS = (
    MenuItem("visits:day_list", _("Service days")),
    MenuItem("registry:search", _("Residents")),
    MenuItem("referrals:list", _("Referrals")),
    MenuItem("outreach:worklist", _("Home visits"), WORKER_ROLES),
    MenuItem("kaders:list", _("Kader")),
    MenuItem("offline:shell", _("Offline app"), WORKER_ROLES),
    MenuItem("sync:reviews", _("Review of offline data"), NAKES_ROLES),
)
AGGREGATE_SECTIONS = (
    MenuItem("pws:dashboard", _("Village dashboard")),
    MenuItem("reports:chooser", _("Reports")),
    # Roll-out, strata, decisions: for the roles that coordinate posyandu.
    MenuItem("pokjanal:overview", _("Pokjanal"), POKJANAL_PAGE_ROLES),
)


def menu(request: HttpRequest) -> dict[str, object]:
    """Add `menu`, a list of (url, label, active) for the user's role, to every template."""
    role = role_of(request.user) if hasattr(request, "user") else None
    if role is None:
        return {"menu": []}
    sections = AGGREGATE_SECTIONS
    if role not in AGGREGATE_ONLY_ROLES:
        sections = PERSONAL_SECTIONS + AGGREGATE_SECTIONS
    items = []
    for item in sections:
        if item.roles is not None and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a section not installed in this deployment
            continue
        items.append((url, item.label, request.path.startswith(url)))
    return {"menu": items}
