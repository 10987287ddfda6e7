"""The registry's writes: idempotent by uuid, scoped, audited, all or nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.registry import services
from posyandu.registry.errors import DuplicateSuspected, InvalidInputError
from posyandu.registry.models import Household, Person
from posyandu.registry.services import household_create, person_register, person_update
from tests.factories import HouseholdFactory, PersonFactory
from tests.unit.registry.helpers import nik_for, register_args

pytestmark = pytest.mark.django_db


def _events(instance) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(entity_uuid=instance.uuid).order_by("id"))


def test_person_register_same_uuid_twice_saves_one_person_and_one_event(jejaring):
    sari = jejaring.user("kader_sari")
    args = register_args(jejaring.melati)
    first = person_register(user=sari, **args)
    again = person_register(user=sari, **args)
    assert again.pk == first.pk
    assert Person.objects.filter(uuid=args["uuid"]).count() == 1
    events = _events(first)
    assert [e.action for e in events] == ["person.create"]
    assert events[0].changes["name"] == "Siti Aminah"
    assert events[0].user == sari


def test_person_register_cleans_name_and_keeps_nik_digits(jejaring):
    born = dt.date(2025, 3, 2)
    person = person_register(
        user=jejaring.user("kader_sari"),
        **register_args(jejaring.melati, name="  siti   Aminah ", nik=nik_for(born, "F")),
    )
    assert person.name == "siti Aminah"
    assert person.nik == "5201014203250001"
    assert person.created_by == jejaring.user("kader_sari")


def test_person_register_at_another_posyandu_is_refused_for_the_kader(jejaring):
    with pytest.raises(PermissionDenied):
        person_register(user=jejaring.user("kader_sari"), **register_args(jejaring.mawar))
    with pytest.raises(PermissionDenied):
        person_register(user=jejaring.user("desa_official"), **register_args(jejaring.melati))
    assert not Person.objects.exists()


def test_person_register_bidan_may_register_at_each_posyandu_of_her_pustu(jejaring):
    person = person_register(user=jejaring.user("bidan_rina"), **register_args(jejaring.mawar))
    assert person.posyandu == jejaring.mawar


@pytest.mark.parametrize(
    ("nik", "code", "words"),
    [
        ("12345", "length", "16"),
        ("9901014203250001", "province", "99"),
        ("5201019913250001", "malformed", "5201019913250001"),
        ("5201010203250001", "sex", "5201010203250001"),
        ("5201014204250001", "birth_date", "02/04/25"),
    ],
)
def test_person_register_names_the_nik_fault(jejaring, nik, code, words):
    with pytest.raises(InvalidInputError) as caught:
        person_register(user=jejaring.user("kader_sari"), **register_args(jejaring.melati, nik=nik))
    assert caught.value.field == "nik"
    assert caught.value.code == code
    assert caught.value.message.startswith("NIK")
    assert words in caught.value.message
    assert not Person.objects.exists()


def test_person_register_nik_of_someone_out_of_scope_is_taken_without_naming_her(jejaring):
    born = dt.date(2025, 3, 2)
    PersonFactory(posyandu=jejaring.kenanga, name="Dewi", birth_date=born, nik=nik_for(born, "F"))
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("kader_sari"),
            **register_args(jejaring.melati, nik=nik_for(born, "F"), confirm_not_duplicate=True),
        )
    assert caught.value.code == "taken"
    assert "Dewi" not in caught.value.message


def test_person_register_same_nik_in_scope_is_a_suspected_duplicate(jejaring):
    born = dt.date(2025, 3, 2)
    ayu = PersonFactory(
        posyandu=jejaring.melati, name="Ayu", birth_date=born, nik=nik_for(born, "F")
    )
    with pytest.raises(DuplicateSuspected) as caught:
        person_register(
            user=jejaring.user("kader_sari"),
            **register_args(jejaring.melati, nik=nik_for(born, "F")),
        )
    assert caught.value.candidates == [ayu]


def test_person_register_future_birth_date_is_refused(jejaring):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("kader_sari"), **register_args(jejaring.melati, birth_date=tomorrow)
        )
    assert caught.value.field == "birth_date"
    assert tomorrow.strftime("%d/%m/%Y") in caught.value.message


@pytest.mark.parametrize(
    ("mother_sex", "mother_born", "code"),
    [("M", dt.date(1990, 1, 1), "not_woman"), ("F", dt.date(2016, 1, 1), "too_young")],
)
def test_person_register_mother_must_be_a_woman_ten_years_older(
    jejaring, mother_sex, mother_born, code
):
    mother = PersonFactory(posyandu=jejaring.melati, sex=mother_sex, birth_date=mother_born)
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("kader_sari"), **register_args(jejaring.melati, mother=mother)
        )
    assert (caught.value.field, caught.value.code) == ("mother", code)


def test_person_register_mother_out_of_scope_is_not_found(jejaring):
    mother = PersonFactory(posyandu=jejaring.kenanga, birth_date=dt.date(1995, 1, 1))
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("kader_sari"), **register_args(jejaring.melati, mother=mother)
        )
    assert caught.value.code == "not_found"


def test_person_register_household_of_another_posyandu_is_refused(jejaring):
    household = HouseholdFactory(posyandu=jejaring.mawar)
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("bidan_rina"),
            **register_args(jejaring.melati, household=household),
        )
    assert caught.value.field == "household"


@pytest.mark.parametrize("link", ["household", "mother"])
def test_person_register_same_name_birth_date_and_family_is_suspected(jejaring, link):
    mother = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(1995, 1, 1))
    household = HouseholdFactory(posyandu=jejaring.melati)
    family = {"household": household} if link == "household" else {"mother": mother}
    first = PersonFactory(
        posyandu=jejaring.melati, name="Siti Aminah", birth_date=dt.date(2025, 3, 2), **family
    )
    with pytest.raises(DuplicateSuspected) as caught:
        person_register(
            user=jejaring.user("kader_sari"),
            **register_args(jejaring.melati, name="SITI  aminah", **family),
        )
    assert caught.value.candidates == [first]
    assert Person.objects.count() == 2  # the mother and the first record, nothing new


def test_person_register_confirmed_not_duplicate_registers_her(jejaring):
    household = HouseholdFactory(posyandu=jejaring.melati)
    PersonFactory(
        posyandu=jejaring.melati, name="Siti Aminah", birth_date=dt.date(2025, 3, 2),
        household=household,
    )  # fmt: skip
    person = person_register(
        user=jejaring.user("kader_sari"),
        **register_args(jejaring.melati, household=household, confirm_not_duplicate=True),
    )
    assert Person.objects.filter(name="Siti Aminah").count() == 2
    assert person.household == household


def test_person_register_same_name_in_another_household_is_not_suspected(jejaring):
    PersonFactory(
        posyandu=jejaring.melati, name="Siti Aminah", birth_date=dt.date(2025, 3, 2),
        household=HouseholdFactory(posyandu=jejaring.melati),
    )  # fmt: skip
    other = HouseholdFactory(posyandu=jejaring.melati)
    person = person_register(
        user=jejaring.user("kader_sari"), **register_args(jejaring.melati, household=other)
    )
    assert person.household == other


def test_person_register_rolls_back_when_the_audit_fails(jejaring, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    args = register_args(jejaring.melati)
    with pytest.raises(RuntimeError):
        person_register(user=jejaring.user("kader_sari"), **args)
    assert not Person.objects.filter(uuid=args["uuid"]).exists()
    assert not AuditEvent.objects.exists()


def test_household_create_is_idempotent_and_audited(jejaring):
    sari, key = jejaring.user("kader_sari"), uuid.uuid4()
    first = household_create(
        user=sari,
        uuid=key,
        posyandu=jejaring.melati,
        head_name="Pak Budi",
        no_kk="5201010101010001",
    )
    again = household_create(user=sari, uuid=key, posyandu=jejaring.melati, head_name="Other")
    assert again.pk == first.pk
    assert Household.objects.get().head_name == "Pak Budi"
    assert [e.action for e in _events(first)] == ["household.create"]


def test_household_create_refuses_a_short_no_kk(jejaring):
    with pytest.raises(InvalidInputError) as caught:
        household_create(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            head_name="Pak Budi",
            no_kk="123",
        )
    assert caught.value.field == "no_kk"
    assert "123" in caught.value.message


def test_household_create_rolls_back_when_the_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        household_create(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            head_name="Pak Budi",
        )
    assert not Household.objects.exists()


def test_person_update_audits_old_and_new_of_changed_fields_only(jejaring):
    person = PersonFactory(posyandu=jejaring.melati, name="Siti", phone="081234567890")
    person_update(
        user=jejaring.user("kader_sari"), person=person, name="Siti Aminah", phone="081234567890"
    )
    person.refresh_from_db()
    assert person.name == "Siti Aminah"
    (event,) = _events(person)
    assert event.action == "person.update"
    assert event.changes == {"name": ["Siti", "Siti Aminah"]}


def test_person_update_without_change_writes_nothing(jejaring):
    person = PersonFactory(posyandu=jejaring.melati, name="Siti")
    person_update(user=jejaring.user("kader_sari"), person=person, name="Siti")
    assert not AuditEvent.objects.exists()


def test_person_update_rechecks_the_nik_against_a_new_birth_date(jejaring):
    born = dt.date(2025, 3, 2)
    person = PersonFactory(posyandu=jejaring.melati, birth_date=born, nik=nik_for(born, "F"))
    with pytest.raises(InvalidInputError) as caught:
        person_update(
            user=jejaring.user("kader_sari"), person=person, birth_date=dt.date(2025, 3, 3)
        )
    assert (caught.value.field, caught.value.code) == ("nik", "birth_date")
    person.refresh_from_db()
    assert person.birth_date == born


def test_a_nik_that_is_not_text_is_refused_by_name(jejaring):
    born = dt.date(2025, 3, 2)
    number = int(nik_for(born, "F"))  # a NIK as a number: the JSON of a careless client
    with pytest.raises(InvalidInputError) as caught:
        person_register(
            user=jejaring.user("kader_sari"), **register_args(jejaring.melati, nik=number)
        )
    assert (caught.value.field, caught.value.code) == ("nik", "invalid")
    assert str(number) in caught.value.message
    person = PersonFactory(posyandu=jejaring.melati, birth_date=born)
    with pytest.raises(InvalidInputError) as caught:
        person_update(user=jejaring.user("kader_sari"), person=person, nik=number)
    assert (caught.value.field, caught.value.code) == ("nik", "invalid")
    person.refresh_from_db()
    assert person.nik is None
    assert not Person.objects.filter(nik=str(number)).exists()


def test_person_update_outside_scope_is_refused(jejaring):
    person = PersonFactory(posyandu=jejaring.kenanga)
    with pytest.raises(PermissionDenied):
        person_update(user=jejaring.user("kader_sari"), person=person, name="X")


def test_person_update_rolls_back_when_the_audit_fails(jejaring, monkeypatch):
    person = PersonFactory(posyandu=jejaring.melati, name="Siti")
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        person_update(user=jejaring.user("kader_sari"), person=person, name="Siti Aminah")
    person.refresh_from_db()
    assert person.name == "Siti"


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        ({}, True),  # same name (spaced and cased otherwise), birth date and household
        ({"name": "Siti Rahayu"}, False),
        ({"birth_date": dt.date(2025, 3, 3)}, False),
        ({"household": None}, True),  # no household or mother: the posyandu tells
        ({"household": "other"}, False),
        ({"nik": "same"}, True),  # the same NIK, whatever the name
    ],
)
def test_duplicate_candidates_among_a_batch_pool_match_the_query(jejaring, changes, found):
    """A sync batch reads its candidates once (`duplicate_pool`) and looks among them: the
    same persons as the query of a single registration."""
    born = dt.date(2025, 3, 2)
    household = HouseholdFactory(posyandu=jejaring.melati)
    first = PersonFactory(
        posyandu=jejaring.melati, name="Siti Aminah", birth_date=born, household=household,
        nik=nik_for(born, "F"),
    )  # fmt: skip
    PersonFactory(posyandu=jejaring.kenanga, name="Siti Aminah", birth_date=born)  # not seen
    values = {
        "posyandu": jejaring.melati,
        "name": " siti  AMINAH",
        "birth_date": born,
        "household": household,
        "mother": None,
        "nik": None,
    } | changes
    if values["household"] == "other":
        values["household"] = HouseholdFactory(posyandu=jejaring.melati)
    if values["household"] is None:
        first.household = None
        first.save()
    if values["nik"] == "same":
        values |= {"nik": first.nik, "name": "Nama Lain", "birth_date": dt.date(2025, 1, 1)}
    sari = jejaring.user("kader_sari")
    pool = services.duplicate_pool(
        sari, birth_dates=[values["birth_date"]], niks=[values["nik"]] if values["nik"] else []
    )
    by_query = services.duplicate_candidates(sari, values)
    assert services.duplicate_candidates(sari, values, among=pool) == by_query
    assert by_query == ([first] if found else [])
