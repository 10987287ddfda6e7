"""Latent health of the demo people, drawn once per person and read at every visit.

Children: a length/height-for-age z that starts near −0.5 and falls over the first two years
(Indonesia: stunting about 20 % among under-fives, rising with age); a personal
weight-for-length/height level with a monthly AR(1) wobble and occasional illness dips (wasting
about 7 %, weight faltering T/2T); head circumference and MUAC z tied to them. Adults: height,
BMI, waist, blood pressure rising with age (hypertension about 30 % from 19 y), diabetes
(high glucose about 6 %), Hb (anaemia about 40 % in pregnancy) and LiLA (KEK about 15 %).
The rates are SSGI 2022 / Riskesdas 2018-like targets, checked on the generated data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# AR(1) of the monthly weight-for-length/height wobble, and illness dips.
_WFH_RHO, _WFH_INNOVATION = 0.7, 0.18
_ILLNESS_PER_MONTH = 0.03
# Screenings per 12 months: probabilities of 0, 1 and 2 (by group).
_SCREENINGS = {
    "remaja": (0.6, 0.35, 0.05),
    "woman": (0.4, 0.45, 0.15),
    "man": (0.6, 0.3, 0.1),
    "lansia": (0.3, 0.4, 0.3),
}


@dataclass
class ChildPath:
    """A child's growth z-scores over the window months."""

    hfa_start: float
    hfa_drop: float
    wfh_mean: float
    wfh_wobble: list[float]
    hc_z: float
    muac_offset: float
    attendance: float  # chance of coming on a service day
    length_phase: int  # length/height is measured every third month from this one

    def hfa(self, age_days: int) -> float:
        """Return the length/height-for-age z at an age."""
        return self.hfa_start + self.hfa_drop * min(age_days, 730) / 730

    def wfh(self, month: int) -> float:
        """Return the weight-for-length/height z in a window month."""
        return self.wfh_mean + self.wfh_wobble[max(month, 0)]


def child_path(rng: random.Random, months: int) -> ChildPath:
    """Draw a child's growth path over `months` window months."""
    wobble, level, dip = [], rng.gauss(0.0, _WFH_INNOVATION / (1 - _WFH_RHO**2) ** 0.5), 0.0
    for _ in range(months):
        level = _WFH_RHO * level + rng.gauss(0.0, _WFH_INNOVATION)
        dip = dip * 0.45 + (rng.uniform(0.6, 1.3) if rng.random() < _ILLNESS_PER_MONTH else 0.0)
        wobble.append(level - dip)
    return ChildPath(
        hfa_start=rng.gauss(-0.5, 0.85),
        hfa_drop=rng.gauss(-0.85, 0.45),
        wfh_mean=rng.gauss(-0.62, 0.85),
        wfh_wobble=wobble,
        hc_z=rng.gauss(-0.1, 0.85),
        muac_offset=rng.gauss(0.0, 0.45),
        attendance=min(0.98, max(0.05, rng.betavariate(5.0, 1.4))),
        length_phase=rng.randrange(3),
    )


@dataclass
class Body:
    """An adolescent's or adult's lasting traits (values without measurement noise)."""

    height_cm: float
    bmi: float
    waist_offset_cm: float
    sbp: float
    dbp: float
    diabetic: bool
    hb: float  # outside pregnancy
    muac_cm: float
    teen_hfa: float  # WHO 2007 z while 5-18 y
    teen_bfa: float
    screening_months: set[int] = field(default_factory=set)


def body(rng: random.Random, sex: str, age_years: float) -> Body:
    """Draw the lasting traits of someone aged 10 or more."""
    man = sex == "M"
    height = rng.gauss(163.5, 6.3) if man else rng.gauss(151.5, 5.6)
    height -= max(0.0, age_years - 50) * 0.08
    bmi = max(15.5, rng.gauss(22.6, 3.6) if man else rng.gauss(24.3, 4.4))
    adult_age = max(age_years, 19.0)
    sbp = 110 + 0.75 * (adult_age - 19) + 0.9 * (bmi - 23) + rng.gauss(0, 15)
    diabetes_share = 0.03 if adult_age < 40 else 0.1 if adult_age < 60 else 0.15
    return Body(
        height_cm=height,
        bmi=bmi,
        waist_offset_cm=rng.gauss(0, 5),
        sbp=sbp,
        dbp=0.45 * sbp + 20 + rng.gauss(0, 7),
        diabetic=rng.random() < diabetes_share,
        hb=rng.gauss(14.6, 1.3) if man else rng.gauss(12.7, 1.25),
        muac_cm=rng.gauss(26.0, 2.4) if not man else rng.gauss(28.0, 2.6),
        teen_hfa=rng.gauss(-0.9, 1.0),
        teen_bfa=rng.gauss(-0.2, 1.1),
    )


def screening_group(sex: str, age_years: float) -> str:
    """Return the screening-frequency group of an age and sex."""
    if age_years < 19:
        return "remaja"
    if age_years >= 60:
        return "lansia"
    return "woman" if sex == "F" else "man"


def screening_months(rng: random.Random, group: str, months: int) -> set[int]:
    """Return the window months in which someone comes for a screening (0-2 a year)."""
    chosen: set[int] = set()
    for end in range(months, 0, -12):
        block = list(range(max(0, end - 12), end))
        count = rng.choices((0, 1, 2), weights=_SCREENINGS[group])[0]
        picks = rng.sample(range(end - 12, end), count)
        chosen.update(m for m in picks if m in block)
    return chosen
