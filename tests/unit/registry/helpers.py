"""Helpers of the registry tests: valid NIKs, facts at given ages, service arguments."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import factory

from posyandu.core.dates import add_months
from posyandu.registry.models import Person
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven

TODAY = dt.date(2026, 11, 23)


def nik_for(birth_date: dt.date, sex: str, serial: str = "0001", region: str = "520101") -> str:
    """Return a well-formed NIK of the Kabupaten Contoh for this birth date and sex."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{region}{day:02d}{birth_date:%m%y}{serial}"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    date = TODAY


class ImmunizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmunizationGiven

    vaccine = "bcg"
    date = TODAY


class ServiceGivenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceGiven

    code = "vitamin_a_red"
    date = TODAY


def weigh_monthly(person: Person, count: int, *, start_kg: str = "3.3", step_kg: str = "0.5"):
    """Record one weighing (with a lying length) a month from birth, `count` months."""
    rows = []
    for month in range(count):
        rows.append(
            MeasurementFactory(
                person=person,
                date=add_months(person.birth_date, month),
                weight_kg=Decimal(start_kg) + Decimal(step_kg) * month,
                lenhei_cm=Decimal("50.0") + Decimal("1.5") * month,
                measure="l",
            )
        )
    return rows


def register_args(posyandu: Any, **overrides: Any) -> dict[str, Any]:
    """Return person_register's arguments for a baby girl at `posyandu`."""
    args: dict[str, Any] = {
        "uuid": uuid.uuid4(),
        "posyandu": posyandu,
        "name": "Siti Aminah",
        "sex": "F",
        "birth_date": dt.date(2025, 3, 2),
    }
    args.update(overrides)
    return args
