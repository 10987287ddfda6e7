"""Read the Pokjanal page: roll-out, strata, active posyandu, kader gaps and decisions.

Everything here is an aggregate of the user's area (`area_posyandu_for`): posyandu names and
numbers, never a person's or a kader's name, so the Pokjanal and desa officials may read it.
The page costs a fixed number of queries whatever the number of posyandu: one query per table,
grouped in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from posyandu.accounts.models import POKJANAL_PAGE_ROLES, Role
from posyandu.accounts.scope import AnyUser, area_posyandu_for, membership_of
from posyandu.core.dates import add_months
from posyandu.core.errors import RulesError
from posyandu.core.strata import StrataResult, posyandu_stratum, strata_rules
from posyandu.kaders.competencies import Competency, catalogue_in_force
from posyandu.kaders.models import CompetencyRecord, Kader
from posyandu.kaders.selectors import passed_codes
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput
from posyandu.pws.models import MonthlyRollup
from posyandu.pws.selectors import rules_for_month
from posyandu.regions.models import Facility, Region
from posyandu.visits.models import ServiceDay, Visit

WINDOW_MONTHS = 12
# The rollup codes the strata read (read-only use of the PWS): service days held, D/S, IDL.
_ROLLUP_CODES = ("service_days", "d_s", "cov_idl")


def area_region(user: AnyUser) -> Region | None:
    """Return the region of the user's Pokjanal area (a Puskesmas: its kecamatan), or None."""
    membership = membership_of(user)
    if membership is None or membership.role not in POKJANAL_PAGE_ROLES:
        return None
    if membership.region is not None:
        return membership.region
    if membership.role == Role.PUSKESMAS and membership.facility is not None:
        return membership.facility.region
    return None


def _own(region: Region) -> Q:
    """Match the decisions of `region` and the regions under it: those its users may edit."""
    return Q(region__code__startswith=region.code)


def decisions_in_area(user: AnyUser, *, own_only: bool = False) -> QuerySet[Decision]:
    """Return the decisions of the user's area and below; with own_only False also those of
    the regions above it (a kabupaten decision concerns every desa). Each is marked `own`
    when it is of the area or below: the ones the user's area may edit."""
    region = area_region(user)
    if region is None:
        return Decision.objects.none()
    own = _own(region)
    above = [region.code[:n] for n in (2, 5, 8) if n < len(region.code)]
    shown = own if own_only else own | Q(region__code__in=above)
    return Decision.objects.filter(shown).annotate(
        own=ExpressionWrapper(own, output_field=BooleanField())
    )


def decision_get(user: AnyUser, uuid: object) -> Decision:
    """Return a decision the user may edit (of her area), or 404."""
    decision = (
        decisions_in_area(user, own_only=True).filter(uuid=uuid).select_related("region").first()
    )
    if decision is None:
        raise Http404("no such decision")
    return decision


def posyandu_in_area(user: AnyUser, uuid: object) -> Facility:
    """Return a posyandu of the user's area, or 404."""
    found = area_posyandu_for(user).filter(uuid=uuid).select_related("parent__parent").first()
    if found is None or area_region(user) is None:
        raise Http404("no such posyandu")
    return found


@dataclass(frozen=True)
class PosyanduRow:
    """One posyandu of the area with its roll-out stage, figures, stratum and kader gaps."""

    posyandu: Facility
    puskesmas: str
    rollout: IlpRollout | None
    figures: dict[str, float | None]
    sources: dict[str, str]
    strata: StrataResult | None
    kader_count: int
    missing: list[Competency]


@dataclass(frozen=True)
class PuskesmasRollout:
    """The roll-out counts of the posyandu under one Puskesmas."""

    name: str
    counts: dict[str, int]
    total: int


@dataclass
class Overview:
    """Everything the Pokjanal page shows for one area and year."""

    region: Region
    year: int
    window: tuple[dt.date, dt.date]
    rows: list[PosyanduRow]
    rollout: list[PuskesmasRollout]
    strata_counts: dict[str, int]
    provisional: int
    active: dict[str, int]
    gaps: list[tuple[Competency, int]]
    no_gap: int
    decisions: list[Decision]
    today: dt.date
    rules_citation: str = ""
    active_citation: str = ""
    strata: tuple[str, ...] = field(default_factory=tuple)


