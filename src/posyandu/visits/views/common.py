"""What the pages of the posyandu day share: finding the day and the visit (404 outside the
user's scope), the step bar, and service errors shown on the form field they name."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu.visits import selectors
from posyandu.visits.models import ServiceDay, Visit
from posyandu.visits.selectors import Visitor
from posyandu.web.labels import age_text, stage_words

# The five steps (lima langkah): the visit's time field, the words, the page of the step.
STEPS: tuple[tuple[str, Any, str | None], ...] = (
    ("registered_at", _("Registration"), None),
    ("measured_at", _("Weighing and measuring"), "visits:measure"),
    ("recorded_at", _("Recording"), "visits:record"),
    ("served_at", _("Health services"), "visits:services"),
    ("counselled_at", _("Counselling"), "visits:counsel"),
)
# One short word per step for the step bar: five full names do not fit side by side on a phone.
SHORT_LABELS = {
    "registered_at": _("Check-in"),
    "measured_at": _("Weigh"),
    "recorded_at": _("Record"),
    "served_at": _("Services"),
    "counselled_at": _("Counsel"),
}


def is_htmx(request: HttpRequest) -> bool:
    """Return whether the request came from HTMX (a partial page is wanted)."""
    return request.headers.get("HX-Request") == "true"


def day_or_404(request: HttpRequest, uuid: uuid_lib.UUID) -> ServiceDay:
    """Return the day if the user may see it, else raise Http404."""
    try:
        return selectors.service_day_get(user=request.user, uuid=uuid)
    except ServiceDay.DoesNotExist:
        raise Http404("no such service day in scope") from None


def visitor_or_404(
    request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID
) -> tuple[ServiceDay, Visitor]:
    """Return the day and the visitor of `visit_uuid` on it, else raise Http404."""
    day = day_or_404(request, uuid)
    try:
        return day, selectors.visitor_get(user=request.user, service_day=day, uuid=visit_uuid)
    except Visit.DoesNotExist:
        raise Http404("no such visit on this day") from None


def step_bar(visit: Visit, current: str) -> list[dict[str, Any]]:
    """Return the five steps with their done time, link and whether each is the current one."""
    bar = []
    for number, (field, label, url_name) in enumerate(STEPS, start=1):
        url = None
        if url_name is not None:
            url = reverse(url_name, args=[visit.service_day.uuid, visit.uuid])
        bar.append(
            {
                "number": number,
                "label": label,
                "short": SHORT_LABELS[field],
                "done_at": getattr(visit, field),
                "url": url,
                "current": field == current,
            }
        )
    return bar


def next_step_url(visit: Visit) -> str:
    """Return the page of the first step not done yet (the results page when all are)."""
    for field, _label, url_name in STEPS:
        if url_name is not None and getattr(visit, field) is None:
            return reverse(url_name, args=[visit.service_day.uuid, visit.uuid])
    return reverse("visits:record", args=[visit.service_day.uuid, visit.uuid])


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the fields it names (else above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def visit_context(visitor: Visitor, current: str, **extra: Any) -> dict[str, Any]:
    """Return what every step page shows: the person, her age and stages, the step bar."""
    assessment = visitor.assessment
    return {
        "visitor": visitor,
        "person": visitor.person,
        "visit": visitor.visit,
        "day": visitor.visit.service_day,
        "assessment": assessment,
        "age": age_text(assessment.age) if assessment else "",
        "stages": stage_words(assessment.stages) if assessment else [],
        "steps": step_bar(visitor.visit, current),
        **extra,
    }


def visitor_row(visitor: Visitor) -> dict[str, Any]:
    """Return what a list row shows of a visitor: name, age, stages, services due, visit."""
    assessment = visitor.assessment
    return {
        "person": visitor.person,
        "visit": visitor.visit,
        "came": visitor.came,
        "age": age_text(assessment.age) if assessment else "",
        "stages": stage_words(assessment.stages) if assessment else [],
        "services_due": len(assessment.services_due) if assessment else 0,
        "refer": bool(assessment and assessment.refer),
    }
