"""What the person pages share: the scope gate and the HTMX partial switch.

Roles without personal data (desa officials, Pokjanal, users not placed in the jejaring) get
403 on the list and registration pages, with a page saying their role sees aggregate figures
only: an empty list would read as "nobody is registered". A person's own pages answer 404 to
them, as to anyone outside the person's scope, so a record's existence never leaks.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from posyandu.accounts.scope import posyandu_for
from posyandu.regions.models import Facility


def personal_scope(request: HttpRequest) -> list[Facility]:
    """Return the posyandu whose persons the user may see (empty: no personal data)."""
    return list(posyandu_for(request.user))


def no_personal_data(request: HttpRequest) -> HttpResponse:
    """Answer 403 with a page saying this role sees aggregate figures only."""
    return render(request, "registry/no_personal_data.html", status=403)


def is_htmx(request: HttpRequest) -> bool:
    """Return True for an HTMX request that wants a fragment (not a history restore)."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get(
        "HX-History-Restore-Request"
    )
