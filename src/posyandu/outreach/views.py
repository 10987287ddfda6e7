"""Outreach pages: the home-visit worklist, recording a visit, classes and their attendance."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.accounts.models import WORKER_ROLES
from posyandu.accounts.scope import posyandu_for, role_of
from posyandu.outreach import selectors, services
from posyandu.outreach.forms import ClassSessionForm, HomeVisitForm
from posyandu.outreach.labels import visit_reason_look, visit_reason_rows
from posyandu.registry.selectors import person_get

_WORKERS = WORKER_ROLES


def _require_worker_page(request: HttpRequest) -> None:
    """Refuse the outreach pages to roles that do not visit homes (desa, dinkes, Pokjanal)."""
    if role_of(request.user) not in _WORKERS:
        raise PermissionDenied("outreach is kader and health-worker work")


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """Show whom to visit at home, grouped by the most pressing reason."""
    _require_worker_page(request)
    # One posyandu at a time: a Puskesmas covers dozens, and each person is assessed.
    places = list(posyandu_for(request.user).order_by("name", "pk"))
    wanted = request.GET.get("posyandu", "")
    chosen = next((p for p in places if str(p.uuid) == wanted), places[0] if places else None)
    rows = (
        selectors.home_visit_worklist(
            user=request.user, as_of=timezone.localdate(), posyandu=chosen
        )
        if chosen is not None
        else []
    )
    groups = [
        (
            group,
            visit_reason_look(group.reason),
            [(row, visit_reason_rows(row.reasons)) for row in group.rows],
        )
        for group in selectors.worklist_groups(rows)
    ]
    context = {"groups": groups, "total": len(rows), "places": places, "chosen": chosen}
    return render(request, "outreach/worklist.html", context)


@login_required
def home_visit_record(request: HttpRequest, person_uuid: uuid_lib.UUID) -> HttpResponse:
    """Record a home visit to one person (why, outcome, findings, measurements)."""
    _require_worker_page(request)
    person = person_get(user=request.user, uuid=person_uuid)
    due = selectors.home_visit_reasons(user=request.user, person=person, as_of=timezone.localdate())
    offered = [*due, *(code for code in request.GET.getlist("alasan") if code not in due)]
    if request.method == "POST":
        form = HomeVisitForm(request.POST, reasons=[*offered, *request.POST.getlist("reasons")])
        if form.is_valid():
            try:
                services.home_visit_record(
                    user=request.user,
                    uuid=form.cleaned_data["uuid"],
                    person=person,
                    visited_on=form.cleaned_data["visited_on"],
                    reasons=form.cleaned_data["reasons"],
                    outcome=form.cleaned_data["outcome"],
                    findings=form.cleaned_data["findings"],
                    measurements=form.measurements(),
                )
            except ValidationError as error:
                for text in error.messages:
                    form.add_error(None, text)
            else:
                messages.success(
                    request, _("Home visit to %(name)s saved.") % {"name": person.name}
                )
                return redirect("outreach:worklist")
    else:
        form = HomeVisitForm(reasons=offered, initial={"reasons": offered, "outcome": "met"})
    context = {
        "person": person,
        "form": form,
        "last_visits": selectors.home_visits_of_person(user=request.user, person=person, limit=3),
    }
    return render(request, "outreach/record.html", context)


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    """List the class sessions and create a new one."""
    _require_worker_page(request)
    places = posyandu_for(request.user).order_by("name")
    form = ClassSessionForm(request.POST or None, posyandu=places)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.class_session_create(
                user=request.user,
                uuid=data["uuid"],
                posyandu=data["posyandu"],
                kind=data["kind"],
                date=data["date"],
                topic=data["topic"],
                facilitator=data["facilitator"],
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            return redirect("outreach:class_detail", uuid=session.uuid)
    sessions = selectors.class_sessions_for(user=request.user)
    return render(request, "outreach/classes.html", {"sessions": sessions, "form": form})


@login_required
def class_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Show a class session with its attendance checklist, and save the ticks."""
    _require_worker_page(request)
    session = selectors.class_session_get(user=request.user, uuid=uuid)
    candidates = selectors.class_candidates(session=session)
    if request.method == "POST":
        ticked = set(request.POST.getlist("person"))
        chosen = [person for person in candidates if str(person.uuid) in ticked]
        services.class_attendance_record(user=request.user, session=session, persons=chosen)
        messages.success(
            request, _("Attendance saved: %(count)s present.") % {"count": len(chosen)}
        )
        return redirect("outreach:class_detail", uuid=session.uuid)
    attending = set(session.attendees.values_list("pk", flat=True))
    rows = [(person, person.pk in attending) for person in candidates]
    return render(request, "outreach/class_detail.html", {"session": session, "rows": rows})
