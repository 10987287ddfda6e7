"""Read the monthly reports: the posyandu recap (with its register) and the Puskesmas recap.

Every total comes from the PWS rollups through `posyandu.pws.selectors` (read-only), so a
report shows the numbers of the dashboard. What the rollups do not hold is computed here from
the same facts with the same core functions:
- the SKDN split by age band and sex: `indicator_members` on the posyandu's facts (posyandu
  report only; the Puskesmas report shows totals per posyandu), checked against the rollup;
- the doses given in the month per antigen: a direct count of the recorded doses;
- the register (names): only for a posyandu of `posyandu_for(user)`; desa officials and
  Pokjanal get the aggregate recap without it.
Out of the user's area a place is not found (the view answers 404).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from posyandu.accounts.scope import AnyUser, area_posyandu_for, posyandu_for, posyandu_under
from posyandu.core.dates import completed_months
from posyandu.core.errors import RulesError
from posyandu.core.indicators import (
    Definition,
    Month,
    PersonFacts,
    Tally,
    indicator_members,
    value,
)
from posyandu.kaders.models import Kader
from posyandu.pws.mappers import posyandu_facts
from posyandu.pws.selectors import Area, Reading, area_breakdown, area_trend, rules_for_month
from posyandu.regions.models import Facility
from posyandu.reports.layout import Layout, layout_for
from posyandu.visits.models import ImmunizationGiven, ServiceDay, Visit

SEXES = ("M", "F")
MARKS = ("n", "t", "o", "b")  # the N/T mark of a weighing, as the SKDN counts it


# --- Places in scope ------------------------------------------------------------------------


def report_posyandu(user: AnyUser, uuid: str) -> Facility | None:
    """Return the posyandu `uuid` if it is in the user's area, else None."""
    return (
        area_posyandu_for(user)
        .filter(uuid=uuid)
        .select_related("region", "parent", "parent__parent")
        .first()
    )


def report_puskesmas(user: AnyUser, uuid: str) -> Facility | None:
    """Return the Puskesmas `uuid` if the user's area holds every posyandu under it."""
    puskesmas = Facility.objects.filter(kind=Facility.Kind.PUSKESMAS, uuid=uuid).first()
    if puskesmas is None:
        return None
    under = posyandu_under(puskesmas)
    area = area_posyandu_for(user).values("pk")
    if not under.exists() or under.exclude(pk__in=area).exists():
        return None
    return puskesmas


def names_allowed(user: AnyUser, posyandu: Facility) -> bool:
    """Return whether the user may read the persons of `posyandu` by name."""
    return posyandu_for(user).filter(pk=posyandu.pk).exists()


def _puskesmas_id(posyandu: Facility) -> int | None:
    """Return the id of the posyandu's Puskesmas (its parent, or its Pustu's parent)."""
    parent = posyandu.parent
    if parent is None:
        return None
    return parent.pk if parent.kind == Facility.Kind.PUSKESMAS else parent.parent_id


@dataclass(frozen=True)
class Choices:
    """What the chooser offers: the posyandu and the Puskesmas of the user's area."""

    posyandu: list[Facility]
    puskesmas: list[Facility]


def report_choices(user: AnyUser) -> Choices:
    """Return the places the user may print a report of: her area's posyandu, and the
    Puskesmas whose every posyandu is in her area (three queries, whatever their number)."""
    posyandu = list(area_posyandu_for(user).select_related("region", "parent").order_by("name"))
    ids = {_puskesmas_id(p) for p in posyandu}
    candidates = list(
        Facility.objects.filter(pk__in=ids, kind=Facility.Kind.PUSKESMAS).order_by("name")
    )
    # Every posyandu under the candidates at once, as `posyandu_under` finds them: right
    # under a Puskesmas or under one of its Pustu.
    under: dict[int, set[int]] = defaultdict(set)
    pks = [pkm.pk for pkm in candidates]
    rows = Facility.objects.filter(kind=Facility.Kind.POSYANDU).filter(
        Q(parent__in=pks) | Q(parent__parent__in=pks)
    )
    for pk, parent, grandparent in rows.values_list("pk", "parent_id", "parent__parent_id"):
        under[parent].add(pk)
        if grandparent is not None:
            under[grandparent].add(pk)
    have = {p.pk for p in posyandu}
    return Choices(posyandu, [pkm for pkm in candidates if under[pkm.pk] <= have])


