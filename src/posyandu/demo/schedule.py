"""Each posyandu's monthly opening day (hari buka) over the window, and how far it got.

A posyandu opens on a fixed weekday of a fixed week (e.g. the second Tuesday). Days of past
months were checked by the kader and confirmed by the bidan; this month's day may still wait
for the bidan, is planned when it is still ahead, and Posyandu Melati (the kader persona's)
is open on the reference date itself, with visitors part-way through the five steps.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings

from posyandu.common.models import Entity
from posyandu.demo.context import Site, Window
from posyandu.demo.identity import new_uuid
from posyandu.visits.models import ServiceDay

OPEN_TODAY = "Melati"
Row = TypeVar("Row", bound=Entity)


def local_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Return an aware datetime on `day` in the installation's time zone."""
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def stamp(row: Row, created: dt.datetime, updated: dt.datetime | None = None) -> Row:
    """Date a record: when it was made and last changed (the loader keeps these times)."""
    row.created_at, row.updated_at = created, updated or created
    return row


@dataclass
class Day:
    """A service day with its window month."""

    month: int
    row: ServiceDay

    @property
    def date(self) -> dt.date:
        """Return the day's date."""
        return self.row.date

    @property
    def held(self) -> bool:
        """Return True when visitors came (the day is open or done)."""
        return self.row.status != ServiceDay.Status.PLANNED


def _nth_weekday(first: dt.date, week: int, weekday: int) -> dt.date:
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (week - 1))


def _status(rng: random.Random, day: ServiceDay, site: Site, as_of: dt.date) -> None:
    """Set the day's status and who checked and confirmed it, never later than as_of."""
    if day.date > as_of:
        return
    if day.date == as_of:
        day.status = ServiceDay.Status.OPEN
        return
    day.status = ServiceDay.Status.VALIDATED
    day.validated_by, day.validated_at = (
        site.kader_user,
        local_time(day.date, 13, rng.randint(0, 59)),
    )
    confirmed_on = day.date + dt.timedelta(days=rng.randint(1, 6))
    recent = (as_of - day.date).days < 40
    if confirmed_on < as_of and not (recent and rng.random() < 0.35):
        day.status = ServiceDay.Status.CONFIRMED
        day.confirmed_by, day.confirmed_at = (
            site.bidan_user,
            local_time(confirmed_on, 10, rng.randint(0, 59)),
        )


def service_days(site: Site, rng: random.Random, window: Window) -> list[Day]:
    """Return the posyandu's service days over the window (unsaved rows)."""
    week, weekday = rng.randint(1, 3), rng.randint(0, 5)
    days = []
    for month, first in enumerate(window.month_starts):
        date = _nth_weekday(first, week, weekday)
        if site.posyandu.name == OPEN_TODAY and first == window.month_starts[-1]:
            date = window.as_of
        row = ServiceDay(uuid=new_uuid(rng), posyandu=site.posyandu, date=date)
        _status(rng, row, site, window.as_of)
        changed = row.confirmed_at or row.validated_at
        stamp(row, local_time(min(date, window.as_of) - dt.timedelta(days=25), 9), changed)
        days.append(Day(month, row))
    return days
