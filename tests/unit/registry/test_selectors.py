"""Reads of the registry follow the jejaring: each persona finds exactly her persons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from posyandu.registry.selectors import (
    person_assessment,
    person_duplicate_candidates,
    person_get,
    person_history,
    person_search,
)
from tests.factories import HouseholdFactory, PersonFactory
from tests.unit.registry.helpers import MeasurementFactory, nik_for, weigh_monthly

pytestmark = pytest.mark.django_db

SEES = {
    "kader_sari": {"Ayu Melati"},
    "bidan_rina": {"Ayu Melati", "Budi Mawar"},
    "puskesmas_admin": {"Ayu Melati", "Budi Mawar", "Citra Anggrek"},
    "dinkes_analyst": {"Ayu Melati", "Budi Mawar", "Citra Anggrek", "Dewi Kenanga"},
    "desa_official": set(),
    "outsider": {"Dewi Kenanga"},
}


@pytest.mark.parametrize(("persona", "names"), SEES.items())
def test_person_search_empty_query_lists_the_persona_scope(jejaring, people, persona, names):
    found = person_search(user=jejaring.user(persona), query="")
    assert {p.name for p in found} == names


@pytest.mark.parametrize(("persona", "visible"), [(p, "Ayu Melati" in n) for p, n in SEES.items()])
def test_person_get_outside_scope_is_not_found(jejaring, people, persona, visible):
    ayu = people["melati"]
    if visible:
        assert person_get(user=jejaring.user(persona), uuid=ayu.uuid) == ayu
    else:
        with pytest.raises(Http404):
            person_get(user=jejaring.user(persona), uuid=ayu.uuid)


def test_person_search_by_words_of_name_nik_and_household_head(jejaring):
    born = dt.date(2025, 3, 2)
    household = HouseholdFactory(posyandu=jejaring.melati, head_name="Pak Joko Susilo")
    siti = PersonFactory(
        posyandu=jejaring.melati, name="Siti Nur Aminah", birth_date=born, nik=nik_for(born, "F"),
        household=household,
    )  # fmt: skip
    PersonFactory(posyandu=jejaring.melati, name="Rina Wati")
    sari = jejaring.user("kader_sari")
    assert person_search(user=sari, query="  siti   aminah ") == [siti]
    assert person_search(user=sari, query=nik_for(born, "F")) == [siti]
    assert person_search(user=sari, query="joko") == [siti]
    assert person_search(user=sari, query=nik_for(born, "F")[:15]) == []


def test_person_search_leaves_out_merged_duplicates(jejaring):
    keep = PersonFactory(posyandu=jejaring.melati, name="Siti Aminah")
    PersonFactory(posyandu=jejaring.melati, name="Siti Aminah", merged_into=keep)
    assert person_search(user=jejaring.user("kader_sari"), query="siti") == [keep]


def test_person_duplicate_candidates_are_same_birth_date_and_like_name(jejaring):
    born = dt.date(2025, 3, 2)
    siti = PersonFactory(posyandu=jejaring.melati, name="Siti Aminah", birth_date=born)
    twin = PersonFactory(posyandu=jejaring.mawar, name="siti aminah", birth_date=born)
    PersonFactory(posyandu=jejaring.melati, name="Rina", birth_date=born)
    PersonFactory(posyandu=jejaring.kenanga, name="Siti Aminah", birth_date=born)  # out of scope
    found = person_duplicate_candidates(user=jejaring.user("bidan_rina"), person=siti)
    assert found == [twin]


def test_person_history_leaves_out_superseded_measurements(jejaring):
    child = PersonFactory(posyandu=jejaring.melati)
    wrong = MeasurementFactory(person=child, date=dt.date(2026, 1, 5), weight_kg=Decimal("81"))
    right = MeasurementFactory(
        person=child, date=dt.date(2026, 1, 5), weight_kg=Decimal("8.1"), supersedes=wrong
    )
    assert person_history(child).measurements == [right]


@pytest.mark.parametrize("months", [2, 30])
def test_person_history_takes_the_same_few_queries_however_long(
    jejaring, django_assert_num_queries, months
):
    child = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(2023, 12, 1))
    weigh_monthly(child, months)
    with django_assert_num_queries(5):
        history = person_history(child)
    assert len(history.measurements) == months


def test_person_assessment_judges_the_recorded_weighings(jejaring):
    child = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(2026, 5, 1), sex="M")
    MeasurementFactory(person=child, date=dt.date(2026, 10, 1), weight_kg=Decimal("8.0"))
    MeasurementFactory(person=child, date=dt.date(2026, 11, 2), weight_kg=Decimal("8.0"))
    assessment = person_assessment(person=child, as_of=dt.date(2026, 11, 23))
    assert assessment.weight_trend == "T"
    assert "weight.not_increasing" in assessment.findings
    assert "bayi" in assessment.stages
