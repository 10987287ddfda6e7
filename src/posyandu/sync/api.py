"""The sync API of the offline kader app (docs/adr/0008): snapshot down, events up.

Session authentication (`django_auth`), which in django-ninja also checks the CSRF token on
unsafe methods: the phone sends the `X-CSRFToken` header with the POST.
"""

from __future__ import annotations

import json
import uuid as uuid_lib
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from ninja import Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.security import django_auth

from posyandu.regions.models import Facility
from posyandu.sync import selectors, services

router = Router(tags=["sync"], auth=django_auth)


@router.get("/snapshot", response=dict[str, Any])
@decorate_view(gzip_page)  # ~17x smaller on the wire (JSON of names and numbers; no secret)
def snapshot(
    request: HttpRequest, posyandu: uuid_lib.UUID, since: str | None = None, worklist: bool = True
) -> dict[str, Any]:
    """Return the posyandu's rows for the phone (all, or what changed after `since`); the
    home-visit worklist too, unless `worklist=false` on an incremental download."""
    try:
        facility = selectors.posyandu_get(user=request.user, uuid=posyandu)
    except Facility.DoesNotExist:
        raise HttpError(404, _("Posyandu not found.")) from None
    try:
        return selectors.snapshot(
            user=request.user, posyandu=facility, since=since, worklist=worklist
        )
    except selectors.BadCursor:
        raise HttpError(422, _("Cursor: '%(value)s' is not valid.") % {"value": since}) from None


class _AnswerThenRefresh(JsonResponse):
    """The answer to an upload; when the server has sent it (`close`), the PWS rollups its
    events changed are refreshed: the idempotent task right after the write that keeps the
    PWS live (docs/ARCHITECTURE.md, decision 8), which the phone need not wait for."""

    def __init__(self, data: dict[str, Any], applied: services.Applied) -> None:
        super().__init__(data)
        self._applied: services.Applied | None = applied

    def close(self) -> None:
        applied, self._applied = self._applied, None
        try:
            if applied is not None:
                applied.refresh_rollups()
        finally:
            super().close()


# The body, for the OpenAPI page (it is read by the view, see `events`).
_EVENTS_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["device", "events"],
                "properties": {
                    "device": {"type": "string", "format": "uuid"},
                    "events": {
                        "type": "array",
                        "maxItems": services.MAX_EVENTS,
                        "items": {"type": "object"},
                    },
                },
            }
        }
    },
}


@router.post("/events", response=dict[str, Any], openapi_extra={"requestBody": _EVENTS_BODY})
def events(request: HttpRequest) -> HttpResponse:
    """Apply the phone's events; one result per event, in the order sent.

    The body `{"device": "<uuid>", "events": [...]}` is read here and checked by the service,
    not declared as a schema: a malformed upload is answered 422 with the reason in Bahasa
    Indonesia (`BatchError`), which the phone shows, not with the framework's English list.
    """
    try:
        body = json.loads(request.body)
    except ValueError:  # not JSON, or not UTF-8
        body = None
    if not isinstance(body, dict):
        raise HttpError(422, _("The upload is not a JSON object with 'device' and 'events'."))
    try:
        applied = services.events_apply(
            user=request.user, device=body.get("device"), events=body.get("events")
        )
    except services.BatchError as exc:
        raise HttpError(422, str(exc)) from None
    return _AnswerThenRefresh(
        {"results": applied.results, "cursor": selectors.new_cursor()}, applied
    )
