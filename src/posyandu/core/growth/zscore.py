"""The LMS arithmetic shared by both references, on whole NumPy columns.

Where WHO's R packages (anthro, anthroplus) and the published method differ, these functions
follow the R code, because its output is what survey tools and the golden files show.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from posyandu.core.growth.tables import FloatArray, IntArray, Lms, LmsTable

BoolArray = npt.NDArray[np.bool_]
Int8Array = npt.NDArray[np.int8]

# Above 2**43, R's round(x, 2) returns x unchanged: the number has no decimals to keep.
_R_ROUND_LIMIT = 2.0**43


def sex_codes(sex: npt.ArrayLike) -> tuple[IntArray, BoolArray]:
    """Return (female: 1 for sex 2 else 0, known: sex is 1 or 2) from a numeric sex column."""
    arr = np.asarray(sex)
    is_female = arr == 2
    return is_female.astype(np.int64), (arr == 1) | is_female


def float_column(values: npt.ArrayLike | None, n: int) -> FloatArray:
    """Return values as a float64 column of length n; None gives a column of NaN."""
    if values is None:
        return np.full(n, np.nan)
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        raise ValueError(f"every column must have length {n}, got shape {arr.shape}")
    return arr


def bool_column(values: npt.ArrayLike | None, n: int) -> BoolArray:
    """Return values as a boolean column of length n; None gives all False."""
    if values is None:
        return np.zeros(n, dtype=bool)
    arr = np.asarray(values, dtype=bool)
    if arr.shape != (n,):
        raise ValueError(f"every column must have length {n}, got shape {arr.shape}")
    return arr


def lms_z(y: FloatArray, p: Lms) -> FloatArray:
    """Return the LMS z-score ((y/M)^L - 1)/(L·S), or ln(y/M)/S where L is 0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = y / p.mu
        # In place: a million-row column per temporary costs more than the arithmetic.
        z = np.power(ratio, p.lam)
        z -= 1.0
        z /= p.lam * p.sigma
        zero_l = p.lam == 0.0
        if zero_l.any():
            z[zero_l] = (np.log(ratio) / p.sigma)[zero_l]
    return z


def lms_z_l_one(y: FloatArray, p: Lms) -> FloatArray:
    """Return the LMS z-score where L is 1 on every row: (y/M - 1)/S."""
    # pow(x, 1) is exactly x in IEEE arithmetic, so this equals lms_z bit for bit.
    with np.errstate(divide="ignore", invalid="ignore"):
        return (y / p.mu - 1.0) / p.sigma


