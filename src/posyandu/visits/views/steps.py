"""Pages of one visit, one step per screen: measure (2), results and recording (3), health
services and referral (4), counselling (5). Step 1 is the check-in on the day page."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.visits import services
from posyandu.visits.forms import (
    FIELD_ORDER,
    CounsellingForm,
    MeasurementForm,
    measurement_fields,
)
from posyandu.visits.models import Measurement
from posyandu.visits.selectors import Visitor
from posyandu.visits.topics import topics_in_force
from posyandu.visits.views.common import (
    add_service_errors,
    next_step_url,
    visit_context,
    visitor_or_404,
)
from posyandu.web.labels import INDICATORS, TRENDS, class_look, finding_look


@login_required
def visit_start(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Go to the first step of the visit not done yet."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    return redirect(next_step_url(visitor.visit))


def _measure_form(request: HttpRequest, visitor: Visitor, data: Any = None) -> MeasurementForm:
    visit = visitor.visit
    fields = measurement_fields(visitor.assessment) if visitor.assessment else list(FIELD_ORDER)
    check_url = reverse("visits:measure_check", args=[visit.service_day.uuid, visit.uuid])
    return MeasurementForm(
        data, fields=fields, check_url=check_url, initial=_correcting(request, visitor)
    )


def _original(request: HttpRequest, visitor: Visitor) -> Measurement | None:
    """Return the measurement being corrected (`?koreksi=<uuid>` or the posted `original`)."""
    raw = request.POST.get("original") or request.GET.get("koreksi")
    if not raw:
        return None
    try:
        return Measurement.objects.get(uuid=raw, visit=visitor.visit, superseded_by__isnull=True)
    except (Measurement.DoesNotExist, ValidationError, ValueError):
        raise Http404("no such measurement to correct on this visit") from None


def _correcting(request: HttpRequest, visitor: Visitor) -> dict[str, Any]:
    original = _original(request, visitor)
    if original is None:
        return {}
    return {name: getattr(original, name) for name in FIELD_ORDER}


@login_required
def visit_measure(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Step 2: the measurements that apply to the person; a correction when `?koreksi=`."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    original = _original(request, visitor)
    form = _measure_form(request, visitor, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if original is None:
                services.measurement_record(
                    user=request.user,
                    uuid=form.cleaned_data["token"],
                    visit=visitor.visit,
                    values=form.values(),
                )
            else:
                values = {name: form.cleaned_data.get(name) for name in form.fields}
                values.pop("token")
                services.measurement_correct(
                    user=request.user,
                    uuid=form.cleaned_data["token"],
                    original=original,
                    values=values,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("visits:record", uuid=uuid, visit_uuid=visit_uuid)
    context = visit_context(visitor, "measured_at", form=form, original=original)
    return render(request, "visits/visit_measure.html", context)


@login_required
@require_POST
def measure_check(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Check one measurement field as it is left (HTMX); answer its error, or nothing."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    form = _measure_form(request, visitor, request.POST)
    name = request.headers.get("HX-Trigger-Name", "")
    form.is_valid()
    errors = form.errors.get(name, []) if name in form.fields else []
    return render(request, "visits/_field_errors.html", {"errors": errors})


def _growth_rows(visitor: Visitor) -> list[dict[str, Any]]:
    assessment = visitor.assessment
    if assessment is None:
        return []
    rows = []
    for indicator, label in INDICATORS.items():
        status = assessment.growth.get(indicator)
        if status is not None:
            rows.append(
                {
                    "indicator": label,
                    "value": status.value,
                    "is_muac": indicator == "muac",
                    "look": class_look(status.class_code),
                }
            )
    return rows


def _other_findings(visitor: Visitor) -> list[Any]:
    """Return the looks of the findings that are not a growth class (shown by the rows)."""
    assessment = visitor.assessment
    if assessment is None:
        return []
    reasons = set(assessment.referral_reasons)
    return [
        finding_look(code, refers=code in reasons)
        for code in assessment.findings
        if code.partition(".")[0] not in INDICATORS or code == "muac.chronic_energy_deficiency"
    ]


@login_required
def visit_record(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Step 3: the results (growth classes, KMS trend, findings); mark them written down."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    if request.method == "POST":
        try:
            services.visit_mark_recorded(user=request.user, visit=visitor.visit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("visits:record", uuid=uuid, visit_uuid=visit_uuid)
        return redirect("visits:services", uuid=uuid, visit_uuid=visit_uuid)
    trend = visitor.assessment.weight_trend if visitor.assessment else None
    measurements = Measurement.objects.filter(
        visit=visitor.visit, superseded_by__isnull=True
    ).order_by("pk")
    context = visit_context(
        visitor,
        "recorded_at",
        rows=_growth_rows(visitor),
        trend=TRENDS.get(trend) if trend else None,
        findings=_other_findings(visitor),
        measurements=list(measurements),
    )
    return render(request, "visits/visit_record.html", context)


@login_required
def visit_counsel(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Step 5: the counselling topics for the person's stages; then back to the day."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    visit = visitor.visit
    stages = visitor.assessment.stages if visitor.assessment else ()
    catalogue = topics_in_force(visit.date)
    topics = catalogue.for_stages(stages) or list(catalogue.topics)
    data = request.POST if request.method == "POST" else None
    initial = {"topics": visit.counselling_topics}
    form = CounsellingForm(data, topics=[(t.code, t.label) for t in topics], initial=initial)
    if data is not None and form.is_valid():
        try:
            services.counselling_record(
                user=request.user, visit=visit, topics=form.cleaned_data["topics"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s: the five steps are done.") % {"name": visitor.person.name}
            )
            return redirect("visits:day", uuid=uuid)
    context = visit_context(visitor, "counselled_at", form=form)
    return render(request, "visits/visit_counsel.html", context)
