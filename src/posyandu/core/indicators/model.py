"""The inputs and outputs of the indicator computation: plain facts per person, tallies out.

The inputs are what the posyandu recorded about one person, as frozen dataclasses (the ORM is
mapped into them outside the core). Measurements and doses reuse the `assess` input types, so a
person's facts can be assessed as they are.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple, Protocol

from posyandu.core.assess import Dose, MeasurementRecord
from posyandu.core.dates import add_months

Sex = Literal["M", "F"]


@dataclass(frozen=True)
class ServiceFact:
    """A service given at step 4 (service-package code), with the number of units if known."""

    code: str
    date: dt.date
    quantity: int | None = None


@dataclass(frozen=True)
class PregnancyFacts:
    """One pregnancy episode as registered; outcome is empty while it goes on."""

    registered_on: dt.date
    last_menstrual_period: dt.date | None = None
    delivery_date: dt.date | None = None
    outcome: str = ""

    @property
    def start(self) -> dt.date:
        """Return the pregnancy's start: the HPHT when known, else the registration day."""
        if self.last_menstrual_period is not None:
            return min(self.last_menstrual_period, self.registered_on)
        return self.registered_on


@dataclass(frozen=True)
class ReferralFacts:
    """A referral of the person: when it was issued, answered (feedback) and closed."""

    issued_on: dt.date
    answered_on: dt.date | None = None
    closed_on: dt.date | None = None


@dataclass(frozen=True)
class PersonFacts:
    """Everything the indicators need about one person; `id` is echoed in the member lists."""

    id: str
    sex: Sex
    birth_date: dt.date
    registered_on: dt.date
    has_buku_kia: bool | None = None
    smoker: bool | None = None
    province_code: str | None = None
    measurements: tuple[MeasurementRecord, ...] = ()
    immunizations: tuple[Dose, ...] = ()
    services: tuple[ServiceFact, ...] = ()
    pregnancies: tuple[PregnancyFacts, ...] = ()
    referrals: tuple[ReferralFacts, ...] = ()
    visit_dates: tuple[dt.date, ...] = ()

    @property
    def known_from(self) -> dt.date:
        """Return the day the posyandu knew the person: registration, first visit or weighing."""
        dates = [self.registered_on, *self.visit_dates, *(m.date for m in self.measurements)]
        return min(dates)


@dataclass(frozen=True)
class ServiceDayFacts:
    """A posyandu opening day and its status (planned, open, validated, confirmed)."""

    date: dt.date
    status: str


class Tally(NamedTuple):
    """One indicator for one posyandu and month.

    `numerator` and `denominator` for a ratio; for a count the count and 0; for a median the
    sum and the number of its `values` (the values themselves, sorted, for the median).
    """

    numerator: int
    denominator: int
    values: tuple[int, ...] = ()


@dataclass(frozen=True)
class Member:
    """One person behind an indicator: her units in the numerator and the denominator."""

    id: str
    numerator: int
    denominator: int
    values: tuple[int, ...] = ()


class Units(Protocol):
    """What adds up into a tally: a `Tally` itself, or a `Member` (one person's units)."""

    @property
    def numerator(self) -> int: ...

    @property
    def denominator(self) -> int: ...

    @property
    def values(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class Month:
    """A calendar month: its first and last day."""

    first: dt.date

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """Return the month that holds `day`."""
        return cls(day.replace(day=1))

    @cached_property
    def last(self) -> dt.date:
        """Return the month's last day (the day every indicator is computed on)."""
        days = calendar.monthrange(self.first.year, self.first.month)[1]
        return self.first.replace(day=days)

    @property
    def year_start(self) -> dt.date:
        """Return 1 January of the month's year (start of the year-to-date indicators)."""
        return self.first.replace(month=1)

    def shift(self, months: int) -> Month:
        """Return the month `months` later (earlier when negative)."""
        return Month(add_months(self.first, months))

    def holds(self, day: dt.date) -> bool:
        """Return whether `day` falls in this month."""
        return self.first <= day <= self.last