# --- The SKDN recap by age band and sex ---------------------------------------------------


@dataclass(frozen=True)
class SkdnRow:
    """One SKDN line: its value per (band, sex), per sex over all bands, and the total."""

    code: str
    kind: str  # "count" or "ratio" (a percentage)
    cells: list[float | None]  # band 1 M, band 1 F, band 2 M, ...
    by_sex: list[float | None]  # M, F
    total: float | None  # from the rollup: the dashboard's number
    tally: Tally  # the rollup's numerator and denominator


@dataclass(frozen=True)
class Skdn:
    """The SKDN recap of one posyandu-month; `reconciles` when the split adds up to the rollup."""

    bands: tuple[tuple[int, int], ...]
    rows: list[SkdnRow]
    reconciles: bool


def _terms(terms: Sequence[str], counts: Counter[str]) -> int:
    return sum(-counts[t[1:]] if t.startswith("-") else counts[t] for t in terms)


def _ratio(definition: Definition, counts: Counter[str]) -> float | None:
    tally = Tally(_terms(definition.numerator, counts), _terms(definition.denominator, counts))
    return value(definition, tally)


def skdn_split(
    persons: Sequence[PersonFacts],
    month: dt.date,
    layout: Layout,
    totals: dict[str, Reading],
) -> Skdn:
    """Return the SKDN recap of the posyandu by age band and sex, totals from the rollups."""
    rules = rules_for_month(month)
    members = indicator_members(persons, month, rules)
    by_id = {p.id: p for p in persons}
    last = Month.of(month).last
    cells: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for code in layout.skdn_counts:
        for member in members.get(code, ()):
            person = by_id[member.id]
            band = _band(completed_months(person.birth_date, last), layout.age_bands)
            cells[band, person.sex][code] += member.numerator
    sexes: dict[str, Counter[str]] = {s: Counter() for s in SEXES}
    for (_band_index, sex), counts in cells.items():
        sexes[sex].update(counts)
    keys = [(b, s) for b in range(len(layout.age_bands)) for s in SEXES]
    rows = []
    reconciles = True
    for code in (*layout.skdn_counts, *layout.skdn_ratios):
        definition = rules.by_code[code]
        total = totals[code]
        if definition.kind == "count":
            row_cells: list[float | None] = [float(cells[k][code]) for k in keys]
            row_sex: list[float | None] = [float(sexes[s][code]) for s in SEXES]
            reconciles &= sum(c or 0 for c in row_sex) == total.tally.numerator
        else:
            row_cells = [_ratio(definition, cells[k]) for k in keys]
            row_sex = [_ratio(definition, sexes[s]) for s in SEXES]
        rows.append(SkdnRow(code, definition.kind, row_cells, row_sex, total.value, total.tally))
    return Skdn(layout.age_bands, rows, reconciles)


def _band(months: int, bands: Sequence[tuple[int, int]]) -> int:
    for index, (low, high) in enumerate(bands):
        if low <= months <= high:
            return index
    return len(bands) - 1 if months > bands[-1][1] else 0


# --- The register of under-fives ----------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One child of the register: identity, a weight and a mark per month, vaccines given."""

    name: str
    sex: str
    birth_date: dt.date
    mother: str
    weights: list[float | None]  # January..December
    marks: list[str]  # "N", "T", "O", "B" or ""
    vaccines: list[str]  # dose codes given by the month's end, in date order


