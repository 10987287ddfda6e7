"""Pages of the day itself: the list of days, one day (who is expected, who came, check-in),
and closing the day (kader check, nakes confirmation, summary, absentees)."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.accounts.scope import is_nakes
from posyandu.core.rulebook import rule_in_force
from posyandu.regions.models import Facility
from posyandu.registry.selectors import person_get
from posyandu.visits import selectors, services
from posyandu.visits.access import posyandu_run_by, works_at
from posyandu.visits.forms import ScheduleForm
from posyandu.visits.models import ServiceDay
from posyandu.visits.views.common import (
    add_service_errors,
    day_or_404,
    is_htmx,
    next_step_url,
    visitor_row,
)
from posyandu.web.labels import stage_label

# The registry's "new person" page (/warga/baru/); it comes back to the day with `?next=`.
REGISTER = "registry:new"


def _schedule_form(request: HttpRequest) -> ScheduleForm | None:
    """Return the 'schedule a day' form, or None for a user who runs no posyandu."""
    posyandu = list(posyandu_run_by(request.user))
    if not posyandu:
        return None
    today = timezone.localdate()
    stages = [str(stage["code"]) for stage in rule_in_force("stages", today).data["stages"]]
    data = request.POST if request.method == "POST" else None
    initial = {"date": _first_free_day(posyandu[0], today), "posyandu": posyandu[0].uuid}
    return ScheduleForm(data, posyandu=posyandu, stages=stages, initial=initial)


def _first_free_day(posyandu: Facility, today: dt.date) -> dt.date:
    """Return the first day from today on that the posyandu has not scheduled yet."""
    taken = set(
        ServiceDay.objects.filter(posyandu=posyandu, date__gte=today).values_list("date", flat=True)
    )
    day = today
    while day in taken:
        day += dt.timedelta(days=1)
    return day


@login_required
def day_list(request: HttpRequest) -> HttpResponse:
    """List the days of the user's posyandu; schedule a new one (POST)."""
    form = _schedule_form(request)
    if request.method == "POST" and form is not None and form.is_valid():
        chosen = {p.uuid: p for p in posyandu_run_by(request.user)}[form.cleaned_data["posyandu"]]
        try:
            day = services.service_day_schedule(
                user=request.user,
                uuid=form.cleaned_data["token"],
                posyandu=chosen,
                date=form.cleaned_data["date"],
                groups=form.cleaned_data["groups"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The day is scheduled."))
            return redirect("visits:day", uuid=day.uuid)
    days = list(selectors.service_days_for(user=request.user)[:60])
    context = {"days": days, "form": form, "stage_label": stage_label}
    return render(request, "visits/day_list.html", context)


@login_required
def day_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Show the day: expected visitors (searchable) with a check-in button, and who came."""
    day = day_or_404(request, uuid)
    query = request.GET.get("q", "")
    expected = selectors.service_day_expected(user=request.user, service_day=day, query=query)
    context = {
        "day": day,
        "query": query,
        "waiting": [visitor_row(v) for v in expected if not v.came],
        "expected_count": len(expected),
        "groups": [stage_label(code) for code in day.groups],
        "register_url": f"{reverse(REGISTER)}?{urlencode({'next': request.path})}",
        "can_check_in": day.status in (ServiceDay.Status.PLANNED, ServiceDay.Status.OPEN)
        and works_at(request.user, day.posyandu),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "expected":
        return render(request, "visits/_expected.html", context)
    came = selectors.service_day_visitors(user=request.user, service_day=day)
    context["came"] = [visitor_row(v) for v in came]
    return render(request, "visits/day.html", context)


@login_required
@require_POST
def check_in(request: HttpRequest, uuid: uuid_lib.UUID, person_uuid: uuid_lib.UUID) -> HttpResponse:
    """Check a person in (step 1); HTMX gets the person's row back, others the visit."""
    day = day_or_404(request, uuid)
    person = person_get(user=request.user, uuid=person_uuid)
    # One visit per person per day, whichever phone taps first: the uuid follows from both.
    visit_uuid = uuid_lib.uuid5(day.uuid, str(person.uuid))
    error = None
    try:
        visit = services.visit_register(
            user=request.user, uuid=visit_uuid, service_day=day, person=person
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        visit = None
    if not is_htmx(request):
        if visit is None:
            messages.error(request, error)
            return redirect("visits:day", uuid=day.uuid)
        return redirect(next_step_url(visit))
    if visit is None:
        visitor = selectors.Visitor(person, None, None)
    else:
        visitor = selectors.visitor_get(user=request.user, service_day=day, uuid=visit.uuid)
    context = {"day": day, "row": visitor_row(visitor), "error": error, "can_check_in": True}
    return render(request, "visits/_expected_row.html", context)


@login_required
def day_close(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Close the day: the kader checks it, a nakes confirms it; show its summary."""
    day = day_or_404(request, uuid)
    if request.method == "POST":
        action = request.POST.get("action")
        service = {
            "validate": services.service_day_validate,
            "confirm": services.service_day_confirm,
        }.get(action or "")
        if service is not None:
            try:
                service(user=request.user, service_day=day)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Saved."))
        return redirect("visits:close", uuid=day.uuid)
    summary = selectors.service_day_summary(user=request.user, service_day=day)
    status = ServiceDay.Status
    context = {
        "day": day,
        "summary": summary,
        "may_validate": day.status in (status.PLANNED, status.OPEN)
        and works_at(request.user, day.posyandu),
        "may_confirm": day.status == status.VALIDATED
        and is_nakes(request.user)
        and works_at(request.user, day.posyandu),
    }
    return render(request, "visits/day_close.html", context)
