"""Rows → AssessmentInput: what the registry hands to the core, field by field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from posyandu.core.assess import Dose, MeasurementRecord
from posyandu.registry.mappers import open_pregnancy, person_to_assessment_input
from posyandu.registry.models import Pregnancy
from posyandu.registry.selectors import person_get, person_history
from tests.factories import PersonFactory
from tests.unit.registry.helpers import ImmunizationFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 23)


def _input(jejaring, person, as_of=AS_OF):
    person = person_get(user=jejaring.user("kader_sari"), uuid=person.uuid)
    return person_to_assessment_input(person, person_history(person), as_of)


def test_pregnant_woman_maps_pregnancy_weeks_delivery_smoking_and_province(jejaring):
    ibu = PersonFactory(
        posyandu=jejaring.melati, birth_date=dt.date(1996, 6, 1), smoker=False, sex="F"
    )
    Pregnancy.objects.create(
        person=ibu, registered_on=dt.date(2024, 1, 10), delivery_date=dt.date(2024, 8, 1),
        outcome="live_birth",
    )  # fmt: skip
    Pregnancy.objects.create(
        person=ibu, registered_on=dt.date(2026, 9, 1), last_menstrual_period=dt.date(2026, 7, 6)
    )
    person = _input(jejaring, ibu).person
    assert person.sex == "F"
    assert person.birth_date == dt.date(1996, 6, 1)
    assert person.pregnant is True
    assert person.gestational_weeks == 20  # 140 days from 06/07 to 23/11
    assert person.delivery_date == dt.date(2024, 8, 1)
    assert person.smoker is False
    assert person.province_code == "52"


def test_pregnancy_registered_after_as_of_is_not_counted(jejaring):
    ibu = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(1996, 6, 1))
    Pregnancy.objects.create(person=ibu, registered_on=dt.date(2026, 9, 1))
    person = _input(jejaring, ibu, as_of=dt.date(2026, 8, 31)).person
    assert person.pregnant is None
    assert person.gestational_weeks is None


def test_child_with_three_measurements_maps_every_field(jejaring):
    child = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(2024, 3, 2), sex="M")
    MeasurementFactory(
        person=child, date=dt.date(2026, 9, 1), weight_kg=Decimal("11.25"),
        lenhei_cm=Decimal("84.5"), measure="l", muac_cm=Decimal("14.0"), oedema=False,
    )  # fmt: skip
    MeasurementFactory(
        person=child, date=dt.date(2026, 10, 1), weight_kg=Decimal("11.40"),
        lenhei_cm=Decimal("86.0"), measure="h", headc_cm=Decimal("48.2"), hb_g_dl=Decimal("10.9"),
    )  # fmt: skip
    MeasurementFactory(
        person=child, date=dt.date(2026, 11, 2), weight_kg=Decimal("11.60"),
        glucose_mg_dl=95, glucose_kind="fasting", sbp_mmhg=100, dbp_mmhg=60,
    )  # fmt: skip
    ImmunizationFactory(person=child, vaccine="bcg", date=dt.date(2024, 4, 2))
    record = _input(jejaring, child)
    assert record.as_of == AS_OF
    assert record.id == str(child.uuid)
    first, second, third = record.measurements
    assert first == MeasurementRecord(
        date=dt.date(2026, 9, 1), weight_kg=11.25, length_cm=84.5, measure="l", muac_cm=14.0,
        oedema=False,
    )  # fmt: skip
    assert (second.height_cm, second.length_cm, second.measure) == (86.0, None, "h")
    assert (second.headc_cm, second.hb_g_dl) == (48.2, 10.9)
    assert (third.glucose_mg_dl, third.glucose_kind, third.sbp_mmhg, third.dbp_mmhg) == (
        95.0, "fasting", 100.0, 60.0,
    )  # fmt: skip
    assert third.measure is None
    assert isinstance(third.weight_kg, float)
    assert record.immunizations == (Dose("bcg", dt.date(2024, 4, 2)),)
    assert record.person.pregnant is None


def test_facts_after_as_of_are_left_out(jejaring):
    child = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(2025, 3, 2))
    MeasurementFactory(person=child, date=dt.date(2026, 10, 1), weight_kg=Decimal("9"))
    MeasurementFactory(person=child, date=dt.date(2026, 11, 2), weight_kg=Decimal("9.2"))
    record = _input(jejaring, child, as_of=dt.date(2026, 10, 15))
    assert [m.date for m in record.measurements] == [dt.date(2026, 10, 1)]


def test_open_pregnancy_never_closed_ends_after_the_maximum_weeks(jejaring):
    woman = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(1995, 1, 1))
    pregnancy = Pregnancy.objects.create(
        person=woman, registered_on=dt.date(2025, 1, 6), last_menstrual_period=dt.date(2025, 1, 6)
    )
    assert open_pregnancy([pregnancy], dt.date(2025, 10, 26)) == pregnancy  # week 41
    assert open_pregnancy([pregnancy], dt.date(2025, 10, 27)) is None  # week 42: ended


def test_open_pregnancy_with_an_outcome_but_no_date_has_ended(jejaring):
    woman = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(1995, 1, 1))
    pregnancy = Pregnancy.objects.create(
        person=woman, registered_on=dt.date(2025, 1, 6), outcome="miscarriage"
    )
    assert open_pregnancy([pregnancy], dt.date(2025, 3, 1)) is None
