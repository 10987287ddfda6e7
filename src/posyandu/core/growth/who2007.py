"""WHO Growth Reference 2007 (5-19 years), vectorised over whole columns.

Follows WHO's R package `anthroplus` (`anthroplus_zscores`):

- `age_months` is a float (fractional months allowed), NaN or negative for unknown. L, M and S
  are interpolated linearly between the table rows of the completed month below and the month
  above; a whole month uses its own row.
- height-for-age and BMI-for-age from 60 to 228 months inclusive, weight-for-age from 60 to
  120 months inclusive; outside, no z.
- the height is used as given: the 2007 reference is for standing height and anthroplus makes
  no lying/standing adjustment, so this engine takes no measure column.
- `sex` (1/2, 0 unknown), measurements (NaN, zero or negative: missing) and `oedema` (no
  weight-based z) as in `who2006`.

Output: zhfa fhfa zwfa fwfa zbfa fbfa, z rounded to 2 decimals as R's round() does.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from posyandu.core.growth.tables import FloatArray, IntArray, table
from posyandu.core.growth.zscore import (
    BoolArray,
    bool_column,
    float_column,
    positive,
    rounded_and_flagged,
    sex_codes,
    z_interpolated,
)

FIRST_MONTH = 60
LAST_MONTH = 228
LAST_MONTH_WFA = 120

# Plausible z ranges: outside them WHO flags the z (1) as a likely measurement error.
_FLAG_LIMITS = {"hfa": (-6.0, 6.0), "wfa": (-6.0, 5.0), "bfa": (-5.0, 5.0)}

OUTPUT_KEYS_2007 = ("zhfa", "fhfa", "zwfa", "fwfa", "zbfa", "fbfa")


def _by_month(
    name: str,
    y: FloatArray,
    female: IntArray,
    months: FloatArray,
    usable: BoolArray,
    restricted: bool,
) -> FloatArray:
    """Return the unrounded z of y, L, M, S interpolated between completed months."""
    tab = table(name)
    safe = np.where(usable, months, float(FIRST_MONTH))
    low = np.trunc(safe)
    frac = safe - low
    low_rows = tab.index(female, low.astype(np.int64), usable)
    high_rows = tab.index(female, np.trunc(safe + 1.0).astype(np.int64), usable)
    return z_interpolated(tab.lms, y, low_rows, high_rows, frac, restricted)


# Overflow, 0/0 and the like only make NaN or inf, which the engine treats as "no z".
@np.errstate(all="ignore")
def who2007_zscores(
    sex: npt.ArrayLike,
    age_months: npt.ArrayLike,
    weight_kg: npt.ArrayLike | None = None,
    height_cm: npt.ArrayLike | None = None,
    oedema: npt.ArrayLike | None = None,
) -> dict[str, FloatArray]:
    """Compute the three WHO 2007 indicators for whole columns (see the module docstring)."""
    female, sex_known = sex_codes(sex)
    n = len(female)
    months = float_column(age_months, n)
    with np.errstate(invalid="ignore"):
        in_range = sex_known & (months >= FIRST_MONTH) & (months <= LAST_MONTH)
        in_range_wfa = in_range & (months <= LAST_MONTH_WFA)
    has_oedema = bool_column(oedema, n)
    weight = np.where(has_oedema, np.nan, positive(float_column(weight_kg, n)))
    height = positive(float_column(height_cm, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        metres = height / 100.0
        bmi = weight / (metres * metres)
    raw = {
        "hfa": _by_month("hfa2007", height, female, months, in_range, False),
        "wfa": _by_month("wfa2007", weight, female, months, in_range_wfa, True),
        "bfa": _by_month("bfa2007", bmi, female, months, in_range, True),
    }
    return rounded_and_flagged(raw, _FLAG_LIMITS)
