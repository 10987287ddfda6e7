"""Trend sparklines as inline SVG, drawn on the server (no JavaScript, no chart library).

One point per month, left (oldest) to right; a month without a value is a hollow point on
the baseline and breaks the line. A dashed line marks the target when it lies in view. The
SVG carries a text summary for screen readers, and each point a tooltip with its month.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 132, 36, 4


def sparkline(
    values: Sequence[float | None],
    *,
    months: Sequence[str],
    summary: str,
    target: float | None = None,
    decimals: int = 1,
) -> SafeString:
    """Return an SVG sparkline of `values` (one per month, labelled by `months`)."""
    known = [v for v in values if v is not None]
    scale = [*known, *([] if target is None else [target])]
    low, high = (min(scale), max(scale)) if scale else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def y_of(v: float) -> float:
        return HEIGHT - PAD - (v - low) / (high - low) * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg class="spark" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    if target is not None and known:
        y = y_of(target)
        parts.append(
            f'<line class="target" x1="{PAD}" y1="{y:.1f}" x2="{WIDTH - PAD}" y2="{y:.1f}" />'
        )
    parts.append(f'<path class="line" d="{_path(values, step, y_of)}" />')
    parts += [
        _point(PAD + i * step, v, y_of, month, decimals)
        for i, (v, month) in enumerate(zip(values, months, strict=True))
    ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


def _point(
    x: float, v: float | None, y_of: Callable[[float], float], month: str, decimals: int
) -> str:
    """Return one month's point with its tooltip (hollow, on the baseline, without a value)."""
    if v is None:
        return (
            f'<circle class="point none" cx="{x:.1f}" cy="{HEIGHT - PAD:.1f}" r="1.8">'
            f"<title>{escape(month)}: –</title></circle>"
        )
    shown = escape(number_format(round(v, decimals), decimals))
    return (
        f'<circle class="point" cx="{x:.1f}" cy="{y_of(v):.1f}" r="2.2">'
        f"<title>{escape(month)}: {shown}</title></circle>"
    )


def _path(values: Sequence[float | None], step: float, y_of: Callable[[float], float]) -> str:
    """Return the path data joining neighbouring months that both have a value."""
    commands, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        commands.append(f"{'L' if pen_down else 'M'}{PAD + i * step:.1f},{y_of(v):.1f}")
        pen_down = True
    return " ".join(commands)
