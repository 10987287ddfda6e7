"""Facts written through the ORM for the PWS tests (as the services of other apps write them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from posyandu.core.dates import add_months
from posyandu.referrals.models import Referral
from posyandu.regions.models import Facility
from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import Measurement, ServiceDay
from tests.factories import PersonFactory


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def months_ago(n: int, day: int = 10) -> dt.date:
    return add_months(this_month(), -n).replace(day=day)


def child(posyandu: Facility, name: str, *, months_old: int = 20, **more: object) -> Person:
    """Return an under-five of `posyandu`, `months_old` completed months old this month."""
    born = add_months(this_month(), -months_old).replace(day=1)
    return PersonFactory(posyandu=posyandu, name=name, birth_date=born, **more)


def adult(posyandu: Facility, name: str, *, years: int = 30, sex: str = "F") -> Person:
    born = add_months(this_month(), -12 * years).replace(day=1)
    return PersonFactory(posyandu=posyandu, name=name, birth_date=born, sex=sex)


def weigh(person: Person, day: dt.date, kg: str, **more: object) -> Measurement:
    return Measurement.objects.create(person=person, date=day, weight_kg=Decimal(kg), **more)


def service_day(posyandu: Facility, day: dt.date, status: str = "open") -> ServiceDay:
    return ServiceDay.objects.create(posyandu=posyandu, date=day, status=status)


def pregnancy(person: Person, registered_on: dt.date) -> Pregnancy:
    return Pregnancy.objects.create(person=person, registered_on=registered_on)


def referral(person: Person, issued_on: dt.date, to: Facility) -> Referral:
    return Referral.objects.create(
        person=person, from_facility=person.posyandu, to_facility=to, issued_on=issued_on
    )