def window_months(year: int, today: dt.date) -> list[dt.date]:
    """Return the first days of the 12 months the year's figures read, oldest first: up to
    this month for the current year, else January to December."""
    last = today.replace(day=1) if year == today.year else dt.date(year, 12, 1)
    return [add_months(last, -k) for k in range(WINDOW_MONTHS - 1, -1, -1)]


def _rollups(places: list[Facility], months: list[dt.date]) -> dict[int, dict[str, list]]:
    out: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    rows = MonthlyRollup.objects.filter(
        posyandu__in=places, month__in=months, indicator__in=_ROLLUP_CODES
    ).values_list("posyandu_id", "month", "indicator", "numerator", "denominator")
    for pk, month, code, num, den in rows.order_by("month"):
        out[pk][code].append((month, num, den))
    return out


def _kader_on_duty(places: list[Facility], months: list[dt.date]) -> dict[int, tuple[int, int]]:
    """Return per posyandu (kader-days recorded, held service days) in the window.

    The app records no kader attendance list: a kader is counted on duty at a held service day
    when her login recorded a visit of that day or validated it (ADR 0010). A day is held in the
    statuses the PWS counts (the indicator rules of the window's last month).
    """
    start, end = months[0], add_months(months[-1], 1)
    statuses = rules_for_month(months[-1]).params.service_day_held_statuses
    held = ServiceDay.objects.filter(
        posyandu__in=places, date__gte=start, date__lt=end, status__in=statuses
    )
    days = dict(held.values_list("posyandu_id").annotate(n=Count("pk")).order_by())
    pairs: set[tuple[int, int, int]] = set()
    visits = Visit.objects.filter(
        service_day__in=held, created_by__kader__isnull=False
    ).values_list("posyandu_id", "service_day_id", "created_by_id")
    pairs.update(visits.distinct().order_by())
    validated = held.filter(validated_by__kader__isnull=False).values_list(
        "posyandu_id", "pk", "validated_by_id"
    )
    pairs.update(validated.order_by())
    kader_days: Counter[int] = Counter(pk for pk, _day, _user in pairs)
    return {pk: (kader_days.get(pk, 0), n) for pk, n in days.items()}


def _figures(
    rollups: dict[str, list],
    duty: tuple[int, int] | None,
    entered: StrataInput | None,
    kader_count: int,
) -> tuple[dict[str, float | None], dict[str, str]]:
    figures: dict[str, float | None] = {}
    sources: dict[str, str] = {}
    days = rollups.get("service_days", [])
    figures["service_days"] = float(sum(num for _m, num, _d in days))
    figures["months_held"] = float(sum(1 for _m, num, _d in days if num > 0))
    sources["service_days"] = sources["months_held"] = "recorded"
    ds = [num / den * 100 for _m, num, den in rollups.get("d_s", []) if den]
    figures["ds"] = sum(ds) / len(ds) if ds else None
    sources["ds"] = "recorded"
    idl = [(m, num, den) for m, num, den in rollups.get("cov_idl", []) if den]
    figures["immunisation"] = idl[-1][1] / idl[-1][2] * 100 if idl else None
    sources["immunisation"] = "recorded"
    figures["kader_registered"] = float(kader_count)
    sources["kader_registered"] = "recorded"
    if entered is not None and entered.kader_on_duty is not None:
        figures["kader_on_duty"] = float(entered.kader_on_duty)
        sources["kader_on_duty"] = "entered"
    elif duty is not None and duty[1]:
        figures["kader_on_duty"] = duty[0] / duty[1]
        sources["kader_on_duty"] = "recorded"
    else:
        figures["kader_on_duty"] = None
        sources["kader_on_duty"] = "recorded"
    for name in ("kia", "kb", "extra_programmes", "dana_sehat"):
        raw = None if entered is None else getattr(entered, name)
        figures[name] = None if raw is None else float(raw)
        sources[name] = "entered"
    return figures, sources


