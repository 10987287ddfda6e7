"""The Pokjanal page (/pokjanal/) and its forms: roll-out, strata figures, decisions."""

from __future__ import annotations

import uuid as uuid_lib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.pokjanal import labels, selectors, services
from posyandu.pokjanal.forms import DecisionEditForm, DecisionForm, RolloutForm, StrataInputForm
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput
from posyandu.web.errors import BadParameterError, bad_request

# Roll-out stages, the furthest first.
STAGES = ("sudah", "persiapan", "belum")


def _year(request: HttpRequest) -> int:
    """Return the year asked for (`tahun`; default: this year), from 2023 to this year."""
    this_year = timezone.localdate().year
    raw = request.GET.get("tahun")
    if not raw:
        return this_year
    try:
        year = int(raw)
    except ValueError:
        raise BadParameterError(
            _("%(field)s: “%(value)s” is not a whole number.") % {"field": _("Year"), "value": raw}
        ) from None
    if not services.FIRST_YEAR <= year <= this_year:
        raise BadParameterError(_("Year %(value)s is outside 2023 to this year.") % {"value": raw})
    return year


def _bad_request(request: HttpRequest, error: BadParameterError) -> HttpResponse:
    return bad_request(request, error, "pokjanal:overview", _("Pokjanal posyandu"))


def _submit(
    request: HttpRequest,
    form: Form,
    write: Callable[[dict[str, Any]], object],
    done: str,
    url: str,
) -> HttpResponse | None:
    """Write a posted, valid form; on success say `done` and redirect to `url`. Return None
    (render the form again) for a GET, an invalid form or a write the service refused."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)  # the service names the field: the error lands on it
        return None
    messages.success(request, done)
    return redirect(url)


def _criterion_rows(results: object) -> list[dict[str, object]]:
    rows = []
    for result in results:  # type: ignore[attr-defined]
        c = result.criterion
        rows.append(
            {
                "label": labels.CRITERIA.get(c.code, c.code),
                "value": labels.figure_text(result.value, c.unit),
                "figure": "—" if result.value is None else labels.figure_text(result.value, c.unit),
                "cut": labels.figure_text(c.min, c.unit),
                "look": labels.OUTCOMES[result.outcome],
                "stratum": labels.STRATA.get(c.stratum, ""),
                "basis": c.basis,
            }
        )
    return rows


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show the area's roll-out, strata, active posyandu, kader gaps and decisions."""
    if selectors.area_region(request.user) is None:
        raise PermissionDenied(
            _("The Pokjanal page is for the Pokjanal, dinkes, Puskesmas and desa.")
        )
    try:
        year = _year(request)
    except BadParameterError as error:
        return _bad_request(request, error)
    data = selectors.pokjanal_overview(user=request.user, year=year)
    today = data.today
    can_decide = services.can_record_decisions(request.user)
    posyandu = []
    for row in data.rows:
        stage = row.rollout.stage if row.rollout else IlpRollout.Stage.BELUM
        strata = row.strata
        posyandu.append(
            {
                "row": row,
                "stage": IlpRollout.Stage(stage).label,
                "stage_icon": labels.STAGE_ICONS[stage],
                "since": row.rollout.since if row.rollout else None,
                "stratum": labels.STRATA.get(strata.stratum, "") if strata else "",
                "ceiling": labels.STRATA.get(strata.ceiling, "") if strata else "",
                "provisional": strata.provisional if strata else False,
                "unmet": _criterion_rows(strata.unmet) if strata else [],
                "missing_inputs": _criterion_rows(strata.not_reported) if strata else [],
                "criteria": _criterion_rows(strata.criteria) if strata else [],
                "active": labels.ACTIVE[strata.active] if strata else None,
                "active_criteria": _criterion_rows(strata.active_criteria) if strata else [],
                "duty_entered": row.sources.get("kader_on_duty") == "entered",
                "gap_count": len(row.missing),
            }
        )
    decisions = []
    for d in data.decisions:
        overdue = d.status == Decision.Status.OPEN and d.due_date < today
        done = d.status == Decision.Status.DONE
        look = labels.OVERDUE if overdue else (labels.DONE if done else labels.OPEN)
        decisions.append(
            {
                "d": d,
                "look": look,
                "overdue_days": (today - d.due_date).days if overdue else 0,
                "editable": can_decide and d.own,
            }
        )
    # Overdue first (longest late first), then open by due date, then done.
    decisions.sort(
        key=lambda item: (
            0 if item["overdue_days"] else 1 if item["d"].status == Decision.Status.OPEN else 2,
            -item["overdue_days"],
            item["d"].due_date,
        )
    )
    this_year = today.year
    context = {
        "data": data,
        "posyandu": posyandu,
        "strata": [(labels.STRATA[s], data.strata_counts.get(s, 0)) for s in data.strata],
        "rollout": [
            (
                p.name,
                [
                    (IlpRollout.Stage(st).label, labels.STAGE_ICONS[st], p.counts[st])
                    for st in STAGES
                ],
                p.total,
            )
            for p in data.rollout
        ],
        "decisions": decisions,
        "overdue": sum(1 for d in decisions if d["overdue_days"]),
        "can_edit": services.can_edit_posyandu(request.user),
        "can_decide": can_decide,
        "years": list(range(this_year, services.FIRST_YEAR - 1, -1)),
    }
    return render(request, "pokjanal/overview.html", context)


