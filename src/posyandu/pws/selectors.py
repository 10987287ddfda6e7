"""Read the PWS: dashboards and drill-downs from the rollups, person lists from the facts.

Every number of the dashboard and the drill-down comes from the rollups (never a scan of the
facts): an area that is a region (desa, kecamatan, kabupaten, province) reads its own
`RegionRollup` rows; any other area (a posyandu, Pustu or Puskesmas) sums the `MonthlyRollup`
rows of its posyandu (`area_posyandu_for`). Breakdowns group the posyandu rows up the jejaring
(posyandu, desa, Pustu, Puskesmas, kabupaten). A fixed number of queries either way.
Names appear only in `pws_indicator_persons`, computed live for one posyandu of
`posyandu_for(user)`; for anyone else, desa officials and Pokjanal included, it finds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import Substr

from posyandu.accounts.models import AGGREGATE_ONLY_ROLES, Role
from posyandu.accounts.scope import AnyUser, area_posyandu_for, membership_of, posyandu_for
from posyandu.core.errors import RulesError
from posyandu.core.indicators import (
    Definition,
    IndicatorRules,
    Month,
    Tally,
    indicator_members,
    indicator_rules,
    judge,
    median_codes,
    movement,
    value,
)
from posyandu.core.indicators import combine as combine_tallies
from posyandu.pws.levels import level_of
from posyandu.pws.mappers import posyandu_facts
from posyandu.pws.models import MonthlyRollup, RegionRollup, median_values
from posyandu.regions.models import Facility, Region
from posyandu.registry.models import Person

TREND_MONTHS = 12
LEVELS = ("posyandu", "desa", "pustu", "puskesmas", "kabupaten")
# The key of each level on a rollup row, and on a posyandu row.
_ROLLUP_KEYS = {
    "posyandu": F("posyandu_id"),
    "desa": F("posyandu__region_id"),
    "pustu": F("posyandu__parent_id"),
    "puskesmas": F("posyandu__parent__parent_id"),
    "kabupaten": Substr("posyandu__region__code", 1, 5),
}
_FACILITY_KEYS = {
    "posyandu": ("pk", "name"),
    "desa": ("region_id", "region__name"),
    "pustu": ("parent_id", "parent__name"),
    "puskesmas": ("parent__parent_id", "parent__parent__name"),
}


@dataclass(frozen=True)
class Area:
    """What a user's PWS covers: its posyandu, its name, and whether names may be shown."""

    label: str
    posyandu: QuerySet[Facility]
    names_allowed: bool
    default_level: str
    # The Kemendagri code of the area when it is a region: its totals are its region rollups.
    region_code: str | None = None


@dataclass(frozen=True)
class Reading:
    """One indicator of one place and month: its tally, value and status."""

    definition: Definition
    tally: Tally
    month: dt.date
    value: float | None = field(init=False)
    status: str | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", value(self.definition, self.tally))
        object.__setattr__(self, "status", judge(self.definition, self.tally, self.month))


@dataclass(frozen=True)
class Group:
    """One row of a breakdown: a posyandu, desa, Pustu, Puskesmas or kabupaten."""

    key: object
    name: str
    readings: dict[str, Reading]
    uuid: str | None = None  # posyandu rows only, for the person list


def pws_area(user: AnyUser) -> Area | None:
    """Return the user's PWS area, or None for a user without a place in the jejaring."""
    membership = membership_of(user)
    if membership is None:
        return None
    place = membership.facility or membership.region
    return Area(
        label=str(place),
        posyandu=area_posyandu_for(user),
        names_allowed=membership.role not in AGGREGATE_ONLY_ROLES,
        default_level=_default_level(membership.role, membership.region),
        region_code=None if membership.region is None else membership.region.code,
    )


def _default_level(role: str, region: Region | None) -> str:
    """Return the level one step below the user's own, where a comparison is most useful."""
    if role == Role.PUSKESMAS:
        return "pustu"
    if region is None or region.level == Region.Level.DESA:
        return "posyandu"
    return "desa" if region.level == Region.Level.KECAMATAN else "puskesmas"


def rules_for_month(month: dt.date) -> IndicatorRules:
    """Return the indicator rules a month is read under (those in force on its last day)."""
    return indicator_rules(Month.of(month).last)


def trend_months(month: dt.date, count: int = TREND_MONTHS) -> list[dt.date]:
    """Return the first days of the `count` months ending with `month`, oldest first."""
    last = Month.of(month)
    return [last.shift(-back).first for back in range(count - 1, -1, -1)]


def area_trend(
    area: Area, months: Sequence[dt.date], codes: Iterable[str]
) -> dict[tuple[dt.date, str], Reading]:
    """Return the area's readings by (month, code), from the rollups (one or two queries)."""
    codes = list(codes)
    tallies = _area_tallies(area, list(months), codes)
    out: dict[tuple[dt.date, str], Reading] = {}
    for month in months:
        try:
            rules = rules_for_month(month)
        except RulesError:
            continue  # before the first indicator rules: no reading, a gap in the trend
        by_code = rules.by_code
        for code in codes:
            if code in by_code:
                tally = tallies.get((month, code), Tally(0, 0))
                out[month, code] = Reading(by_code[code], tally, month)
    return out


def _area_tallies(
    area: Area, months: list[dt.date], codes: list[str]
) -> dict[tuple[object, str], Tally]:
    """Return the area's tallies by (month, code): its region's rows, else its posyandu's summed."""
    level = None if area.region_code is None else level_of(area.region_code)
    if level is None:
        rows = MonthlyRollup.objects.filter(posyandu__in=area.posyandu, month__in=months)
        return _sum_rollups(rows, codes, key=F("month"))
    found = RegionRollup.objects.filter(
        level=level, region_code=area.region_code, month__in=months, indicator__in=codes
    ).values_list("month", "indicator", "numerator", "denominator", median_values())
    return {(m, code): Tally(num, den, tuple(values or ())) for m, code, num, den, values in found}


