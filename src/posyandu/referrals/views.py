"""Referral pages: the inbox (nakes) or my referrals (kader), one referral, issuing one."""

from __future__ import annotations

import logging
import uuid as uuid_lib
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.accounts.scope import is_nakes, posyandu_for
from posyandu.core.errors import InputError
from posyandu.referrals import policy, selectors, services
from posyandu.referrals.forms import FeedbackForm, ReferralIssueForm
from posyandu.referrals.models import Referral
from posyandu.registry.models import Person
from posyandu.registry.selectors import person_assessment, person_get
from posyandu.web.labels import reason_rows

logger = logging.getLogger(__name__)


PAGE_SIZE = 50  # rows per page of a referral list: quick on a cheap phone


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Show a nakes her inbox, and a kader the referrals of her posyandu with their answers."""
    if is_nakes(request.user):
        referrals = selectors.inbox_referrals(request.user)
        mode = "inbox"
    elif posyandu_for(request.user).exists():
        referrals = selectors.kader_referrals(request.user)
        mode = "kader"
    else:
        raise PermissionDenied("no personal data for this role")
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("halaman"))
    rows = selectors.referral_rows(page.object_list, timezone.localdate())
    context = {
        "items": [(row, reason_rows(row.referral.reasons)) for row in rows],
        "mode": mode,
        "overdue_days": selectors.UNANSWERED_DAYS,
        "page": page,
    }
    return render(request, "referrals/list.html", context)


@login_required
def referral_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Show one referral: the person, her reasons, its steps, and what the user may do now."""
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    return _detail(request, referral, FeedbackForm())


def _detail(request: HttpRequest, referral: Referral, form: FeedbackForm) -> HttpResponse:
    age_days = (timezone.localdate() - referral.issued_on).days
    waiting = referral.status in policy.OPEN
    context = {
        "referral": referral,
        "reasons": reason_rows(referral.reasons),
        "actions": policy.allowed_actions(request.user, referral),
        "age_days": age_days,
        "waiting": waiting,
        "overdue": waiting and age_days > selectors.UNANSWERED_DAYS,
        "feedback_form": form,
    }
    return render(request, "referrals/detail.html", context)


@login_required
def referral_issue(request: HttpRequest, person_uuid: uuid_lib.UUID) -> HttpResponse:
    """Refer a person: her findings today are offered as reasons, the referable ones ticked."""
    person = person_get(user=request.user, uuid=person_uuid)
    if not policy.may_issue(request.user, person):
        raise PermissionDenied("only kader and nakes refer")
    findings, referable = _findings(person)
    if request.method == "POST":
        form = ReferralIssueForm(request.POST, findings=findings)
        if form.is_valid():
            try:
                referral = services.referral_issue(
                    user=request.user,
                    uuid=form.cleaned_data["uuid"],
                    person=person,
                    reasons=form.cleaned_data["reasons"],
                    urgency=form.cleaned_data["urgency"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(
                    request, _("Referral sent to %(place)s.") % {"place": referral.to_facility}
                )
                return redirect("referrals:detail", uuid=referral.uuid)
    else:
        form = ReferralIssueForm(findings=findings, initial={"reasons": referable})
    context = {"person": person, "form": form, "to_facility": person.posyandu.parent}
    return render(request, "referrals/issue.html", context)


def _findings(person: Person) -> tuple[list[str], list[str]]:
    """Return the person's findings today and those that call for a referral."""
    try:
        assessment = person_assessment(person=person, as_of=timezone.localdate())
    except InputError:
        # Records that cannot be assessed still leave the observed reasons to refer for.
        logger.warning("referral: person %s cannot be assessed", person.uuid)
        return [], []
    return list(assessment.findings), list(assessment.referral_reasons)


def _step(action: Callable[..., Referral]) -> Callable[[HttpRequest, uuid_lib.UUID], HttpResponse]:
    """Build the view of one step (receive, handle, close): POST, then back to the referral."""

    @login_required
    @require_POST
    def view(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
        referral = selectors.referral_get(user=request.user, uuid=uuid)
        try:
            action(user=request.user, referral=referral)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        return redirect("referrals:detail", uuid=referral.uuid)

    view.__doc__ = f"Take the step '{action.__name__}' and show the referral again."
    return view


referral_receive = _step(services.referral_receive)
referral_handle = _step(services.referral_handle)
referral_close = _step(services.referral_close)


@login_required
@require_POST
def referral_feedback(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Send the facility's answer to the kader."""
    referral = selectors.referral_get(user=request.user, uuid=uuid)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.referral_feedback(
                user=request.user, referral=referral, feedback=form.cleaned_data["feedback"]
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Feedback sent to the kader."))
            return redirect("referrals:detail", uuid=referral.uuid)
    return _detail(request, referral, form)
