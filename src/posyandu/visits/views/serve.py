"""Step 4 of a visit: the services due from `assess` as checkboxes (nakes-only ones disabled for
a kader), the immunisations due (given by the nakes; recorded by her or, at a posyandu day, by the
kader), and "Rujuk" with the referral reasons pre-filled."""

from __future__ import annotations

import uuid as uuid_lib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.accounts.scope import AnyUser, is_nakes
from posyandu.referrals.forms import ReferralIssueForm
from posyandu.referrals.services import referral_issue
from posyandu.visits import selectors, services
from posyandu.visits.access import may_record_immunization
from posyandu.visits.forms import ServicesForm
from posyandu.visits.selectors import Visitor
from posyandu.visits.views.common import add_service_errors, visit_context, visitor_or_404
from posyandu.web.labels import DOSE_STATUSES, vaccine_label

# Services of the package that other steps record: the measurements (step 2), the KMS (step 3),
# counselling (step 5), the referral letter ("Rujuk") and immunisation (its own list).
RECORDED_ELSEWHERE = frozenset(
    {
        "weigh",
        "measure_length_height",
        "measure_head_circumference",
        "measure_muac",
        "measure_waist",
        "bp_check",
        "blood_glucose_check",
        "hb_screening",
        "plot_growth_chart",
        "counselling",
        "referral_letter",
        "immunization_check",
    }
)


def _service_rows(user: AnyUser, visitor: Visitor, given: frozenset[str]) -> list[dict[str, Any]]:
    if visitor.assessment is None:
        return []
    nakes = is_nakes(user)
    return [
        {
            "code": due.code,
            "label": due.label,
            "by_nakes": due.by == "nakes",
            "given": due.code in given,
            "enabled": due.code not in given and (nakes or due.by != "nakes"),
        }
        for due in visitor.assessment.services_due
        if due.code not in RECORDED_ELSEWHERE
    ]


def _vaccine_rows(user: AnyUser, visitor: Visitor) -> list[dict[str, Any]]:
    if visitor.assessment is None:
        return []
    recorder = may_record_immunization(user, visitor.visit)
    return [
        {
            "code": dose.vaccine,
            "label": vaccine_label(dose.vaccine),
            "status": DOSE_STATUSES.get(dose.status),
            "due_date": dose.due_date,
            "enabled": recorder and dose.status != "missed",
        }
        for dose in visitor.assessment.immunizations_due
    ]


def _page(request: HttpRequest, visitor: Visitor, **forms: Any) -> Any:
    facts = selectors.visit_facts(visit=visitor.visit)
    service_rows = _service_rows(request.user, visitor, facts.service_codes)
    vaccine_rows = _vaccine_rows(request.user, visitor)
    form = forms.get("form") or ServicesForm(
        services=[row["code"] for row in service_rows if row["enabled"]],
        vaccines=[row["code"] for row in vaccine_rows if row["enabled"]],
    )
    assessment = visitor.assessment
    refer_form = forms.get("refer_form") or ReferralIssueForm(
        findings=list(assessment.findings) if assessment else [],
        initial={"reasons": list(assessment.referral_reasons) if assessment else []},
    )
    context = visit_context(
        visitor,
        "served_at",
        form=form,
        refer_form=refer_form,
        service_rows=service_rows,
        vaccine_rows=vaccine_rows,
        vaccines_given=[(dose, vaccine_label(dose.vaccine)) for dose in facts.vaccines],
        referrals=facts.referrals,
        is_nakes=is_nakes(request.user),
        may_record_doses=may_record_immunization(request.user, visitor.visit),
    )
    return render(request, "visits/visit_services.html", context)


def _give(user: AnyUser, visitor: Visitor, data: dict[str, Any]) -> None:
    """Record every ticked service and vaccine, all or none."""
    token: uuid_lib.UUID = data["token"]
    with transaction.atomic():
        for code in data["services"]:
            services.service_record(
                user=user, uuid=uuid_lib.uuid5(token, code), visit=visitor.visit, code=code
            )
        for vaccine in data["vaccines"]:
            services.immunization_record(
                user=user,
                uuid=uuid_lib.uuid5(token, f"vaccine:{vaccine}"),
                visit=visitor.visit,
                vaccine=vaccine,
                batch=data["batch"],
            )


@login_required
def visit_services(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Step 4: record the services and vaccines given, then go on to counselling."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    if request.method != "POST":
        return _page(request, visitor)
    facts = selectors.visit_facts(visit=visitor.visit)
    service_rows = _service_rows(request.user, visitor, facts.service_codes)
    form = ServicesForm(
        request.POST,
        services=[row["code"] for row in service_rows if row["enabled"]],
        vaccines=[row["code"] for row in _vaccine_rows(request.user, visitor) if row["enabled"]],
    )
    if form.is_valid():
        try:
            _give(request.user, visitor, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("visits:counsel", uuid=uuid, visit_uuid=visit_uuid)
    return _page(request, visitor, form=form)


@login_required
@require_POST
def visit_refer(request: HttpRequest, uuid: uuid_lib.UUID, visit_uuid: uuid_lib.UUID) -> Any:
    """Refer the person from this visit ("Rujuk"), with the reasons the kader kept ticked."""
    _day, visitor = visitor_or_404(request, uuid, visit_uuid)
    findings = list(visitor.assessment.findings) if visitor.assessment else []
    form = ReferralIssueForm(request.POST, findings=findings)
    if form.is_valid():
        try:
            referral = referral_issue(
                user=request.user,
                uuid=form.cleaned_data["uuid"],
                person=visitor.person,
                visit=visitor.visit,
                reasons=form.cleaned_data["reasons"],
                urgency=form.cleaned_data["urgency"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Referral sent to %(place)s.") % {"place": referral.to_facility}
            )
            return redirect("visits:services", uuid=uuid, visit_uuid=visit_uuid)
    return _page(request, visitor, refer_form=form)
