"""Calendar arithmetic for ages and due dates (no clock: every date is passed in).

Adding calendar months to a date that does not exist in the target month gives that month's
last day (31 January + 1 month = 28/29 February); completed months follow the same rule, so a
child born on 31 January is 1 month old on 28/29 February (ASSESS.md, "Stages").
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

DAYS_PER_MONTH = 30.4375  # WHO: months = days / 30.4375

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_length(year: int, month: int) -> int:
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]


def add_months(start: dt.date, months: int) -> dt.date:
    """Return `start` plus whole calendar months, clamped to the target month's last day."""
    year, month0 = divmod(start.year * 12 + (start.month - 1) + months, 12)
    day = start.day
    if day > 28:  # only the 29th to 31st can be missing from a month
        day = min(day, _month_length(year, month0 + 1))
    return dt.date(year, month0 + 1, day)


def completed_months(birth: dt.date, on: dt.date) -> int:
    """Return the calendar months completed from `birth` to `on` (negative if `on` is earlier)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    # `birth` + `months` lands in on's month, on birth's day clamped to that month's length:
    # after `on` exactly when birth's day is later and `on` is not its month's last day.
    day = on.day
    if birth.day > day and (day < 28 or day < _month_length(on.year, on.month)):
        months -= 1
    return months


class Age(NamedTuple):
    """An age on a date: completed days, calendar months and years.

    A NamedTuple, as the assessment's output types are: immutable, and cheap to make. Every
    assessment makes one, for a person of its own birth date, so there is no cache: in a
    batch almost every (birth, on) pair is new, and a cache miss cost more than the
    arithmetic (measured).
    """

    days: int
    months: int
    years: int

    @classmethod
    def between(cls, birth: dt.date, on: dt.date) -> Age:
        """Return the age on `on` of someone born on `birth`."""
        months = completed_months(birth, on)
        return cls((on - birth).days, months, months // 12)
