"""The shared frame of one demo build: the time window and each posyandu's place and people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.models import User

from posyandu.core.dates import add_months
from posyandu.regions.models import Facility, Region


@dataclass(frozen=True)
class Window:
    """The months of service days: `months` calendar months ending in the month of as_of."""

    as_of: dt.date
    months: int

    @cached_property
    def month_starts(self) -> list[dt.date]:
        """Return the first day of every month of the window, oldest first."""
        first = self.as_of.replace(day=1)
        return [add_months(first, -k) for k in range(self.months - 1, -1, -1)]

    @cached_property
    def start(self) -> dt.date:
        """Return the first day of the window."""
        return self.month_starts[0]

    def month_index(self, day: dt.date) -> int:
        """Return the window month of a date (negative before the window)."""
        return (day.year - self.start.year) * 12 + day.month - self.start.month


@dataclass
class Site:
    """One posyandu with its place in the jejaring and the staff who record its work."""

    index: int
    posyandu: Facility
    pustu: Facility
    puskesmas: Facility
    desa: Region
    kecamatan: Region
    kader_user: User | None = None
    bidan_user: User | None = None
    puskesmas_user: User | None = None
    persons_target: int = 0

    @property
    def region6(self) -> str:
        """Return the kecamatan's 6 NIK digits."""
        return self.kecamatan.code.replace(".", "")


@dataclass
class Jejaring:
    """Every region and facility of the demo kabupaten."""

    province: Region
    kabupaten: Region
    kecamatan: list[Region]
    desa: list[Region]
    puskesmas: list[Facility]
    pustu: list[Facility]
    sites: list[Site]
