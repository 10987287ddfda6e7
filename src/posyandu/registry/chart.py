"""The geometry of a growth chart a mother can read (like the KMS in the Buku KIA).

Pure: no Django, no clock. It draws, for one sex and one indicator, the WHO 2006 curves at
−3, −2, 0, +1, +2 and +3 SD computed from the LMS tables with the LMS formula

    value(z) = M · (1 + L·S·z)^(1/L)      (M · exp(S·z) when L = 0)

once per month of age, shades the bands between the class bounds it is given (the Permenkes
classes of that indicator), and places the child's measurements as points joined by a line.
Every coordinate is returned as text with a decimal point, ready for the SVG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from posyandu.core.dates import DAYS_PER_MONTH
from posyandu.core.growth.tables import table


def _fmt(value: float) -> str:
    return f"{value:.1f}"


# The chart's indicators and their WHO 2006 tables (keyed by age in days).
TABLES = {"wfa": "wfa", "hfa": "lhfa"}
SD_LINES = (-3.0, -2.0, 0.0, 1.0, 2.0, 3.0)
# The SVG's coordinate box: 360 wide, so it is drawn 1:1 on a 360 px phone.
WIDTH, HEIGHT = 360, 250
LEFT, RIGHT, TOP, BOTTOM = 34.0, 330.0, 8.0, 212.0
FRAME = {
    "left": _fmt(LEFT),
    "top": _fmt(TOP),
    "right": _fmt(RIGHT),
    "bottom": _fmt(BOTTOM),
    "sd_label_x": _fmt(RIGHT + 3),
    "x_tick_y": _fmt(BOTTOM + 14),
    "y_tick_x": _fmt(LEFT - 4),
    "x_title_x": _fmt((LEFT + RIGHT) / 2),
    "x_title_y": _fmt(HEIGHT - 4),
    "y_title": f"translate(10 {_fmt((TOP + BOTTOM) / 2)}) rotate(-90)",
}
_STEPS = (1, 2, 5, 10, 20, 50)
_MAX_Y_TICKS = 9


@dataclass(frozen=True)
class Band:
    """A shaded band between two z bounds (None: open below or above) and its class code."""

    class_code: str
    lower_z: float | None
    upper_z: float | None
    path: str


@dataclass(frozen=True)
class Line:
    """One SD curve, with where its label sits at the right edge."""

    z: float
    path: str
    label: str
    label_y: str


@dataclass(frozen=True)
class Tick:
    position: str
    label: str


@dataclass(frozen=True)
class Point:
    """One measurement on the chart."""

    x: str
    y: str
    age_months: float
    value: float
    key: str  # what the caller passed to identify it (e.g. the date), for its tooltip


@dataclass(frozen=True)
class Chart:
    """Everything the template needs to draw one chart."""

    indicator: str
    sex: str
    max_months: int
    width: int
    height: int
    frame: dict[str, str]  # the plot's edges and where the axis texts go
    bands: tuple[Band, ...]
    lines: tuple[Line, ...]
    points: tuple[Point, ...]
    trail: str  # the points joined, as a polyline's points attribute
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]


def sd_value(lam: float, mu: float, sigma: float, z: float) -> float:
    """Return the measurement at z SD of an LMS distribution."""
    if lam == 0:
        return mu * math.exp(sigma * z)
    return mu * (1 + lam * sigma * z) ** (1 / lam)


def sd_curve(indicator: str, sex: str, z: float, months: Sequence[int]) -> list[float]:
    """Return the value at z SD for each whole month of age (sex 'M' or 'F')."""
    lms = table(TABLES[indicator])
    offset = lms.size if sex == "F" else 0
    values = []
    for month in months:
        row = offset + round(month * DAYS_PER_MONTH) - lms.first
        values.append(
            sd_value(float(lms.lms.lam[row]), float(lms.lms.mu[row]), float(lms.lms.sigma[row]), z)
        )
    return values


def _step(low: float, high: float) -> int:
    return next((s for s in _STEPS if (high - low) / s <= _MAX_Y_TICKS), _STEPS[-1])


class _Scale:
    """Map months and values to SVG coordinates."""

    def __init__(self, max_months: int, low: float, high: float) -> None:
        self.max_months, self.low, self.high = max_months, low, high

    def x(self, months: float) -> float:
        return LEFT + (RIGHT - LEFT) * months / self.max_months

    def y(self, value: float) -> float:
        return BOTTOM - (BOTTOM - TOP) * (value - self.low) / (self.high - self.low)


def growth_chart(
    *,
    indicator: str,
    sex: str,
    bands: Sequence[tuple[str, float | None, float | None]],
    measurements: Sequence[tuple[str, float, float]],
    max_months: int | None = None,
) -> Chart:
    """Return the chart of one indicator for one child.

    `bands` are (class code, lower z, upper z) from low to high, None for an open end;
    `measurements` are (key, age in days, value) of the child. The age axis runs to 24 months
    while every point and `max_months` fit, else to 60.
    """
    points_in = [
        (k, d / DAYS_PER_MONTH, v) for k, d, v in measurements if 0 <= d / DAYS_PER_MONTH <= 60
    ]
    if max_months is None:
        oldest = max((m for _, m, _ in points_in), default=0.0)
        max_months = 24 if oldest <= 24 else 60
    months = list(range(max_months + 1))
    bounds = {z for _, lower, upper in bands for z in (lower, upper) if z is not None}
    curves = {z: sd_curve(indicator, sex, z, months) for z in {*SD_LINES, *bounds}}
    values = [v for _, _, v in points_in]
    step = _step(min(curves[-3.0] + values), max(curves[3.0] + values))
    low = math.floor(min(curves[-3.0] + values) / step) * step
    high = math.ceil(max(curves[3.0] + values) / step) * step
    scale = _Scale(max_months, low, high)
    points = tuple(
        Point(_fmt(scale.x(m)), _fmt(scale.y(v)), m, v, k)
        for k, m, v in sorted(points_in, key=lambda p: p[1])
    )
    return Chart(
        indicator=indicator,
        sex=sex,
        max_months=max_months,
        width=WIDTH,
        height=HEIGHT,
        frame=FRAME,
        bands=tuple(_band(code, lo, hi, curves, months, scale) for code, lo, hi in bands),
        lines=tuple(_line(z, curves[z], months, scale) for z in SD_LINES),
        points=points,
        trail=" ".join(f"{p.x},{p.y}" for p in points),
        x_ticks=tuple(
            Tick(_fmt(scale.x(m)), str(m))
            for m in range(0, max_months + 1, 3 if max_months <= 24 else 6)
        ),
        y_ticks=tuple(Tick(_fmt(scale.y(v)), str(v)) for v in range(int(low), int(high) + 1, step)),
    )


def _edge(
    z: float | None, curves: dict[float, list[float]], months: list[int], scale: _Scale
) -> list[tuple[float, float]]:
    """Return the band edge at z from left to right (empty when the band is open there)."""
    if z is None:
        return []
    return [(scale.x(m), scale.y(v)) for m, v in zip(months, curves[z], strict=True)]


def _band(
    code: str,
    lower_z: float | None,
    upper_z: float | None,
    curves: dict[float, list[float]],
    months: list[int],
    scale: _Scale,
) -> Band:
    top = _edge(upper_z, curves, months, scale) or [(scale.x(0), TOP), (scale.x(months[-1]), TOP)]
    bottom = _edge(lower_z, curves, months, scale) or [
        (scale.x(0), BOTTOM),
        (scale.x(months[-1]), BOTTOM),
    ]
    outline = top + bottom[::-1]
    path = "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in outline) + " Z"
    return Band(code, lower_z, upper_z, path)


def _line(z: float, values: list[float], months: list[int], scale: _Scale) -> Line:
    coords = [(scale.x(m), scale.y(v)) for m, v in zip(months, values, strict=True)]
    path = "M" + " L".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coords)
    label = "0" if z == 0 else f"{z:+.0f}"
    return Line(z, path, label, _fmt(coords[-1][1] + 3))