def balita_register(
    persons: Sequence[PersonFacts], person_rows: dict[str, object], month: dt.date
) -> list[RegisterRow]:
    """Return the register of the year up to `month`: every child under five in any of its
    months, with the weight of each month (the last of the month) and its N/T mark."""
    the_month = Month.of(month)
    months = [
        Month(the_month.year_start.replace(month=m)) for m in range(1, the_month.first.month + 1)
    ]
    max_months = rules_for_month(month).params.balita_max_months
    children = [
        p
        for p in persons
        if p.birth_date <= the_month.last
        and completed_months(p.birth_date, the_month.year_start) <= max_months
    ]
    marks: dict[tuple[str, int], str] = {}
    for m in months:
        try:
            rules = rules_for_month(m.first)
        except RulesError:  # a month before the first indicator rules has no marks
            continue
        members = indicator_members(children, m.first, rules)
        for code in MARKS:
            for member in members.get(code, ()):
                marks[member.id, m.first.month] = code.upper()
    rows = []
    for p in children:
        weights: list[float | None] = [None] * 12
        for measurement in p.measurements:
            if (
                measurement.weight_kg is not None
                and measurement.date.year == the_month.first.year
                and measurement.date <= the_month.last
            ):
                weights[measurement.date.month - 1] = measurement.weight_kg
        row = person_rows[p.id]
        mother = getattr(row, "mother", None)
        given = sorted((d.date, d.vaccine) for d in p.immunizations if d.date <= the_month.last)
        rows.append(
            RegisterRow(
                name=str(getattr(row, "name", "")),
                sex=p.sex,
                birth_date=p.birth_date,
                mother=mother.name if mother is not None else "",
                weights=weights,
                marks=[marks.get((p.id, m), "") for m in range(1, 13)],
                vaccines=list(dict.fromkeys(v for _day, v in given)),
            )
        )
    rows.sort(key=lambda r: (r.name.casefold(), r.birth_date))
    return rows


# --- The posyandu report --------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    """The doses of one antigen given in the month."""

    vaccine: str
    count: int


@dataclass(frozen=True)
class PosyanduReport:
    """Everything the monthly report of one posyandu prints."""

    posyandu: Facility
    month: dt.date
    layout: Layout
    service_days: list[dt.date]
    kaders_active: int
    kaders_on_duty: list[str]  # names (named roles) or empty
    kaders_on_duty_count: int
    skdn: Skdn
    sections: list[tuple[str, list[Reading]]]
    doses: list[Dose]
    register: list[RegisterRow] | None  # None: the user may not read names
    names_allowed: bool = field(default=False)

    @property
    def desa(self) -> str:
        return self.posyandu.region.name

    @property
    def pustu(self) -> str:
        parent = self.posyandu.parent
        return parent.name if parent is not None and parent.kind == Facility.Kind.PUSTU else ""

    @property
    def puskesmas(self) -> str:
        parent = self.posyandu.parent
        if parent is None:
            return ""
        if parent.kind == Facility.Kind.PUSKESMAS:
            return parent.name
        return parent.parent.name if parent.parent is not None else ""


def _one_posyandu(posyandu: Facility, names: bool) -> Area:
    place = Facility.objects.filter(pk=posyandu.pk)
    return Area(str(posyandu), place, names, "posyandu")


def posyandu_report(*, user: AnyUser, posyandu: Facility, month: dt.date) -> PosyanduReport:
    """Return the monthly report of one posyandu of the user's area."""
    the_month = Month.of(month)
    layout = layout_for(the_month.last)
    rules = rules_for_month(month)
    allowed = names_allowed(user, posyandu)
    codes = [c for c in layout.codes if c in rules.by_code]
    readings = area_trend(_one_posyandu(posyandu, allowed), [the_month.first], codes)
    totals = {code: readings[the_month.first, code] for code in codes}
    facts = posyandu_facts(posyandu)
    skdn = skdn_split(facts.persons, the_month.first, layout, totals)
    sections = [(s.group, [totals[c] for c in s.codes if c in totals]) for s in layout.sections]
    doses = Counter(
        d.vaccine for p in facts.persons for d in p.immunizations if the_month.holds(d.date)
    )
    days = list(
        ServiceDay.objects.filter(
            posyandu=posyandu,
            date__range=(the_month.first, the_month.last),
            status__in=rules.params.service_day_held_statuses,
        )
        .order_by("date")
        .values_list("date", flat=True)
    )
    recorders = Visit.objects.filter(
        posyandu=posyandu, date__range=(the_month.first, the_month.last)
    ).values("created_by")
    on_duty = list(
        Kader.objects.filter(posyandu=posyandu, user__in=recorders)
        .order_by("name")
        .values_list("name", flat=True)
    )
    register = (
        balita_register(facts.persons, facts.person_rows, the_month.first) if allowed else None
    )
    return PosyanduReport(
        posyandu=posyandu,
        month=the_month.first,
        layout=layout,
        service_days=days,
        kaders_active=Kader.objects.filter(posyandu=posyandu, active=True).count(),
        kaders_on_duty=on_duty if allowed else [],
        kaders_on_duty_count=len(on_duty),
        skdn=skdn,
        sections=sections,
        doses=_doses(doses),
        register=register,
        names_allowed=allowed,
    )