def pokjanal_overview(*, user: AnyUser, year: int | None = None) -> Overview:
    """Return the Pokjanal page of the user's area for `year` (this year by default).

    Raises Http404 for a user without a Pokjanal area (kader, bidan, outsiders).
    """
    region = area_region(user)
    if region is None:
        raise Http404("no Pokjanal area")
    today = timezone.localdate()
    year = year or today.year
    months = window_months(year, today)
    as_of = min(dt.date(year, 12, 31), today)
    places = list(area_posyandu_for(user).select_related("parent__parent").order_by("name", "pk"))
    rollouts = {r.posyandu_id: r for r in IlpRollout.objects.filter(posyandu__in=places)}
    inputs = {s.posyandu_id: s for s in StrataInput.objects.filter(posyandu__in=places, year=year)}
    rollups = _rollups(places, months)
    duty = _kader_on_duty(places, months)
    catalogue = catalogue_in_force(as_of)
    kaders = Kader.objects.filter(posyandu__in=places, active=True).values_list("pk", "posyandu_id")
    team: dict[int, list[int]] = defaultdict(list)
    for kader_pk, place_pk in kaders:
        team[place_pk].append(kader_pk)
    records: dict[int, list[CompetencyRecord]] = defaultdict(list)
    for record in CompetencyRecord.objects.filter(
        kader__posyandu__in=places, kader__active=True, kind=CompetencyRecord.Kind.ASSESSED
    ).order_by("date", "id"):
        records[record.kader_id].append(record)
    try:
        rules = strata_rules(as_of)
    except RulesError:
        rules = None
    rows = []
    for place in places:
        covered: set[str] = set()
        for kader_pk in team[place.pk]:
            covered |= passed_codes(records[kader_pk])
        missing = [c for c in catalogue.competencies if c.code not in covered]
        figures, sources = _figures(
            rollups[place.pk], duty.get(place.pk), inputs.get(place.pk), len(team[place.pk])
        )
        result = None if rules is None else posyandu_stratum(figures, as_of)
        pkm = place.parent.parent if place.parent is not None else None
        rows.append(
            PosyanduRow(
                place,
                pkm.name if pkm is not None else "—",
                rollouts.get(place.pk),
                figures,
                sources,
                result,
                len(team[place.pk]),
                missing,
            )
        )
    return Overview(
        region=region,
        year=year,
        window=(months[0], months[-1]),
        rows=rows,
        rollout=_rollout_counts(rows),
        strata_counts=_strata_counts(rows, rules.strata if rules else ()),
        provisional=sum(1 for r in rows if r.strata is not None and r.strata.provisional),
        active=_active_counts(rows),
        gaps=_gap_counts(rows, catalogue.competencies),
        no_gap=sum(1 for r in rows if not r.missing),
        decisions=list(
            decisions_in_area(user).select_related("region").order_by("status", "due_date", "id")
        ),
        today=today,
        rules_citation=rules.citation if rules else "",
        active_citation=rules.active_citation if rules else "",
        strata=rules.strata if rules else (),
    )


def _rollout_counts(rows: list[PosyanduRow]) -> list[PuskesmasRollout]:
    by_pkm: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        stage = row.rollout.stage if row.rollout is not None else IlpRollout.Stage.BELUM
        by_pkm[row.puskesmas][stage] += 1
    return [
        PuskesmasRollout(
            name, {s: counts.get(s, 0) for s in IlpRollout.Stage.values}, sum(counts.values())
        )
        for name, counts in sorted(by_pkm.items())
    ]


def _strata_counts(rows: list[PosyanduRow], strata: tuple[str, ...]) -> dict[str, int]:
    counts = Counter(r.strata.stratum for r in rows if r.strata is not None)
    return {s: counts.get(s, 0) for s in strata}


def _active_counts(rows: list[PosyanduRow]) -> dict[str, int]:
    counts = Counter(
        {True: "active", False: "inactive", None: "unknown"}[r.strata.active]
        for r in rows
        if r.strata is not None
    )
    return {k: counts.get(k, 0) for k in ("active", "inactive", "unknown")}


def _gap_counts(
    rows: list[PosyanduRow], competencies: tuple[Competency, ...]
) -> list[tuple[Competency, int]]:
    """Return, per competency, how many posyandu have no kader competent in it (most first)."""
    counts = Counter(c.code for r in rows for c in r.missing)
    out = [(c, counts[c.code]) for c in competencies if counts[c.code]]
    return sorted(out, key=lambda pair: -pair[1])
