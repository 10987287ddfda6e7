"""Pregnancies: the ones that ended in a birth during the window, the ones going on today, and
a few miscarriages. About 2 % of the population is pregnant on the reference date, and mothers
delivered in the last 42 days (ibu nifas) have their newborn registered and linked.
"""

from __future__ import annotations

import datetime as dt
import random

from posyandu.demo import names
from posyandu.demo.context import Site, Window
from posyandu.demo.families import DAYS_PER_YEAR, Resident
from posyandu.demo.identity import new_uuid
from posyandu.demo.schedule import local_time, stamp
from posyandu.registry.models import Pregnancy

PREGNANT_SHARE = 0.02  # of all residents, on the reference date
_MISCARRIAGE_SHARE = 0.015  # of the women who could be pregnant, once in the window


def _delivery_place(rng: random.Random, site: Site) -> str:
    place = rng.choices(names.DELIVERY_PLACES, weights=[w for _, w in names.DELIVERY_PLACES])[0]
    return place[0].format(puskesmas=site.puskesmas.name, pustu=site.pustu.name)


def _birth(rng: random.Random, site: Site, mother: Resident, child: Resident) -> Pregnancy:
    """Return the pregnancy that ended in `child`'s birth."""
    gestation = min(294, max(245, round(rng.gauss(273, 10))))
    lmp = child.birth - dt.timedelta(days=gestation)
    order = sorted(c.birth for c in mother.children)
    return Pregnancy(
        uuid=new_uuid(rng),
        person=mother.person,
        registered_on=lmp + dt.timedelta(weeks=rng.randint(6, 16)),
        last_menstrual_period=lmp,
        gravida=order.index(child.birth) + 1 + (rng.random() < 0.1),
        delivery_date=child.birth,
        outcome=Pregnancy.Outcome.LIVE_BIRTH,
        delivery_place=_delivery_place(rng, site),
    )


def _current(rng: random.Random, woman: Resident, as_of: dt.date) -> Pregnancy:
    """Return a pregnancy going on at as_of, 8-40 weeks along, registered from 6 weeks."""
    lmp = as_of - dt.timedelta(days=rng.randint(8 * 7, 40 * 7))
    weeks = (as_of - lmp).days // 7
    return Pregnancy(
        uuid=new_uuid(rng),
        person=woman.person,
        registered_on=lmp + dt.timedelta(weeks=rng.randint(6, min(weeks, 16))),
        last_menstrual_period=lmp,
        gravida=len(woman.children) + 1 + (rng.random() < 0.1),
    )


def _miscarriage(rng: random.Random, woman: Resident, window: Window) -> Pregnancy:
    """Return a pregnancy lost at 9-18 weeks, registered a few weeks before, in the window."""
    span = max(1, (window.as_of - window.start).days - 140)
    lmp = window.start + dt.timedelta(days=rng.randrange(span))
    return Pregnancy(
        uuid=new_uuid(rng),
        person=woman.person,
        registered_on=lmp + dt.timedelta(weeks=rng.randint(6, 8)),
        last_menstrual_period=lmp,
        gravida=len(woman.children) + 1,
        delivery_date=lmp + dt.timedelta(weeks=rng.randint(9, 18)),
        outcome=Pregnancy.Outcome.MISCARRIAGE,
    )


def _could_conceive(woman: Resident, as_of: dt.date) -> bool:
    """Return True for a wife aged 19-44 without a baby under a year (daughters are not)."""
    if woman.sex != "F" or woman.mother is not None:
        return False
    if not 19 * DAYS_PER_YEAR <= woman.age_days(as_of) < 45 * DAYS_PER_YEAR:
        return False
    return all((as_of - child.birth).days > 365 for child in woman.children)


def _fertility_weight(woman: Resident, as_of: dt.date) -> float:
    age = woman.age_days(as_of) / DAYS_PER_YEAR
    return 3.0 if age < 30 else 2.0 if age < 35 else 1.0 if age < 40 else 0.3


def add_pregnancies(
    site: Site, rng: random.Random, window: Window, residents: list[Resident]
) -> list[Pregnancy]:
    """Attach pregnancies to the women of a posyandu and return them (unsaved)."""
    rows: list[Pregnancy] = []
    for child in residents:
        if child.mother is not None and window.start <= child.birth <= window.as_of:
            rows.append(_birth(rng, site, child.mother, child))
            child.mother.pregnancies.append(rows[-1])
    candidates = [w for w in residents if _could_conceive(w, window.as_of) and not w.pregnancies]
    weights = [_fertility_weight(w, window.as_of) for w in candidates]
    wanted = min(len(candidates), round(PREGNANT_SHARE * len(residents)))
    chosen: set[int] = set()
    while len(chosen) < wanted:
        chosen.add(rng.choices(range(len(candidates)), weights=weights)[0])
    for index in sorted(chosen):
        rows.append(_current(rng, candidates[index], window.as_of))
        candidates[index].pregnancies.append(rows[-1])
    for woman in candidates:
        if not woman.pregnancies and rng.random() < _MISCARRIAGE_SHARE:
            rows.append(_miscarriage(rng, woman, window))
            woman.pregnancies.append(rows[-1])
    for row in rows:
        ended = row.delivery_date
        changed = local_time(min(ended, window.as_of), 15) if ended is not None else None
        stamp(row, local_time(row.registered_on, 10, rng.randint(0, 59)), changed)
    return rows