def _doses(counts: Counter[str]) -> list[Dose]:
    return [Dose(vaccine, n) for vaccine, n in sorted(counts.items())]


# --- The Puskesmas report -------------------------------------------------------------------


@dataclass(frozen=True)
class PuskesmasLine:
    """One line of the Puskesmas recap: a posyandu, a Pustu subtotal or the total."""

    kind: str  # "posyandu", "pustu" or "total"
    name: str
    desa: str
    readings: dict[str, Reading]
    doses: int


@dataclass(frozen=True)
class PuskesmasReport:
    """The monthly recap of a Puskesmas: one line per posyandu, Pustu subtotals, the total."""

    puskesmas: Facility
    month: dt.date
    layout: Layout
    codes: list[str]
    lines: list[PuskesmasLine]
    doses: list[Dose]  # doses of the month per antigen, whole Puskesmas


def puskesmas_report(*, puskesmas: Facility, month: dt.date) -> PuskesmasReport:
    """Return the recap of a Puskesmas (in the user's area: see `report_puskesmas`).

    A fixed number of queries, whatever the number of posyandu.
    """
    the_month = Month.of(month)
    layout = layout_for(the_month.last)
    rules = rules_for_month(month)
    codes = [c for c in layout.puskesmas_codes if c in rules.by_code]
    posyandu = posyandu_under(puskesmas)
    area = Area(str(puskesmas), posyandu, False, "posyandu")
    per_posyandu = {g.key: g for g in area_breakdown(area, the_month.first, codes, "posyandu")}
    per_pustu = {g.key: g for g in area_breakdown(area, the_month.first, codes, "pustu")}
    total = area_trend(area, [the_month.first], codes)
    places = list(
        posyandu.order_by("parent__name", "name").values_list(
            "pk", "parent_id", "parent__kind", "region__name"
        )
    )
    doses = _dose_counts(posyandu, the_month)
    per_place = Counter[int]()
    for (place, _vaccine), n in doses.items():
        per_place[place] += n
    lines: list[PuskesmasLine] = []
    by_pustu: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, parent, parent_kind, desa in places:
        by_pustu[parent if parent_kind == Facility.Kind.PUSTU else 0].append((pk, desa))
    for pustu_id, members in by_pustu.items():
        for pk, desa in members:
            group = per_posyandu[pk]
            lines.append(PuskesmasLine("posyandu", group.name, desa, group.readings, per_place[pk]))
        if pustu_id and pustu_id in per_pustu:
            group = per_pustu[pustu_id]
            subtotal = sum(per_place[pk] for pk, _desa in members)
            lines.append(PuskesmasLine("pustu", group.name, "", group.readings, subtotal))
    readings = {
        code: total[the_month.first, code] for code in codes if (the_month.first, code) in total
    }
    lines.append(PuskesmasLine("total", puskesmas.name, "", readings, sum(per_place.values())))
    antigen = Counter[str]()
    for (_place, vaccine), n in doses.items():
        antigen[vaccine] += n
    return PuskesmasReport(puskesmas, the_month.first, layout, codes, lines, _doses(antigen))


def _dose_counts(posyandu: QuerySet[Facility], the_month: Month) -> dict[tuple[int, str], int]:
    """Return the doses given in the month per (posyandu id, vaccine), one query; a dose of a
    merged duplicate counts for the posyandu of the person it was merged into."""
    rows = (
        ImmunizationGiven.objects.filter(
            superseded_by__isnull=True,
            date__range=(the_month.first, the_month.last),
        )
        .annotate(place=Coalesce("person__merged_into__posyandu_id", "person__posyandu_id"))
        .filter(place__in=posyandu.values("pk"))
        .values("place", "vaccine")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["place"], r["vaccine"]): r["n"] for r in rows}
