"""The Pokjanal page (/pokjanal/) and its forms: roll-out, strata figures, decisions."""

from __future__ import annotations

import uuid as uuid_lib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.pokjanal import labels, selectors, services
from posyandu.pokjanal.forms import DecisionEditForm, DecisionForm, RolloutForm, StrataInputForm
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput

# Roll-out stages, the furthest first.
STAGES = ("sudah", "persiapan", "belum")


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("tahun") or this_year)
    except ValueError:
        return this_year
    return year if services.FIRST_YEAR <= year <= this_year else this_year


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
    data = selectors.pokjanal_overview(user=request.user, year=_year(request))
    today = data.today
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
        look = labels.OVERDUE if overdue else (labels.DONE if d.status == "done" else labels.OPEN)
        decisions.append(
            {
                "d": d,
                "look": look,
                "overdue_days": (today - d.due_date).days if overdue else 0,
                "editable": services.can_record_decisions(request.user)
                and d.region.code.startswith(data.region.code),
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
        "can_decide": services.can_record_decisions(request.user),
        "years": list(range(this_year, services.FIRST_YEAR - 1, -1)),
    }
    return render(request, "pokjanal/overview.html", context)


def _apply_errors(form: object, exc: ValidationError) -> None:
    form.add_error(None, exc)  # type: ignore[attr-defined]


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
    if request.method == "POST" and form.is_valid():
        try:
            services.ilp_rollout_set(
                user=request.user,
                posyandu=place,
                stage=form.cleaned_data["stage"],
                since=form.cleaned_data["since"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Roll-out stage saved."))
            return redirect(reverse("pokjanal:overview") + "#ilp")
    return render(
        request, "pokjanal/rollout.html", {"form": form, "place": place, "current": current}
    )


@login_required
def strata_edit(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Enter the strata figures of one posyandu for a year (Puskesmas and dinkes staff)."""
    place = selectors.posyandu_in_area(request.user, uuid)
    if not services.can_edit_posyandu(request.user):
        raise PermissionDenied(_("Only Puskesmas and dinkes staff enter strata figures."))
    year = _year(request)
    current = StrataInput.objects.filter(posyandu=place, year=year).first()
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in ("kader_on_duty", "kia", "kb", "extra_programmes", "dana_sehat", "note")
        }
    form = StrataInputForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.strata_input_set(
                user=request.user,
                posyandu=place,
                year=year,
                kia=cleaned["kia"],
                kb=cleaned["kb"],
                extra_programmes=cleaned["extra_programmes"],
                dana_sehat=cleaned["dana_sehat"],
                kader_on_duty=cleaned["kader_on_duty"],
                note=cleaned["note"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Strata figures saved."))
            return redirect(reverse("pokjanal:overview") + f"?tahun={year}#strata")
    return render(request, "pokjanal/strata.html", {"form": form, "place": place, "year": year})


@login_required
def decision_new(request: HttpRequest) -> HttpResponse:
    """Record a meeting decision for the user's area (Pokjanal, dinkes, desa)."""
    region = selectors.area_region(request.user)
    if region is None:
        raise Http404("no area")
    if not services.can_record_decisions(request.user):
        raise PermissionDenied(_("Only the Pokjanal, dinkes and desa officials record decisions."))
    form = DecisionForm(request.POST or None, initial={"meeting_date": timezone.localdate()})
    client_uuid = request.POST.get("client_uuid") or str(uuid_lib.uuid4())
    if request.method == "POST" and form.is_valid():
        try:
            key = uuid_lib.UUID(client_uuid)
        except ValueError:
            key = uuid_lib.uuid4()
        try:
            services.decision_create(user=request.user, uuid=key, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(reverse("pokjanal:overview") + "#keputusan")
    return render(
        request,
        "pokjanal/decision.html",
        {"form": form, "region": region, "client_uuid": client_uuid, "decision": None},
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
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(user=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Decision updated."))
            return redirect(reverse("pokjanal:overview") + "#keputusan")
    return render(
        request,
        "pokjanal/decision.html",
        {"form": form, "region": decision.region, "decision": decision},
    )
