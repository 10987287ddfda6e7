"""What the kader measures on a service day, read off each person's latent health.

Children: weight every visit, length/height every third month (and in the February and August
weighing months), head circumference under two years, MUAC from 6 to 59 months. Pregnant
women: weight, LiLA, blood pressure, height at the first visit, Hb at the first visit and once
in the third trimester. Adults and the elderly at their screenings: weight, height, waist,
blood pressure, glucose; adolescents: weight and height, Hb for girls.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from posyandu.core.dates import completed_months
from posyandu.demo.anthro import (
    FIRST_HEIGHT_DAY,
    head_cm,
    length_cm,
    muac_cm,
    teen_height_weight,
    weight_kg,
)
from posyandu.demo.families import DAYS_PER_YEAR, Resident
from posyandu.demo.health import Body
from posyandu.registry.models import Pregnancy

Values = dict[str, Any]
WEIGHING_MONTHS = (2, 8)  # bulan penimbangan: vitamin A, and everyone's length/height


def child_values(child: Resident, date: dt.date, month: int, rng: random.Random) -> Values:
    """Return the measurements of a child under five on a service day."""
    path = child.child
    if path is None:
        raise ValueError("a child measured without a growth path")
    age = child.age_days(date)
    hfa = path.hfa(age)
    length = length_cm(child.sex, age, hfa + rng.gauss(0, 0.06))
    wfh = path.wfh(month)
    weight = weight_kg(child.sex, age, length, wfh, 0.55 * hfa + 0.75 * wfh)
    values: Values = {"weight_kg": max(1.2, round(weight + rng.gauss(0, 0.03), 1))}
    months = completed_months(child.birth, date)
    if (month + path.length_phase) % 3 == 0 or date.month in WEIGHING_MONTHS:
        values["lenhei_cm"] = round(length + rng.gauss(0, 0.25), 1)
        values["measure"] = "l" if age < FIRST_HEIGHT_DAY else "h"
    if months < 24 and ("lenhei_cm" in values or rng.random() < 0.5):
        head = head_cm(child.sex, age, path.hc_z + rng.gauss(0, 0.1))
        values["headc_cm"] = None if head is None else round(head, 1)
    if 6 <= months < 60 and rng.random() < 0.8:
        arm = muac_cm(child.sex, age, 0.8 * wfh + path.muac_offset)
        values["muac_cm"] = None if arm is None else round(arm + rng.gauss(0, 0.1), 1)
    return values


def _body(person: Resident) -> Body:
    if person.body is None:
        raise ValueError("an adult measured without a body")
    return person.body


def _bp(body: Body, rng: random.Random, shift: float = 0.0) -> Values:
    sbp = round(body.sbp + shift + rng.gauss(0, 6))
    dbp = min(round(body.dbp + shift / 2 + rng.gauss(0, 4)), sbp - 20)
    return {"sbp_mmhg": max(80, sbp), "dbp_mmhg": max(45, dbp)}


def pregnancy_values(
    woman: Resident, pregnancy: Pregnancy, date: dt.date, first: bool, hb: bool, rng: random.Random
) -> Values:
    """Return the measurements of a pregnant woman at a visit (Hb when `hb`)."""
    body = _body(woman)
    lmp = pregnancy.last_menstrual_period or pregnancy.registered_on
    weeks = (date - lmp).days / 7
    before = body.bmi * (body.height_cm / 100) ** 2
    gain = min(weeks, 13) * 0.08 + max(0.0, weeks - 13) * 0.42
    values: Values = {
        "weight_kg": round(before + gain + rng.gauss(0, 0.3), 1),
        "muac_cm": round(body.muac_cm + rng.gauss(0, 0.2), 1),
        **_bp(body, rng, shift=-3.0),
    }
    if first:
        values["lenhei_cm"], values["measure"] = round(body.height_cm, 1), "h"
    if hb:
        values["hb_g_dl"] = round(body.hb - 1.4 + rng.gauss(0, 0.3), 1)
    return values


def screening_values(person: Resident, date: dt.date, first: bool, rng: random.Random) -> Values:
    """Return the measurements of an adolescent, adult or elderly person at a screening."""
    body = _body(person)
    years = person.age_days(date) / DAYS_PER_YEAR
    if years < 19:
        return _teen_values(person, body, date, years, rng)
    height = body.height_cm
    values: Values = {"weight_kg": round(body.bmi * (height / 100) ** 2 + rng.gauss(0, 0.8), 1)}
    if first or rng.random() < 0.3:
        values["lenhei_cm"], values["measure"] = round(height + rng.gauss(0, 0.3), 1), "h"
    slope, base = (2.5, 30.0) if person.sex == "M" else (2.3, 24.0)
    values["waist_cm"] = round(
        slope * body.bmi + base + body.waist_offset_cm + rng.gauss(0, 1.5), 1
    )
    values.update(_bp(body, rng))
    if rng.random() < 0.7:
        values.update(_glucose(body, rng))
    if person.sex == "F" and rng.random() < 0.25:
        values["hb_g_dl"] = round(body.hb + rng.gauss(0, 0.3), 1)
    return values


def _glucose(body: Body, rng: random.Random) -> Values:
    fasting = rng.random() < 0.25
    if body.diabetic:
        value = rng.gauss(165, 35) if fasting else rng.gauss(245, 55)
    else:
        value = rng.gauss(93, 9) if fasting else rng.gauss(112, 20)
    return {
        "glucose_mg_dl": max(60, round(value)),
        "glucose_kind": "fasting" if fasting else "random",
    }


def _teen_values(
    person: Resident, body: Body, date: dt.date, years: float, rng: random.Random
) -> Values:
    months = completed_months(person.birth, date)
    height, weight = teen_height_weight(person.sex, months, body.teen_hfa, body.teen_bfa)
    values: Values = {
        "weight_kg": round(weight + rng.gauss(0, 0.3), 1),
        "lenhei_cm": round(height + rng.gauss(0, 0.3), 1),
        "measure": "h",
    }
    if person.sex == "F" and rng.random() < 0.4:
        values["hb_g_dl"] = round(body.hb - 0.3 + rng.gauss(0, 0.3), 1)
    if years >= 15 and rng.random() < 0.5:
        values.update(_bp(body, rng, shift=-6.0))
    return values
