"""Factories of the facts the outreach tests build on (service days, visits, measurements)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from posyandu.core.dates import add_months
from posyandu.outreach.models import ClassSession, HomeVisit
from posyandu.registry.models import Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, Visit
from tests.factories import FacilityFactory, PersonFactory, UserFactory


def today() -> dt.date:
    return timezone.localdate()


def months_ago(months: int, *, days: int = 0, on: dt.date | None = None) -> dt.date:
    """Return the date `months` calendar months (and `days` days) before `on` (today)."""
    return add_months(on or today(), -months) - dt.timedelta(days=days)


class ServiceDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDay

    posyandu = factory.SubFactory(FacilityFactory)
    date = factory.LazyFunction(today)
    status = ServiceDay.Status.OPEN


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    person = factory.SubFactory(PersonFactory)
    posyandu = factory.LazyAttribute(lambda o: o.person.posyandu)
    date = factory.LazyFunction(today)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    person = factory.SubFactory(PersonFactory)
    date = factory.LazyFunction(today)


class ImmunizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmunizationGiven

    person = factory.SubFactory(PersonFactory)
    vaccine = "bcg"
    date = factory.LazyFunction(today)


class PregnancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pregnancy

    person = factory.SubFactory(PersonFactory)
    registered_on = factory.LazyFunction(lambda: months_ago(2))
    last_menstrual_period = factory.LazyFunction(lambda: months_ago(5))


class HomeVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeVisit

    person = factory.SubFactory(PersonFactory)
    kader = factory.SubFactory(UserFactory)
    visited_on = factory.LazyFunction(today)
    reasons = factory.LazyFunction(lambda: ["absent"])
    outcome = HomeVisit.Outcome.MET


class ClassSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSession

    posyandu = factory.SubFactory(FacilityFactory)
    kind = ClassSession.Kind.IBU_HAMIL
    date = factory.LazyFunction(today)
    topic = "Tanda bahaya kehamilan"
    facilitator = "Bidan Rina"


def all_vaccines_given(person: object, on: dt.date) -> None:
    """Record every routine dose for a child, so no immunisation is overdue on `on`."""
    codes = [
        *("hb0", "bcg", "je", "mr1", "mr2", "ipv1", "ipv2"),
        *(f"opv{n}" for n in range(1, 5)),
        *(f"dpt_hb_hib{n}" for n in range(1, 5)),
        *(f"pcv{n}" for n in range(1, 4)),
        *(f"rv{n}" for n in range(1, 4)),
    ]
    for code in codes:
        ImmunizationFactory(person=person, vaccine=code, date=on)
