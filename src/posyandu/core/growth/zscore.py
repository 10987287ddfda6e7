"""The LMS arithmetic shared by both references, on whole NumPy columns.

Where WHO's R packages (anthro, anthroplus) and the published method differ, these functions
follow the R code, because its output is what survey tools and the golden files show.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from posyandu.core.growth.tables import FloatArray, IntArray, LmsTable

BoolArray = npt.NDArray[np.bool_]

# Above 2**43, R's round(x, 2) returns x unchanged: the number has no decimals to keep.
_R_ROUND_LIMIT = 2.0**43


def lms_z(y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """Return the LMS z-score ((y/M)^L - 1)/(L·S), or ln(y/M)/S where L is 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = y / m
        z = (np.power(ratio, l) - 1.0) / (l * s)
        zero_l = l == 0.0
        if zero_l.any():
            z[zero_l] = (np.log(ratio) / s)[zero_l]
    return z


def lms_z_l_one(y: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:
    """Return the LMS z-score for a table whose L is 1 everywhere: (y/M - 1)/S."""
    # pow(x, 1) is exactly x in IEEE arithmetic, so this equals lms_z bit for bit.
    with np.errstate(divide="ignore", invalid="ignore"):
        return (y / m - 1.0) / s


def sd_value(k: float, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """Return the measurement at k SD: M(1 + L·S·k)^(1/L)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return m * np.power(1.0 + l * s * k, 1.0 / l)


def restrict(z: FloatArray, y: FloatArray, l: FloatArray, m: FloatArray, s: FloatArray) -> FloatArray:  # noqa: E741
    """Replace z beyond ±3 by WHO's restricted z, measured in the SD2-SD3 distance.

    Beyond +3: 3 + (y - SD3)/(SD3 - SD2); beyond -3: -3 + (y - SD-3)/(SD-2 - SD-3). Only the few
    rows beyond ±3 are recomputed.
    """
    out = z.copy()
    with np.errstate(invalid="ignore"):
        high = np.flatnonzero(z > 3.0)
        low = np.flatnonzero(z < -3.0)
    if high.size:
        lh, mh, sh, yh = l[high], m[high], s[high], y[high]
        sd3 = sd_value(3.0, lh, mh, sh)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[high] = 3.0 + (yh - sd3) / (sd3 - sd_value(2.0, lh, mh, sh))
    if low.size:
        ll, ml, sl, yl = l[low], m[low], s[low], y[low]
        sdm3 = sd_value(-3.0, ll, ml, sl)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[low] = -3.0 + (yl - sdm3) / (sd_value(-2.0, ll, ml, sl) - sdm3)
    return out


def r_round2(x: FloatArray) -> FloatArray:
    """Round to 2 decimals exactly as R (>= 4.0.0) `round(x, 2)` does; NaN stays NaN.

    R picks whichever of floor(100x)/100 and ceil(100x)/100 is nearer to x in double
    arithmetic, and the even one on an exact tie. That is plain rint(100x)/100 except within a
    hair of a tie, so only those rows take the exact (slower) path. Negative zero becomes 0.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = x * 100.0
        nearest = np.rint(scaled)
        out = nearest / 100.0
        delicate = np.flatnonzero((np.abs(scaled - nearest) > 0.4999) | (np.abs(x) >= _R_ROUND_LIMIT))
    if delicate.size:
        out[delicate] = _r_round2_exact(x[delicate])
    return out + 0.0


def _r_round2_exact(x: FloatArray) -> FloatArray:
    sign = np.where(x < 0.0, -1.0, 1.0)
    ax = np.abs(x)
    with np.errstate(invalid="ignore", over="ignore"):
        down = np.floor(ax * 100.0)
        lower = down / 100.0
        upper = np.ceil(ax * 100.0) / 100.0
        d_up = upper - ax
        d_down = ax - lower
        odd = np.fmod(down, 2.0) == 1.0
        pick_up = (d_up < d_down) | ((d_up == d_down) & odd)
    rounded = np.where(pick_up, upper, lower)
    return np.where((ax >= _R_ROUND_LIMIT) | ~np.isfinite(ax), x, sign * rounded)


def flag(z: FloatArray, low: float, high: float) -> FloatArray:
    """Return 1.0 where z < low or z > high, 0.0 elsewhere and NaN where z is NaN."""
    with np.errstate(invalid="ignore"):
        out = ((z < low) | (z > high)).astype(np.float64)
    out[np.isnan(z)] = np.nan
    return out


def z_from_rows(tab: LmsTable, y: FloatArray, rows: IntArray, restricted: bool) -> FloatArray:
    """Return the unrounded z of y against the table rows `rows` (no interpolation)."""
    m = tab.m.take(rows)
    s = tab.s.take(rows)
    if tab.l_is_one and not restricted:
        return lms_z_l_one(y, m, s)
    lv = tab.l.take(rows)
    z = lms_z(y, lv, m, s)
    return restrict(z, y, lv, m, s) if restricted else z


def z_interpolated(
    tab: LmsTable,
    y: FloatArray,
    low_rows: IntArray,
    high_rows: IntArray,
    frac: FloatArray,
    restricted: bool,
) -> FloatArray:
    """Return the unrounded z of y with L, M and S interpolated linearly between two rows.

    `frac` is the position between the rows (0 uses the low row alone, as WHO does, so a key
    on the last row of a table needs no row above it).
    """
    params = []
    for col in (tab.l, tab.m, tab.s):
        lo = col.take(low_rows)
        hi = col.take(high_rows)
        # Same operation order as WHO's R code (lo + frac·(hi - lo)) so results match bitwise.
        params.append(np.where(frac > 0.0, lo + frac * (hi - lo), lo))
    lv, m, s = params
    z = lms_z(y, lv, m, s)
    return restrict(z, y, lv, m, s) if restricted else z


def positive(values: FloatArray) -> FloatArray:
    """Return the values with non-positive or infinite ones replaced by NaN (missing)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0.0), values, np.nan)
