"""Pregnancies, deliveries (with the newborn linked to her mother) and merging duplicates."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied

from posyandu.audit.models import AuditEvent
from posyandu.outreach.models import ClassAttendance, ClassSession, HomeVisit
from posyandu.referrals.models import Referral
from posyandu.registry import services
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.models import Person, Pregnancy
from posyandu.registry.services import delivery_record, person_merge, pregnancy_register
from posyandu.visits.models import ServiceDay, Visit
from tests.factories import HouseholdFactory, PersonFactory
from tests.unit.registry.helpers import (
    ImmunizationFactory,
    MeasurementFactory,
    ServiceGivenFactory,
    nik_for,
)

pytestmark = pytest.mark.django_db

REGISTERED = dt.date(2026, 5, 4)


@pytest.fixture
def ibu(jejaring):
    household = HouseholdFactory(posyandu=jejaring.melati, head_name="Pak Budi")
    return PersonFactory(
        posyandu=jejaring.melati,
        name="Ibu Ani",
        birth_date=dt.date(1996, 6, 1),
        household=household,
    )


def _pregnancy(jejaring, ibu, **kwargs):
    return pregnancy_register(
        user=jejaring.user("kader_sari"),
        uuid=kwargs.pop("uuid", uuid.uuid4()),
        person=ibu,
        registered_on=REGISTERED,
        last_menstrual_period=dt.date(2026, 3, 1),
        gravida=2,
        **kwargs,
    )


def test_pregnancy_register_is_idempotent_and_audited(jejaring, ibu):
    key = uuid.uuid4()
    first = _pregnancy(jejaring, ibu, uuid=key)
    again = _pregnancy(jejaring, ibu, uuid=key)
    assert again.pk == first.pk
    assert Pregnancy.objects.count() == 1
    event = AuditEvent.objects.get(entity_uuid=first.uuid)
    assert event.action == "pregnancy.create"
    assert event.changes["last_menstrual_period"] == "2026-03-01"


def test_pregnancy_register_refuses_a_man_and_a_second_open_pregnancy(jejaring, ibu):
    man = PersonFactory(posyandu=jejaring.melati, sex="M", birth_date=dt.date(1990, 1, 1))
    with pytest.raises(InvalidInputError) as caught:
        _pregnancy(jejaring, man)
    assert caught.value.code == "not_woman"
    _pregnancy(jejaring, ibu)
    with pytest.raises(InvalidInputError) as caught:
        _pregnancy(jejaring, ibu)
    assert caught.value.code == "open_pregnancy"


def test_pregnancy_register_refuses_a_period_a_year_before(jejaring, ibu):
    with pytest.raises(InvalidInputError) as caught:
        pregnancy_register(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            person=ibu,
            registered_on=REGISTERED,
            last_menstrual_period=dt.date(2025, 5, 1),
        )
    assert caught.value.field == "last_menstrual_period"
    assert "01/05/2025" in caught.value.message


def test_pregnancy_register_rolls_back_when_the_audit_fails(jejaring, ibu, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _pregnancy(jejaring, ibu)
    assert not Pregnancy.objects.exists()


def test_delivery_record_registers_the_baby_linked_to_her_mother(jejaring, ibu):
    pregnancy = _pregnancy(jejaring, ibu)
    born = dt.date(2026, 11, 20)
    baby_key = uuid.uuid4()
    recorded = delivery_record(
        user=jejaring.user("kader_sari"),
        pregnancy=pregnancy,
        delivery_date=born,
        outcome="live_birth",
        delivery_place="Pustu Sukamaju",
        baby={"uuid": baby_key, "name": "Bayi Ny. Ani", "sex": "M"},
    )
    baby = recorded.baby
    assert (baby.mother, baby.household, baby.birth_date) == (ibu, ibu.household, born)
    pregnancy.refresh_from_db()
    assert (pregnancy.delivery_date, pregnancy.outcome) == (born, "live_birth")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"pregnancy.deliver", "person.create"} <= actions
    again = delivery_record(
        user=jejaring.user("kader_sari"),
        pregnancy=pregnancy,
        delivery_date=born,
        outcome="live_birth",
        delivery_place="Pustu Sukamaju",
        baby={"uuid": baby_key, "name": "Bayi Ny. Ani", "sex": "M"},
    )
    assert again.baby.pk == baby.pk
    assert AuditEvent.objects.filter(action="pregnancy.deliver").count() == 1


def test_delivery_record_refuses_another_date_once_recorded(jejaring, ibu):
    pregnancy = _pregnancy(jejaring, ibu)
    sari = jejaring.user("kader_sari")
    delivery_record(
        user=sari, pregnancy=pregnancy, delivery_date=dt.date(2026, 11, 1), outcome="live_birth"
    )
    with pytest.raises(InvalidInputError) as caught:
        delivery_record(
            user=sari, pregnancy=pregnancy, delivery_date=dt.date(2026, 11, 2), outcome="live_birth"
        )
    assert "01/11/2026" in caught.value.message


def test_delivery_record_rolls_back_the_delivery_when_the_baby_fails(jejaring, ibu):
    pregnancy = _pregnancy(jejaring, ibu)
    with pytest.raises(InvalidInputError) as caught:
        delivery_record(
            user=jejaring.user("kader_sari"),
            pregnancy=pregnancy,
            delivery_date=dt.date(2026, 11, 20),
            outcome="live_birth",
            baby={"uuid": uuid.uuid4(), "name": "Bayi", "sex": "M", "nik": "123"},
        )
    assert caught.value.field == "nik"
    pregnancy.refresh_from_db()
    assert pregnancy.delivery_date is None
    assert not AuditEvent.objects.filter(action="pregnancy.deliver").exists()


# --- merge -------------------------------------------------------------------------------------


@pytest.fixture
def twins_of_one(jejaring):
    """One child registered twice, each record with its own facts."""
    born = dt.date(2025, 3, 2)
    keep = PersonFactory(posyandu=jejaring.melati, name="Siti Aminah", birth_date=born)
    duplicate = PersonFactory(
        posyandu=jejaring.mawar, name="Siti Aminah", birth_date=born, nik=nik_for(born, "F"),
        phone="081234567890",
    )  # fmt: skip
    return keep, duplicate


def _facts_of(person):
    day = ServiceDay.objects.create(posyandu=person.posyandu, date=dt.date(2026, 10, 1))
    visit = Visit.objects.create(
        person=person, posyandu=person.posyandu, date=day.date, service_day=day
    )
    MeasurementFactory(person=person, visit=visit, date=day.date, weight_kg="8.1")
    ImmunizationFactory(person=person, vaccine="mr1", date=day.date)
    ServiceGivenFactory(person=person, date=day.date)
    Referral.objects.create(
        person=person, from_facility=person.posyandu, to_facility=person.posyandu.parent,
        issued_on=day.date,
    )  # fmt: skip
    return visit


def test_person_merge_moves_every_fact_and_keeps_the_duplicate_row(jejaring, twins_of_one):
    keep, duplicate = twins_of_one
    _facts_of(duplicate)
    session = ClassSession.objects.create(
        kind="ibu_balita", posyandu=jejaring.mawar, date=dt.date(2026, 9, 1), topic="MP-ASI",
        facilitator="Bidan Rina",
    )  # fmt: skip
    ClassAttendance.objects.create(session=session, person=duplicate)
    HomeVisit.objects.create(
        person=duplicate, kader=jejaring.user("kader_sari"), visited_on=dt.date(2026, 9, 2),
        outcome="met",
    )  # fmt: skip
    child = PersonFactory(posyandu=jejaring.mawar, mother=duplicate, birth_date=dt.date(2026, 1, 1))
    pregnancy = Pregnancy.objects.create(person=duplicate, registered_on=dt.date(2026, 9, 1))

    person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=duplicate)

    for kind in ("measurements", "immunizations", "services", "visits", "referrals", "home_visits"):
        assert getattr(keep, kind).count() == 1, kind
        assert getattr(duplicate, kind).count() == 0, kind
    assert ClassAttendance.objects.get().person == keep
    child.refresh_from_db()
    pregnancy.refresh_from_db()
    assert (child.mother, pregnancy.person) == (keep, keep)
    duplicate.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep
    assert (keep.nik, duplicate.nik) == (nik_for(keep.birth_date, "F"), None)
    assert keep.phone == "081234567890"
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_person_merge_audits_both_records(jejaring, twins_of_one):
    keep, duplicate = twins_of_one
    _facts_of(duplicate)
    person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=duplicate)
    merged = AuditEvent.objects.get(action="person.merge")
    absorbed = AuditEvent.objects.get(action="person.absorb")
    assert merged.entity_uuid == duplicate.uuid
    assert merged.changes["merged_into"] == [None, str(keep.uuid)]
    assert absorbed.entity_uuid == keep.uuid
    assert absorbed.changes["moved"]["measurements"] == 1
    assert absorbed.changes["nik"] == [None, duplicate.nik]


def test_person_merge_on_a_shared_service_day_moves_the_facts_to_the_kept_visit(
    jejaring, twins_of_one
):
    keep, duplicate = twins_of_one
    duplicate.posyandu = keep.posyandu
    duplicate.save()
    their_visit = _facts_of(duplicate)
    my_visit = Visit.objects.create(
        person=keep,
        posyandu=keep.posyandu,
        date=their_visit.date,
        service_day=their_visit.service_day,
    )
    person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=duplicate)
    assert keep.measurements.get().visit == my_visit
    assert Visit.objects.filter(pk=their_visit.pk, person=duplicate).exists()  # never deleted


def test_person_merge_twice_writes_nothing_more(jejaring, twins_of_one):
    keep, duplicate = twins_of_one
    bidan = jejaring.user("bidan_rina")
    person_merge(user=bidan, keep=keep, duplicate=duplicate)
    count = AuditEvent.objects.count()
    person_merge(user=bidan, keep=keep, duplicate=duplicate)
    assert AuditEvent.objects.count() == count


@pytest.mark.parametrize("persona", ["kader_sari", "desa_official"])
def test_person_merge_is_refused_to_non_nakes(jejaring, twins_of_one, persona):
    keep, duplicate = twins_of_one
    with pytest.raises(PermissionDenied):
        person_merge(user=jejaring.user(persona), keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_person_merge_outside_scope_is_refused(jejaring, twins_of_one):
    keep, _duplicate = twins_of_one
    far = PersonFactory(posyandu=jejaring.kenanga, name="Siti Aminah", birth_date=keep.birth_date)
    with pytest.raises(PermissionDenied):
        person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=far)


def test_person_merge_of_another_sex_is_refused(jejaring, twins_of_one):
    keep, _duplicate = twins_of_one
    boy = PersonFactory(posyandu=jejaring.melati, sex="M", birth_date=keep.birth_date)
    with pytest.raises(InvalidInputError) as caught:
        person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=boy)
    assert caught.value.code == "sex"


def test_person_merge_rolls_back_when_the_audit_fails(jejaring, twins_of_one, monkeypatch):
    keep, duplicate = twins_of_one
    _facts_of(duplicate)
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        person_merge(user=jejaring.user("bidan_rina"), keep=keep, duplicate=duplicate)
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.measurements.count() == 1
    assert duplicate.nik is not None
