"""Each child's immunisations, following the programme schedule of the rule data.

Every child gets a plan from the schedule in force on the reference date (the rules family
`immunisation_schedule`): the day the family would bring her for each dose (due date plus a
personal delay), with about 4 % of children never vaccinated after birth and about 12 %
dropping out part-way. Doses due before the window are recorded as given then (at the
posyandu or the Puskesmas); doses in the window are given at the service days she attends, at
least 28 days after the previous dose of the series, or sometimes at the Puskesmas. A dose
that came due while she stayed away is still due (or overdue) on the reference date.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from posyandu.core.dates import add_months
from posyandu.core.rulebook import rule_in_force
from posyandu.demo.context import Site, Window
from posyandu.demo.families import Resident
from posyandu.demo.identity import new_uuid
from posyandu.demo.schedule import local_time, stamp
from posyandu.visits.models import ImmunizationGiven, Visit

_SERIES_GAP = dt.timedelta(days=28)
_ZERO_DOSE, _DROP_OUT = 0.04, 0.1
_AT_PUSKESMAS = 0.12
_BOOSTER_FROM_MONTH, _BOOSTER_COVERAGE = 12, 0.85
# (share of children, delay range in days) by how punctual the family is.
_PUNCTUALITY = ((0.55, (0, 10)), (0.35, (10, 45)), (0.10, (45, 120)))


@dataclass
class PlannedDose:
    """One dose a child will get: when the family would bring her, and where."""

    vaccine: str
    series: str | None
    number: int
    target: dt.date
    at_puskesmas: bool = False


@dataclass
class DosePlan:
    """A child's planned doses, in schedule order."""

    pending: list[PlannedDose]


def schedule(as_of: dt.date, province_code: str) -> list[Mapping[str, Any]]:
    """Return the schedule's doses in force on as_of for a province (JE only where endemic)."""
    doses = rule_in_force("immunisation_schedule", as_of).data["doses"]
    return [d for d in doses if province_code in d.get("only_in_provinces", [province_code])]


def _delay(rng: random.Random, low_high: tuple[int, int]) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(*low_high))


def plan_doses(
    child: Resident, rng: random.Random, doses: Sequence[Mapping[str, Any]], home_birth: bool
) -> DosePlan:
    """Return a child's dose plan: which doses she will get and from when."""
    punctual = rng.choices([d for _, d in _PUNCTUALITY], weights=[w for w, _ in _PUNCTUALITY])[0]
    behaviour = rng.random()
    stop = len(doses) + 1
    if behaviour < _ZERO_DOSE:
        stop = 1  # the birth dose at most
    elif behaviour < _ZERO_DOSE + _DROP_OUT:
        stop = rng.randint(2, len(doses) - 1)
    # The booster visits (from 12 months) are one decision of the family, not one per dose.
    boosters = rng.random() < _BOOSTER_COVERAGE
    planned: list[PlannedDose] = []
    series_last: dict[str, dt.date] = {}
    for position, dose in enumerate(sorted(doses, key=lambda d: (d["month"], d["vaccine"]))):
        if int(dose["month"]) >= _BOOSTER_FROM_MONTH and not boosters:
            continue
        planned_dose = _planned(child, rng, dose, punctual, home_birth, series_last)
        if position < stop and planned_dose is not None:
            planned.append(planned_dose)
    return DosePlan(planned)


def _planned(
    child: Resident,
    rng: random.Random,
    dose: Mapping[str, Any],
    punctual: tuple[int, int],
    home_birth: bool,
    series_last: dict[str, dt.date],
) -> PlannedDose | None:
    vaccine, month, series = dose["vaccine"], int(dose["month"]), dose.get("series")
    if vaccine == "hb0":
        given = rng.random() < (0.4 if home_birth else 0.9)
        target = child.birth + dt.timedelta(days=rng.randint(0, 1))
        return PlannedDose(vaccine, None, 0, target, at_puskesmas=True) if given else None
    target = add_months(child.birth, month) + _delay(rng, punctual)
    if series is not None:
        target = max(target, series_last.get(series, dt.date.min) + _SERIES_GAP)
        series_last[series] = target
    if "missed_from_month" in dose and target >= add_months(child.birth, dose["missed_from_month"]):
        return None
    return PlannedDose(
        vaccine, series, int(dose.get("number", 0)), target, rng.random() < _AT_PUSKESMAS
    )


def _given(
    site: Site,
    dose: PlannedDose,
    on: dt.date,
    visit: Visit | None,
    child: Resident,
    rng: random.Random,
) -> ImmunizationGiven:
    row = ImmunizationGiven(
        uuid=new_uuid(rng),
        person=child.person,
        visit=visit,
        date=on,
        recorded_by=site.bidan_user,
        vaccine=dose.vaccine,
        batch=f"{dose.vaccine[:3].upper()}{on:%y%m}{site.index:03d}",
        given_at=site.puskesmas if dose.at_puskesmas else site.posyandu,
    )
    served = visit.served_at if visit is not None else None
    return stamp(row, served or local_time(on, 10, rng.randint(0, 59)))


def _when(
    dose: PlannedDose, earliest: dt.date, attended: Sequence[Visit], window: Window
) -> tuple[dt.date | None, Visit | None]:
    """Return the day a dose is given (and its visit), or None when it has not been yet."""
    if earliest < window.start or dose.at_puskesmas:
        return (earliest if earliest <= window.as_of else None), None
    visit = next((v for v in attended if v.date >= earliest), None)
    return (None, None) if visit is None else (visit.date, visit)


def immunise(
    plan: DosePlan,
    child: Resident,
    site: Site,
    attended: Sequence[Visit],
    window: Window,
    rng: random.Random,
) -> list[ImmunizationGiven]:
    """Return the doses a child was given: before the window on their own dates, in it at a
    service day she attended (or at the Puskesmas), never after the reference date.

    `attended` are her service-day visits in date order. A series waits for its missing dose.
    """
    rows: list[ImmunizationGiven] = []
    last: dict[str, dt.date] = {}
    blocked: set[str | None] = set()
    for dose in plan.pending:
        if dose.series is not None and dose.series in blocked:
            continue
        earliest = dose.target
        if dose.series in last:
            earliest = max(earliest, last[dose.series] + _SERIES_GAP)
        on, visit = _when(dose, earliest, attended, window)
        if on is None:
            blocked.add(dose.series)
            continue
        rows.append(_given(site, dose, on, visit, child, rng))
        if dose.series is not None:
            last[dose.series] = on
    return rows
