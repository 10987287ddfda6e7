"""Read a tally as a value and judge it against its target: met, near or not met.

A ratio's value is 100 x numerator / denominator (a percentage; none without a denominator),
a count's is its numerator, a median's the median of its values (none without values). The
judgement is exact (fractions, no float rounding at the boundary): with a "min" target the
value must reach it, with a "max" target stay at or under it; within `warn_within` points the
status is "near". A prorated yearly target is scaled by the month of the year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from typing import Literal

from posyandu.core.indicators.model import Tally
from posyandu.core.indicators.rules import Definition, Target

Status = Literal["met", "near", "not_met"]
Movement = Literal["up", "down", "same"]


def exact_value(definition: Definition, tally: Tally) -> Fraction | None:
    """Return the indicator's value as an exact fraction, or None when it has none."""
    if definition.kind == "count":
        return Fraction(tally.numerator)
    if definition.kind == "ratio":
        return Fraction(100 * tally.numerator, tally.denominator) if tally.denominator else None
    return median(tally.values)


def value(definition: Definition, tally: Tally) -> float | None:
    """Return the indicator's value to show (a percentage for ratios), or None."""
    found = exact_value(definition, tally)
    return None if found is None else float(found)


def goal(target: Target, month: dt.date) -> Fraction:
    """Return the target for the month (a prorated yearly target: value x month / 12)."""
    base = _exact(target.value)
    return base * month.month / 12 if target.prorate else base


def judge(definition: Definition, tally: Tally, month: dt.date) -> Status | None:
    """Return met / near / not_met against the target, or None (no target or no value)."""
    target = definition.target
    found = exact_value(definition, tally)
    if target is None or found is None:
        return None
    aim, margin = goal(target, month), _exact(target.warn_within)
    if target.direction == "min":
        if found >= aim:
            return "met"
        return "near" if found >= aim - margin else "not_met"
    if found <= aim:
        return "met"
    return "near" if found <= aim + margin else "not_met"


def movement(current: float | None, previous: float | None) -> Movement | None:
    """Return whether the value went up, down or stayed since the previous month."""
    if current is None or previous is None:
        return None
    if current > previous:
        return "up"
    return "down" if current < previous else "same"


@cache
def _exact(number: float) -> Fraction:
    """Return a target number as the exact fraction of its decimal text (80.0 → 80)."""
    return Fraction(str(number))


def median(values: Sequence[int]) -> Fraction | None:
    """Return the median of whole values (the mean of the middle two for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)
