"""The service days themselves: who comes, what is measured and given, and when each of the
five steps was done.

Under-fives come on most service days (D/S about 75 %, absenteeism about 25 %), pregnant women
on about 78 % of the days of their pregnancy, adolescents, adults and the elderly on the days
of their yearly screenings. On the day open today, only part of the visitors have come so far
and some are still between steps.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from posyandu.core.dates import completed_months
from posyandu.demo.context import Site
from posyandu.demo.families import DAYS_PER_YEAR, Resident
from posyandu.demo.identity import new_uuid
from posyandu.demo.measures import (
    WEIGHING_MONTHS,
    Values,
    child_values,
    pregnancy_values,
    screening_values,
)
from posyandu.demo.records import Records
from posyandu.demo.schedule import Day, local_time, stamp
from posyandu.registry.models import Pregnancy
from posyandu.visits.models import Measurement, ServiceDay, ServiceGiven, Visit

PREGNANT_ATTENDANCE = 0.78
_OPEN_DAY_ARRIVED = 0.6  # share of today's visitors who have come so far
_STEPS = ("registered_at", "measured_at", "recorded_at", "served_at", "counselled_at")
_STEP_MINUTES = ((3, 10), (1, 4), (2, 12), (2, 8))
_DECIMALS = {
    "weight_kg": 1,
    "lenhei_cm": 1,
    "headc_cm": 1,
    "muac_cm": 1,
    "waist_cm": 1,
    "hb_g_dl": 1,
}


@dataclass
class Plan:
    """What one person gets on one service day."""

    kind: str  # child, pregnant or screening
    values: Values
    services: list[tuple[str, int | None]] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    pregnancy: Pregnancy | None = None


@dataclass
class _Seen:
    """What was already measured, so heights and Hb are not taken at every visit."""

    height: set[int] = field(default_factory=set)
    pregnancy: set[int] = field(default_factory=set)
    late_hb: set[int] = field(default_factory=set)


def active_pregnancy(woman: Resident, on: dt.date) -> Pregnancy | None:
    """Return the pregnancy registered and not yet ended on a date, if any."""
    for pregnancy in woman.pregnancies:
        ended = pregnancy.delivery_date
        if pregnancy.registered_on <= on and (ended is None or on < ended):
            return pregnancy
    return None


def child_attendance(child: Resident, day: Day) -> float:
    """Return the chance that a child under five comes on a service day."""
    if child.child is None:
        return 0.0
    months = completed_months(child.birth, day.date)
    chance = child.child.attendance + (0.06 if months < 12 else -0.1 if months >= 36 else 0.0)
    if day.date.month in WEIGHING_MONTHS:
        chance += 0.08
    if child.age_days(day.date) < 7:
        chance = 0.15
    return min(0.98, max(0.02, chance))


def _child_plan(child: Resident, day: Day, rng: random.Random) -> Plan:
    months = completed_months(child.birth, day.date)
    plan = Plan("child", child_values(child, day.date, day.month, rng))
    if day.date.month in WEIGHING_MONTHS:
        if rng.random() < 0.92 and 6 <= months <= 59:
            plan.services.append(("vitamin_a_blue" if months < 12 else "vitamin_a_red", 1))
        if months >= 12 and rng.random() < 0.75:
            plan.services.append(("deworming", 1))
    topic = (
        "breastfeeding"
        if months < 6
        else "complementary_feeding"
        if months < 24
        else rng.choice(("child_development", "immunization", "clean_healthy_living"))
    )
    plan.topics = ["growth_monitoring", topic]
    if rng.random() < 0.2:
        plan.topics.append("child_illness_danger_signs")
    return plan


def _pregnant_plan(
    woman: Resident, pregnancy: Pregnancy, day: Day, seen: _Seen, rng: random.Random
) -> Plan:
    first = id(pregnancy) not in seen.pregnancy
    lmp = pregnancy.last_menstrual_period or pregnancy.registered_on
    late = (day.date - lmp).days >= 28 * 7 and id(pregnancy) not in seen.late_hb
    seen.pregnancy.add(id(pregnancy))
    if late:
        seen.late_hb.add(id(pregnancy))
    values = pregnancy_values(woman, pregnancy, day.date, first, first or late, rng)
    plan = Plan("pregnant", values, pregnancy=pregnancy)
    if rng.random() < 0.92:
        plan.services.append(("ttd_pregnancy", 30))
    if values["muac_cm"] < 23.5 and rng.random() < 0.85:
        plan.services.append(("mt_kek_pregnancy", None))
    topics = [
        "pregnancy_danger_signs",
        "pregnancy_nutrition",
        "antenatal_visits",
        "birth_preparedness",
    ]
    plan.topics = rng.sample(topics, rng.randint(1, 2))
    return plan


def _screening_plan(person: Resident, day: Day, seen: _Seen, rng: random.Random) -> Plan:
    first = id(person) not in seen.height
    seen.height.add(id(person))
    plan = Plan("screening", screening_values(person, day.date, first, rng))
    years = person.age_days(day.date) / DAYS_PER_YEAR
    if years < 19:
        if person.sex == "F" and years >= 12 and rng.random() < 0.7:
            plan.services.append(("ttd_rematri", 4))
        topics = [
            "anaemia_prevention",
            "reproductive_health",
            "balanced_nutrition",
            "mental_health",
        ]
    else:
        topics = ["cerdik", "hypertension_diabetes", "balanced_nutrition", "mental_health"]
        topics += ["no_smoking"] if person.person.smoker else []
        topics += ["healthy_ageing"] if years >= 60 else []
    plan.topics = rng.sample(topics, rng.randint(1, 2))
    return plan


def plan_for(
    person: Resident, day: Day, seen: _Seen, rng: random.Random
) -> tuple[bool, Plan | None]:
    """Return (expected, plan): whether the person is expected monthly, and her plan if she came."""
    if day.date < person.birth:
        return False, None
    pregnancy = active_pregnancy(person, day.date)
    if pregnancy is not None:
        came = rng.random() < PREGNANT_ATTENDANCE
        return True, _pregnant_plan(person, pregnancy, day, seen, rng) if came else None
    if person.child is not None and completed_months(person.birth, day.date) < 60:
        came = rng.random() < child_attendance(person, day)
        return True, _child_plan(person, day, rng) if came else None
    if person.body is not None and day.month in person.body.screening_months:
        return False, _screening_plan(person, day, seen, rng)
    return False, None


def hold_days(
    site: Site, rng: random.Random, days: list[Day], residents: list[Resident], records: Records
) -> None:
    """Generate the visits of every held service day of a posyandu into `records`."""
    seen = _Seen()
    for day in days:
        if not day.held:
            continue
        is_open = day.row.status == ServiceDay.Status.OPEN
        visitors = []
        for person in residents:
            expected, plan = plan_for(person, day, seen, rng)
            if plan is not None and not (is_open and rng.random() > _OPEN_DAY_ARRIVED):
                visitors.append((person, plan))
            elif expected and plan is None and not is_open:
                records.absences.append((person, day))
        rng.shuffle(visitors)
        for position, (person, plan) in enumerate(visitors):
            steps = rng.choices((5, 3, 2, 1), weights=(50, 20, 15, 15))[0] if is_open else 5
            times = _step_times(rng, day.date, position, len(visitors), steps)
            _record(site, rng, day, person, plan, times, records)


def _step_times(
    rng: random.Random, date: dt.date, position: int, count: int, steps: int
) -> dict[str, dt.datetime]:
    """Return the time of each step done: arrivals spread over the morning from 08:00."""
    at = local_time(date, 8) + dt.timedelta(
        minutes=150 * position / max(count, 1) + rng.uniform(0, 3)
    )
    times = {_STEPS[0]: at.replace(microsecond=0)}
    for name, (low, high) in zip(_STEPS[1:steps], _STEP_MINUTES, strict=False):
        at += dt.timedelta(minutes=rng.uniform(low, high))
        times[name] = at.replace(microsecond=0)
    return times


def _decimal(name: str, value: Any) -> Any:
    if value is None or name not in _DECIMALS:
        return value
    return Decimal(f"{value:.{_DECIMALS[name]}f}")


def _record(
    site: Site,
    rng: random.Random,
    day: Day,
    person: Resident,
    plan: Plan,
    times: dict[str, dt.datetime],
    records: Records,
) -> None:
    visit = Visit(
        uuid=new_uuid(rng),
        person=person.person,
        service_day=day.row,
        posyandu=site.posyandu,
        date=day.date,
        counselling_topics=plan.topics if "counselled_at" in times else [],
        created_by=site.kader_user,
        **times,
    )
    stamp(visit, times["registered_at"], max(times.values()))
    records.visits.append(visit)
    records.attended.setdefault(id(person), []).append(visit)
    if "measured_at" in times:
        measurement = new_measurement(site, rng, person, visit, plan.values)
        records.measurements.append(measurement)
        if plan.kind == "child":
            records.child_measures.append((person, measurement))
        else:
            records.adult_measures.append((person, measurement, plan.pregnancy))
    if "served_at" in times:
        records.services.extend(
            new_service(site, rng, person, code, quantity, visit=visit)
            for code, quantity in plan.services
        )


def new_measurement(
    site: Site, rng: random.Random, person: Resident, visit: Visit, values: Values
) -> Measurement:
    """Return a measurement of a visit (values in the model's units, decimals as Decimal)."""
    measurement = Measurement(
        uuid=new_uuid(rng),
        person=person.person,
        visit=visit,
        date=visit.date,
        recorded_by=site.kader_user,
        **{name: _decimal(name, value) for name, value in values.items()},
    )
    return stamp(measurement, visit.measured_at or visit.registered_at or local_time(visit.date, 9))


def new_service(
    site: Site,
    rng: random.Random,
    person: Resident,
    code: str,
    quantity: int | None,
    *,
    visit: Visit | None = None,
    on: dt.date | None = None,
) -> ServiceGiven:
    """Return a service given (vitamin A, TTD, PMT, ...) at a visit, or on a day without one."""
    date = on if on is not None else visit.date if visit is not None else None
    if date is None:
        raise ValueError("a service needs a visit or a date")
    service = ServiceGiven(
        uuid=new_uuid(rng),
        person=person.person,
        visit=visit,
        date=date,
        recorded_by=site.kader_user,
        code=code,
        quantity=quantity,
    )
    served = visit.served_at if visit is not None else None
    return stamp(service, served or local_time(date, 10, rng.randint(0, 59)))
