"""WHO Child Growth Standards 2006 (0-5 years), vectorised over whole columns.

Follows WHO's R package `anthro` (`anthro_zscores`), whose output the golden files hold.

Input representation (all arrays of one length n):

- `sex`: integers, 1 male, 2 female, anything else (0) unknown: no z-score at all.
- `age_days`: float days, NaN or negative for unknown. A fractional age is allowed (an age in
  months times 30.4375); tables are read at the age rounded half up to a whole day, while the
  "under 60 months" and "under 9 months" tests use the unrounded age / 30.4375, as WHO does.
- measurements (`weight_kg`, `lenhei_cm`, `headc_cm`, `armc_cm`, `triskin_mm`, `subskin_mm`):
  floats, NaN for missing; zero, negative and infinite values count as missing. `None` means
  the whole column is missing.
- `measure`: int8 codes MEASURE_UNKNOWN (0), MEASURE_LENGTH (1, lying) or MEASURE_HEIGHT (2,
  standing); `measure_codes` converts "l"/"h" text. `None`: all unknown.
- `oedema`: booleans (True: bilateral pitting oedema). `None`: no oedema.

Output: a dict of float arrays, z rounded to 2 decimals as R's round() does, NaN where WHO
gives no z; flags 1.0 (implausible z), 0.0, or NaN where there is no z.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from posyandu.core.dates import DAYS_PER_MONTH
from posyandu.core.growth.tables import FloatArray, IntArray, stacked, table
from posyandu.core.growth.zscore import (
    BoolArray,
    Int8Array,
    bool_column,
    float_column,
    positive,
    rounded_and_flagged,
    sex_codes,
    z_from_rows,
    z_interpolated,
)

MEASURE_UNKNOWN = 0
MEASURE_LENGTH = 1
MEASURE_HEIGHT = 2

_FIRST_HEIGHT_DAY = 731  # from 24 months standing height is expected
_LENHEI_ADJUST_CM = 0.7  # standing height is 0.7 cm shorter than lying length
_UNKNOWN_AGE_HEIGHT_FROM_CM = 87.0  # no age, no measure: length below 87 cm, height from it
_NO_TABLE_DAY = 10**9  # an age too large for any table (and >= 731)

# Plausible z ranges: outside them WHO flags the z (1) as a likely measurement error.
_FLAG_LIMITS = {
    "len": (-6.0, 6.0), "wei": (-6.0, 5.0), "wfl": (-5.0, 5.0), "bmi": (-5.0, 5.0),
    "hc": (-5.0, 5.0), "ac": (-5.0, 5.0), "ts": (-5.0, 5.0), "ss": (-5.0, 5.0),
}  # fmt: skip

OUTPUT_KEYS_2006 = (
    "zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi",
    "zhc", "fhc", "zac", "fac", "zts", "fts", "zss", "fss",
)  # fmt: skip


@dataclass(frozen=True)
class _Age:
    female: IntArray  # 1 girl, 0 boy (or unknown: then no row is usable)
    sex_known: BoolArray
    day: IntArray  # whole days, rounded half up; _NO_TABLE_DAY where unknown or huge
    known: BoolArray
    under_60: BoolArray  # sex and age known, younger than 60 months (unrounded)
    months: FloatArray  # unrounded age in months, NaN where unknown


def measure_codes(values: Iterable[str | None]) -> Int8Array:
    """Return measure codes for "l"/"h" text (any case, spaces ignored); others are unknown."""
    text = np.char.lower(np.char.strip(np.asarray(list(values), dtype=str)))
    codes = np.select([text == "l", text == "h"], [MEASURE_LENGTH, MEASURE_HEIGHT], MEASURE_UNKNOWN)
    return codes.astype(np.int8)


def _age(female: IntArray, sex_known: BoolArray, age_days: FloatArray) -> _Age:
    with np.errstate(invalid="ignore"):
        known = np.isfinite(age_days) & (age_days >= 0.0)
        tabled = known & (age_days < 1e6)
    safe = np.where(tabled, age_days, 0.0)
    whole = np.floor(safe)
    # WHO rounds ages half up (anthro's round_up), not half to even.
    day = (whole + (safe - whole >= 0.5)).astype(np.int64)
    day = np.where(tabled, day, _NO_TABLE_DAY)
    months = np.where(known, age_days / DAYS_PER_MONTH, np.nan)
    with np.errstate(invalid="ignore"):
        under_60 = sex_known & known & (months < 60.0)
    return _Age(female, sex_known, day, known, under_60, months)


def _clean_lenhei(lenhei: FloatArray, measure: Int8Array, age: _Age) -> FloatArray:
    """Return length/height converted to what the age expects (lying < 731 days)."""
    # A standing height under 9 months is implausible: WHO then treats the position as
    # unknown, so the value is used as it stands, without the +0.7 cm.
    with np.errstate(invalid="ignore"):
        implausible = (measure == MEASURE_HEIGHT) & age.known & (age.months < 9.0)
    cmeasure = np.where(implausible, MEASURE_UNKNOWN, measure)
    young = age.known & (age.day < _FIRST_HEIGHT_DAY)
    old = age.known & (age.day >= _FIRST_HEIGHT_DAY)
    shift = np.where(young & (cmeasure == MEASURE_HEIGHT), _LENHEI_ADJUST_CM, 0.0)
    shift = np.where(old & (cmeasure == MEASURE_LENGTH), -_LENHEI_ADJUST_CM, shift)
    return np.asarray(lenhei + shift, dtype=np.float64)


def _lenhei_table_choice(
    clenhei: FloatArray, measure: Int8Array, age: _Age
) -> tuple[BoolArray, BoolArray]:
    """Return (use the length table, use the height table) per row, as WHO chooses."""
    # With the age known it decides alone; without it, the recorded position; without both,
    # the size. The 9-month rule does not reach here: WHO passes the cleaned position on.
    unknown = ~age.known
    with np.errstate(invalid="ignore"):
        short = clenhei < _UNKNOWN_AGE_HEIGHT_FROM_CM
        tall = clenhei >= _UNKNOWN_AGE_HEIGHT_FROM_CM
    no_measure = unknown & (measure == MEASURE_UNKNOWN)
    use_l = (age.known & (age.day < _FIRST_HEIGHT_DAY)) | (unknown & (measure == MEASURE_LENGTH))
    use_h = (age.known & (age.day >= _FIRST_HEIGHT_DAY)) | (unknown & (measure == MEASURE_HEIGHT))
    return use_l | (no_measure & short), use_h | (no_measure & tall)


def _weight_for_lenhei(
    weight: FloatArray, clenhei: FloatArray, measure: Int8Array, age: _Age
) -> FloatArray:
    """Return unrounded weight-for-length/height z, L, M, S interpolated per 0.1 cm."""
    use_l, use_h = _lenhei_table_choice(clenhei, measure, age)
    with np.errstate(invalid="ignore"):
        in_l = use_l & (clenhei >= 45.0) & (clenhei <= 110.0)
        in_h = ~use_l & use_h & (clenhei >= 65.0) & (clenhei <= 120.0)
    usable = (in_l | in_h) & age.sex_known & (~age.known | age.under_60)
    h = np.where(usable, clenhei, 0.0)
    # The same arithmetic as WHO's code: floor to 0.1 cm, interpolate by the remainder.
    tenths = np.trunc(h * 10.0)
    frac = (h - tenths / 10.0) / 0.1
    key = tenths.astype(np.int64)
    step = np.trunc(h * 10.0 + 1.0).astype(np.int64) - key  # 1, but exactly as WHO rounds it
    lms, offset = stacked("wfl", "wfh")
    in_h &= usable
    low = table("wfl").index(age.female, key, usable & ~in_h)
    low_h = table("wfh").index(age.female, key, in_h) + offset
    low[in_h] = low_h[in_h]
    # Where frac is 0 the row above is not used, so running past a table's end is harmless.
    high = np.minimum(low + step, len(lms.mu) - 1)
    return z_interpolated(lms, weight, low, high, frac, restricted=True)


def _by_age(
    name: str, y: FloatArray, age: _Age, restricted: bool, rows: dict[tuple[int, int], IntArray]
) -> FloatArray:
    """Return the unrounded z of y for age in days; NaN from 60 months or outside the table.

    `rows` caches row indices per table layout: the 0-1826 day tables share theirs, and so do
    the 91-1826 day ones (arm circumference and skinfolds, which WHO starts at 91 days).
    """
    tab = table(name)
    layout = (tab.first, tab.size)
    if layout not in rows:
        rows[layout] = tab.index(age.female, age.day, age.under_60)
    return z_from_rows(tab, y, rows[layout], restricted)


def _indicators(
    age: _Age,
    weight: FloatArray,
    clenhei: FloatArray,
    codes: Int8Array,
    others: dict[str, FloatArray],
) -> dict[str, FloatArray]:
    """Return the unrounded z of every indicator; `others` holds hcfa, acfa, tsfa, ssfa."""
    with np.errstate(divide="ignore", invalid="ignore"):
        metres = clenhei / 100.0
        bmi = weight / (metres * metres)
    rows: dict[tuple[int, int], IntArray] = {}
    # Length and head circumference are not restricted beyond ±3 SD: WHO uses the plain LMS z.
    return {
        "len": _by_age("lhfa", clenhei, age, False, rows),
        "wei": _by_age("wfa", weight, age, True, rows),
        "wfl": _weight_for_lenhei(weight, clenhei, codes, age),
        "bmi": _by_age("bfa", bmi, age, True, rows),
        "hc": _by_age("hcfa", others["hcfa"], age, False, rows),
        "ac": _by_age("acfa", others["acfa"], age, True, rows),
        "ts": _by_age("tsfa", others["tsfa"], age, True, rows),
        "ss": _by_age("ssfa", others["ssfa"], age, True, rows),
    }


# Overflow, 0/0 and the like only make NaN or inf, which the engine treats as "no z".
@np.errstate(all="ignore")
def who2006_zscores(
    sex: npt.ArrayLike,
    age_days: npt.ArrayLike,
    weight_kg: npt.ArrayLike | None = None,
    lenhei_cm: npt.ArrayLike | None = None,
    measure: npt.ArrayLike | None = None,
    oedema: npt.ArrayLike | None = None,
    headc_cm: npt.ArrayLike | None = None,
    armc_cm: npt.ArrayLike | None = None,
    triskin_mm: npt.ArrayLike | None = None,
    subskin_mm: npt.ArrayLike | None = None,
) -> dict[str, FloatArray]:
    """Compute all eight WHO 2006 indicators for whole columns (see the module docstring)."""
    female, sex_known = sex_codes(sex)
    n = len(female)
    age = _age(female, sex_known, float_column(age_days, n))
    codes = np.zeros(n, dtype=np.int8) if measure is None else np.asarray(measure).astype(np.int8)
    # WHO gives no weight-based z with oedema (it counts the child as below -3 SD instead).
    weight = np.where(bool_column(oedema, n), np.nan, positive(float_column(weight_kg, n)))
    clenhei = _clean_lenhei(positive(float_column(lenhei_cm, n)), codes, age)
    others = {
        "hcfa": headc_cm, "acfa": armc_cm, "tsfa": triskin_mm, "ssfa": subskin_mm,
    }  # fmt: skip
    raw = _indicators(
        age, weight, clenhei, codes,
        {name: positive(float_column(values, n)) for name, values in others.items()},
    )  # fmt: skip
    return rounded_and_flagged(raw, _FLAG_LIMITS)
