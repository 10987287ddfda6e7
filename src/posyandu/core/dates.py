"""Calendar arithmetic for ages and due dates (no clock: every date is passed in).

Adding calendar months to a date that does not exist in the target month gives that month's
last day (31 January + 1 month = 28/29 February); completed months follow the same rule, so a
child born on 31 January is 1 month old on 28/29 February (ASSESS.md, "Stages").
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

DAYS_PER_MONTH = 30.4375  # WHO: months = days / 30.4375


def add_months(start: dt.date, months: int) -> dt.date:
    """Return `start` plus whole calendar months, clamped to the target month's last day."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(start.day, last_day))


def completed_months(birth: dt.date, on: dt.date) -> int:
    """Return the calendar months completed from `birth` to `on` (negative if `on` is earlier)."""
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if add_months(birth, months) > on:
        months -= 1
    return months


@dataclass(frozen=True)
class Age:
    """An age on a date: completed days, calendar months and years."""

    days: int
    months: int
    years: int

    @classmethod
    def between(cls, birth: dt.date, on: dt.date) -> Age:
        """Return the age on `on` of someone born on `birth`."""
        months = completed_months(birth, on)
        return cls(days=(on - birth).days, months=months, years=months // 12)