@login_required
def rollout_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Set the ILP roll-out stage of one posyandu (Puskesmas and dinkes staff)."""
    place = selectors.posyandu_in_area(request.user, uuid)
    if not services.can_edit_posyandu(request.user):
        raise PermissionDenied(_("Only Puskesmas and dinkes staff set the roll-out stage."))
    current = IlpRollout.objects.filter(posyandu=place).first()
    initial = (
        {"stage": current.stage, "since": current.since, "note": current.note}
        if current
        else {"stage": IlpRollout.Stage.BELUM}
    )
    form = RolloutForm(request.POST or None, initial=initial)
    saved = _submit(
        request,
        form,
        lambda data: services.ilp_rollout_set(user=request.user, posyandu=place, **data),
        _("Roll-out stage saved."),
        reverse("pokjanal:overview") + "#ilp",
    )
    return saved or render(
        request, "pokjanal/rollout.html", {"form": form, "place": place, "current": current}
    )


@login_required
def strata_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Enter the strata figures of one posyandu for a year (Puskesmas and dinkes staff)."""
    place = selectors.posyandu_in_area(request.user, uuid)
    if not services.can_edit_posyandu(request.user):
        raise PermissionDenied(_("Only Puskesmas and dinkes staff enter strata figures."))
    try:
        year = _year(request)
    except BadParameterError as error:
        return _bad_request(request, error)
    current = StrataInput.objects.filter(posyandu=place, year=year).first()
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in ("kader_on_duty", "kia", "kb", "extra_programmes", "dana_sehat", "note")
        }
    form = StrataInputForm(request.POST or None, initial=initial)
    saved = _submit(
        request,
        form,
        lambda data: services.strata_input_set(
            user=request.user, posyandu=place, year=year, **data
        ),
        _("Strata figures saved."),
        reverse("pokjanal:overview") + f"?tahun={year}#strata",
    )
    return saved or render(
        request, "pokjanal/strata.html", {"form": form, "place": place, "year": year}
    )


@login_required
def decision_new(request: HttpRequest) -> HttpResponse:
    """Record a meeting decision for the user's area (Pokjanal, dinkes, desa)."""
    region = selectors.area_region(request.user)
    if region is None:
        raise Http404("no area")
    if not services.can_record_decisions(request.user):
        raise PermissionDenied(_("Only the Pokjanal, dinkes and desa officials record decisions."))
    # The form's own key, made when it is opened: the same form sent twice records once.
    initial = {"meeting_date": timezone.localdate(), "client_uuid": uuid_lib.uuid4()}
    form = DecisionForm(request.POST or None, initial=initial)
    saved = _submit(
        request,
        form,
        lambda data: services.decision_create(
            user=request.user,
            uuid=data["client_uuid"],
            meeting_date=data["meeting_date"],
            text=data["text"],
            sector=data["sector"],
            due_date=data["due_date"],
        ),
        _("Decision recorded."),
        reverse("pokjanal:overview") + "#keputusan",
    )
    return saved or render(
        request, "pokjanal/decision.html", {"form": form, "region": region, "decision": None}
    )


@login_required
def decision_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Update a decision of the user's area: status, follow-up, owner, due date."""
    decision = selectors.decision_get(request.user, uuid)
    if not services.can_record_decisions(request.user):
        raise PermissionDenied(_("Only the Pokjanal, dinkes and desa officials record decisions."))
    initial = {
        "text": decision.text,
        "sector": decision.sector,
        "due_date": decision.due_date,
        "status": decision.status,
        "follow_up": decision.follow_up,
    }
    form = DecisionEditForm(request.POST or None, initial=initial)
    saved = _submit(
        request,
        form,
        lambda data: services.decision_update(user=request.user, decision=decision, **data),
        _("Decision updated."),
        reverse("pokjanal:overview") + "#keputusan",
    )
    return saved or render(
        request,
        "pokjanal/decision.html",
        {"form": form, "region": decision.region, "decision": decision},
    )
