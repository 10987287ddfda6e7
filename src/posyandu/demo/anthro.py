"""Turn z-scores into measurements with the WHO LMS tables of the growth engine.

The demo draws each child's z-score trajectory and converts it here, so the engine, reading
the measurements back, classifies the child as intended. The inverse of the LMS z is
y = M (1 + L S z)^(1/L) (y = M exp(S z) when L is 0); beyond ±3 SD the weight-based
indicators use WHO's restricted scale (the SD2-SD3 distance), as the engine does.
"""

from __future__ import annotations

import math
from functools import cache

from posyandu.core.growth.tables import table

# Weight-based indicators, whose z beyond ±3 is measured in the SD2-SD3 distance (WHO).
_RESTRICTED = frozenset({"wfa", "wfl", "wfh", "bfa", "acfa", "wfa2007", "bfa2007"})
# From this age WHO uses standing height and the weight-for-height table.
FIRST_HEIGHT_DAY = 731


@cache
def _columns(name: str) -> tuple[int, int, list[float], list[float], list[float]]:
    tab = table(name)
    lms = tab.lms
    return tab.first, tab.size, lms.lam.tolist(), lms.mu.tolist(), lms.sigma.tolist()


def _sd(lam: float, mu: float, sigma: float, z: float) -> float:
    if lam == 0.0:
        return mu * math.exp(sigma * z)
    return float(mu * (1.0 + lam * sigma * z) ** (1.0 / lam))


def value_at(name: str, sex: str, key: int, z: float) -> float | None:
    """Return the measurement at z for a sex ('M'/'F') and table key, or None off the table.

    The key is the table's: age in days (2006 standards), completed months (2007 reference)
    or length/height in tenths of a centimetre (weight-for-length/height).
    """
    first, size, lam, mu, sigma = _columns(name)
    row = key - first
    if not 0 <= row < size:
        return None
    row += size if sex == "F" else 0
    p = (lam[row], mu[row], sigma[row])
    if name not in _RESTRICTED or -3.0 <= z <= 3.0:
        return _sd(*p, z)
    sign = 1.0 if z > 0 else -1.0
    sd3, sd2 = _sd(*p, 3.0 * sign), _sd(*p, 2.0 * sign)
    return sd3 + (z - 3.0 * sign) * (sd3 - sd2) * sign


def length_cm(sex: str, age_days: int, z: float) -> float:
    """Return a child's length (under 731 days) or height at a length/height-for-age z."""
    value = value_at("lhfa", sex, age_days, z)
    if value is None:
        raise ValueError(f"no length-for-age row for day {age_days}")
    return value


def weight_kg(sex: str, age_days: int, lenhei: float, wfh_z: float, wfa_z: float) -> float:
    """Return a child's weight at a weight-for-length/height z (by weight-for-age off table)."""
    name = "wfl" if age_days < FIRST_HEIGHT_DAY else "wfh"
    value = value_at(name, sex, round(lenhei * 10), wfh_z)
    if value is None:
        value = value_at("wfa", sex, age_days, wfa_z)
    if value is None:
        raise ValueError(f"no weight row for day {age_days}, {lenhei} cm")
    return value


def head_cm(sex: str, age_days: int, z: float) -> float | None:
    """Return a head circumference at a z (None outside the table)."""
    return value_at("hcfa", sex, age_days, z)


def muac_cm(sex: str, age_days: int, z: float) -> float | None:
    """Return a mid-upper arm circumference at a z (the table starts at 91 days)."""
    return value_at("acfa", sex, age_days, z)


def teen_height_weight(
    sex: str, age_months: int, hfa_z: float, bfa_z: float
) -> tuple[float, float]:
    """Return (height cm, weight kg) of a 5-19-year-old at height- and BMI-for-age z (WHO 2007)."""
    height = value_at("hfa2007", sex, age_months, hfa_z)
    bmi = value_at("bfa2007", sex, age_months, bfa_z)
    if height is None or bmi is None:
        raise ValueError(f"no WHO 2007 row for month {age_months}")
    return height, bmi * (height / 100.0) ** 2