def area_breakdown(area: Area, month: dt.date, codes: Iterable[str], level: str) -> list[Group]:
    """Return one Group per place of `level` in the area, with its readings for the month.

    Places without any rollup are listed too (their numbers are zero). Three or four queries.
    """
    codes = list(codes)
    rules = rules_for_month(month)
    rows = MonthlyRollup.objects.filter(posyandu__in=area.posyandu, month=month)
    tallies = _sum_rollups(rows, codes, key=_ROLLUP_KEYS[level])
    groups = []
    by_code = rules.by_code
    for key, name, uuid in _places(area, level):
        readings = {
            code: Reading(by_code[code], tallies.get((key, code), Tally(0, 0)), month)
            for code in codes
            if code in by_code
        }
        groups.append(Group(key, name, readings, uuid))
    return groups


def rank(groups: list[Group], code: str) -> list[Group]:
    """Return the groups best first by `code` (its target's direction), places without a value
    last; ties by name."""

    def sort_key(group: Group) -> tuple[int, float, str]:
        reading = group.readings[code]
        target = reading.definition.target
        worse_is_higher = target is not None and target.direction == "max"
        if reading.value is None:
            return (1, 0.0, group.name)
        return (0, reading.value if worse_is_higher else -reading.value, group.name)

    return sorted(groups, key=sort_key)


def movement_of(current: Reading, previous: Reading | None) -> str | None:
    """Return up / down / same since the previous month's reading."""
    return movement(current.value, None if previous is None else previous.value)


def stored_tally(posyandu: Facility, month: dt.date, code: str) -> Tally:
    """Return the rollup of one posyandu-month-indicator (zero when it has no row)."""
    row = MonthlyRollup.objects.filter(posyandu=posyandu, month=month, indicator=code).first()
    if row is None:
        return Tally(0, 0)
    return Tally(row.numerator, row.denominator, tuple(row.values))


@dataclass(frozen=True)
class PersonLine:
    """One person behind a number: in the numerator or only in the denominator."""

    person: Person
    numerator: int
    denominator: int
    values: tuple[int, ...]


@dataclass(frozen=True)
class PersonList:
    """The persons behind one indicator of one posyandu-month, and whether they reconcile."""

    posyandu: Facility
    definition: Definition
    lines: list[PersonLine]
    live: Tally
    stored: Tally

    @property
    def reconciles(self) -> bool:
        """Return whether the live count equals the stored rollup."""
        return self.live[:2] == self.stored[:2] and self.live.values == self.stored.values


def pws_indicator_persons(
    *, user: AnyUser, code: str, month: dt.date, posyandu_uuid: str
) -> PersonList | None:
    """Return the persons behind an indicator for one posyandu of the user's scope, computed
    live from the facts; None when the posyandu is not in `posyandu_for(user)` (desa officials
    and Pokjanal have none) or the indicator is not a person count."""
    rules = rules_for_month(month)
    definition = rules.by_code.get(code)
    posyandu = posyandu_for(user).filter(uuid=posyandu_uuid).select_related("region").first()
    if definition is None or posyandu is None:
        return None
    facts = posyandu_facts(posyandu)
    members = indicator_members(facts.persons, month, rules).get(code, ())
    lines = [
        PersonLine(facts.person_rows[m.id], m.numerator, m.denominator, m.values) for m in members
    ]
    lines.sort(key=lambda line: (-line.numerator, line.person.name))
    live = combine_tallies(Tally(m.numerator, m.denominator, m.values) for m in members)
    stored = stored_tally(posyandu, Month.of(month).first, code)
    return PersonList(posyandu, definition, lines, live, stored)


def _sum_rollups(
    rows: QuerySet[MonthlyRollup], codes: list[str], *, key: object
) -> dict[tuple[object, str], Tally]:
    """Return the rollups summed by (key, indicator); medians merge their values."""
    sums = (
        rows.filter(indicator__in=codes)
        .annotate(group_key=key)
        .values("group_key", "indicator")
        .annotate(num=Sum("numerator"), den=Sum("denominator"))
        .order_by()
    )
    out = {(r["group_key"], r["indicator"]): Tally(r["num"], r["den"]) for r in sums}
    medians = [c for c in codes if c in median_codes()]
    if medians:
        merged: dict[tuple[object, str], list[int]] = defaultdict(list)
        for group_key, code, values in (
            rows.filter(indicator__in=medians)
            .annotate(group_key=key)
            .values_list("group_key", "indicator", "values")
        ):
            merged[group_key, code].extend(values)
        for pair, values in merged.items():
            num, den = out.get(pair, Tally(0, 0))[:2]
            out[pair] = Tally(num, den, tuple(sorted(values)))
    return out


def _places(area: Area, level: str) -> list[tuple[object, str, str | None]]:
    """Return (key, name, posyandu uuid or None) of every place of `level` in the area."""
    if level == "kabupaten":
        codes = sorted(
            set(
                area.posyandu.annotate(kab=Substr("region__code", 1, 5)).values_list(
                    "kab", flat=True
                )
            )
        )
        names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
        return [(code, names.get(code, code), None) for code in codes]
    key, name = _FACILITY_KEYS[level]
    fields = (key, name, "uuid") if level == "posyandu" else (key, name)
    rows = area.posyandu.order_by().values_list(*fields).distinct()
    places = {row[0]: (row[1] or "—", str(row[2]) if level == "posyandu" else None) for row in rows}
    return sorted(((k, n, u) for k, (n, u) in places.items()), key=lambda p: p[1])