def sd_value(k: float, p: Lms) -> FloatArray:
    """Return the measurement at k SD: M(1 + L·S·k)^(1/L)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return p.mu * np.power(1.0 + p.lam * p.sigma * k, 1.0 / p.lam)


def restrict(z: FloatArray, y: FloatArray, p: Lms) -> FloatArray:
    """Replace z beyond ±3 by WHO's restricted z, measured in the SD2-SD3 distance.

    Beyond +3: 3 + (y - SD3)/(SD3 - SD2); beyond -3: -3 + (y - SD-3)/(SD-2 - SD-3). The tails
    of skewed distributions are stretched by the power transform; this keeps them linear.
    Only the few rows beyond ±3 are recomputed.
    """
    out = z.copy()
    with np.errstate(invalid="ignore"):
        high = np.flatnonzero(z > 3.0)
        low = np.flatnonzero(z < -3.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if high.size:
            p_high = p.take(high)
            sd3 = sd_value(3.0, p_high)
            out[high] = 3.0 + (y[high] - sd3) / (sd3 - sd_value(2.0, p_high))
        if low.size:
            p_low = p.take(low)
            sdm3 = sd_value(-3.0, p_low)
            out[low] = -3.0 + (y[low] - sdm3) / (sd_value(-2.0, p_low) - sdm3)
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
        distance = np.abs(np.subtract(scaled, nearest, out=scaled), out=scaled)
        delicate = distance > 0.4999
        delicate |= nearest >= _R_ROUND_LIMIT * 100.0
        delicate |= nearest <= -_R_ROUND_LIMIT * 100.0
        out = np.divide(nearest, 100.0, out=nearest)
        out += 0.0
    rows = np.flatnonzero(delicate)
    if rows.size:
        out[rows] = _r_round2_exact(x[rows])
    return out


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
    return np.where((ax >= _R_ROUND_LIMIT) | ~np.isfinite(ax), x, sign * rounded) + 0.0


def r_round2_scalar(x: float) -> float:
    """Return `r_round2` of one float in plain Python: the same double, without an array.

    Every step is the same IEEE operation as in `r_round2` (Python's round() of a float is
    round-half-even, as rint is), so the two agree bit for bit (tests/core/growth/test_scalar.py).
    """
    if not math.isfinite(x):
        return x + 0.0
    scaled = x * 100.0
    if math.isfinite(scaled):
        nearest = float(round(scaled))
        if abs(scaled - nearest) <= 0.4999 and abs(nearest) < _R_ROUND_LIMIT * 100.0:
            return nearest / 100.0 + 0.0
    ax = abs(x)
    if ax >= _R_ROUND_LIMIT:
        return x + 0.0
    down = math.floor(ax * 100.0)
    lower = down / 100.0
    upper = math.ceil(ax * 100.0) / 100.0
    d_up, d_down = upper - ax, ax - lower
    pick_up = d_up < d_down or (d_up == d_down and down % 2 == 1)
    return (-1.0 if x < 0.0 else 1.0) * (upper if pick_up else lower) + 0.0


def flag(z: FloatArray, low: float, high: float) -> FloatArray:
    """Return 1.0 where z < low or z > high, 0.0 elsewhere and NaN where z is NaN."""
    with np.errstate(invalid="ignore"):
        out = ((z < low) | (z > high)).astype(np.float64)
    out[np.isnan(z)] = np.nan
    return out


def rounded_and_flagged(
    raw: dict[str, FloatArray], limits: dict[str, tuple[float, float]]
) -> dict[str, FloatArray]:
    """Return z<name> (rounded as R does) and f<name> (outside the plausible limits) columns.

    As in WHO's code, the flag is decided on the rounded z.
    """
    out: dict[str, FloatArray] = {}
    for name, z_raw in raw.items():
        z = r_round2(z_raw)
        out["z" + name] = z
        out["f" + name] = flag(z, *limits[name])
    return out


def z_from_rows(tab: LmsTable, y: FloatArray, rows: IntArray, restricted: bool) -> FloatArray:
    """Return the unrounded z of y against the table rows `rows` (no interpolation)."""
    if tab.l_is_one and not restricted:
        # Skips gathering L and the power: the common path for length and head circumference.
        p = Lms(tab.lms.lam, tab.lms.mu.take(rows), tab.lms.sigma.take(rows))
        return lms_z_l_one(y, p)
    p = tab.lms.take(rows)
    z = lms_z(y, p)
    return restrict(z, y, p) if restricted else z


def z_interpolated(
    lms: Lms,
    y: FloatArray,
    low_rows: IntArray,
    high_rows: IntArray,
    frac: FloatArray,
    restricted: bool,
) -> FloatArray:
    """Return the unrounded z of y with L, M and S interpolated linearly between two rows.

    `frac` is the position between the rows; where it is 0 the low row is used alone, as WHO
    does, so a key on the last row of a table needs no row above it.
    """
    # Where frac is 0 read the low row twice: lo + 0·(lo - lo) is exactly lo, as WHO's
    # "use the low row" is, and a missing row above the last one cannot leak a NaN in.
    high_rows = np.where(frac > 0.0, high_rows, low_rows)
    lo, hi = lms.take(low_rows), lms.take(high_rows)
    params = []
    for a, b in zip(lo, hi, strict=True):
        # In place, in WHO's order lo + frac·(hi - lo), so results match R bit for bit.
        step = np.subtract(b, a, out=b)
        step *= frac
        step += a
        params.append(step)
    p = Lms(*params)
    z = lms_z(y, p)
    return restrict(z, y, p) if restricted else z


def positive(values: FloatArray) -> FloatArray:
    """Return the values with non-positive or infinite ones replaced by NaN (missing)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values) & (values > 0.0), values, np.nan)
