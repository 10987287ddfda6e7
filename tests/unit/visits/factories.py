"""Factories and fixtures of the posyandu day (service days, visits, facts, a small posyandu).

Ages are relative to today, since the day services work on the real date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import Measurement, ServiceDay, Visit
from tests.factories import PersonFactory
from tests.personas import Jejaring


def today() -> dt.date:
    return timezone.localdate()


def months_ago(months: int, *, days: int = 0) -> dt.date:
    """Return the date `months` calendar months (and `days` days) before today."""
    day = today()
    index = day.year * 12 + day.month - 1 - months
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, min(day.day, 28)) - dt.timedelta(days=days)


class ServiceDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDay

    date = factory.LazyFunction(today)
    groups = factory.LazyFunction(list)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    service_day = factory.SubFactory(ServiceDayFactory)
    posyandu = factory.LazyAttribute(lambda v: v.service_day.posyandu)
    date = factory.LazyAttribute(lambda v: v.service_day.date)
    registered_at = factory.LazyFunction(timezone.now)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    person = factory.LazyAttribute(lambda m: m.visit.person)
    date = factory.LazyAttribute(lambda m: m.visit.date)


@dataclass
class SmallPosyandu:
    """Posyandu Melati with a baby, a pregnant woman and an elder, and a day today."""

    day: ServiceDay
    baby: Person
    mother: Person
    elder: Person


def pregnant_woman(posyandu: object, name: str = "Ibu Rahma") -> Person:
    woman = PersonFactory(posyandu=posyandu, name=name, birth_date=months_ago(12 * 27))
    Pregnancy.objects.create(
        person=woman, registered_on=months_ago(3), last_menstrual_period=months_ago(5)
    )
    return woman


@pytest.fixture
def small_posyandu(jejaring: Jejaring) -> SmallPosyandu:
    """Melati: a baby of 8 months, a pregnant woman of 27 years and an elder of 70."""
    melati = jejaring.melati
    baby = PersonFactory(posyandu=melati, name="Bayu Kecil", sex="M", birth_date=months_ago(8))
    mother = pregnant_woman(melati)
    elder = PersonFactory(posyandu=melati, name="Kakek Slamet", sex="M", birth_date=months_ago(840))
    day = ServiceDayFactory(posyandu=melati)
    return SmallPosyandu(day, baby, mother, elder)
