"""The sync API of the offline kader app (docs/adr/0008): snapshot down, events up.

Session authentication (`django_auth`), which in django-ninja also checks the CSRF token on
unsafe methods: the phone sends the `X-CSRFToken` header with the POST.
"""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.security import django_auth

from posyandu.regions.models import Facility
from posyandu.sync import selectors, services

router = Router(tags=["sync"], auth=django_auth)


class EventsIn(Schema):
    device: uuid_lib.UUID
    events: list[Any]


@router.get("/snapshot", response=dict[str, Any])
@decorate_view(gzip_page)  # ~17x smaller on the wire (JSON of names and numbers; no secret)
def snapshot(
    request: HttpRequest, posyandu: uuid_lib.UUID, since: str | None = None
) -> dict[str, Any]:
    """Return the posyandu's rows for the phone (all, or what changed after `since`)."""
    try:
        facility = selectors.posyandu_get(user=request.user, uuid=posyandu)
    except Facility.DoesNotExist:
        raise HttpError(404, _("Posyandu not found.")) from None
    try:
        return selectors.snapshot(user=request.user, posyandu=facility, since=since)
    except selectors.BadCursor:
        raise HttpError(422, _("Cursor: '%(value)s' is not valid.") % {"value": since}) from None


@router.post("/events", response=dict[str, Any])
def events(request: HttpRequest, payload: EventsIn) -> dict[str, Any]:
    """Apply the phone's events; one result per event, in the order sent."""
    try:
        results = services.events_ingest(
            user=request.user, device=payload.device, events=payload.events
        )
    except services.BatchError as exc:
        raise HttpError(422, str(exc)) from None
    return {"results": results, "cursor": selectors.new_cursor()}
