"""The WHO method worked by hand, in plain Python from the table files, to check the engines."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

DATA = Path(__file__).parents[3] / "src" / "posyandu" / "core" / "growth" / "data"


@cache
def _rows(file: str) -> dict[tuple[int, str], tuple[float, float, float]]:
    lines = (DATA / file).read_text(encoding="ascii").splitlines()[1:]
    out = {}
    for line in lines:
        sex, key, lam, mu, sigma = line.split("\t")[:5]
        out[(int(sex), f"{float(key):g}")] = (float(lam), float(mu), float(sigma))
    return out


def lms(file: str, sex: int, key: float) -> tuple[float, float, float]:
    """Return (L, M, S) of the row for sex and key (day, month or cm) in a table file."""
    return _rows(file)[(sex, f"{key:g}")]


def z(y: float, lam: float, mu: float, sigma: float) -> float:
    """Return the plain LMS z-score."""
    if lam == 0:
        return math.log(y / mu) / sigma
    return ((y / mu) ** lam - 1) / (lam * sigma)


def sd(k: float, lam: float, mu: float, sigma: float) -> float:
    """Return the measurement at k standard deviations."""
    return mu * (1 + lam * sigma * k) ** (1 / lam)


def restricted_z(y: float, lam: float, mu: float, sigma: float) -> float:
    """Return WHO's z with the linear tails beyond ±3 SD."""
    plain = z(y, lam, mu, sigma)
    if plain > 3:
        sd3 = sd(3, lam, mu, sigma)
        return 3 + (y - sd3) / (sd3 - sd(2, lam, mu, sigma))
    if plain < -3:
        sdm3 = sd(-3, lam, mu, sigma)
        return -3 + (y - sdm3) / (sd(-2, lam, mu, sigma) - sdm3)
    return plain


def between(
    low: tuple[float, float, float], high: tuple[float, float, float], frac: float
) -> tuple[float, float, float]:
    """Return L, M, S interpolated linearly a fraction of the way from low to high."""
    lam, mu, sigma = (a + frac * (b - a) for a, b in zip(low, high, strict=True))
    return lam, mu, sigma
