"""Outreach pages: the worklist, recording a home visit, classes and attendance."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from posyandu.outreach.models import ClassSession, HomeVisit
from posyandu.visits.models import Measurement
from tests.factories import PersonFactory
from tests.unit.outreach.factories import (
    ClassSessionFactory,
    PregnancyFactory,
    ServiceDayFactory,
    all_vaccines_given,
)


def _login(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    return client


def _absentee(jejaring, name="Balita Absen"):
    child = PersonFactory(posyandu=jejaring.melati, name=name, birth_date=dt.date(2024, 6, 1))
    all_vaccines_given(child, dt.date(2024, 6, 2))
    return child


def _newborn(jejaring, name="Bayi Baru"):
    return PersonFactory(
        posyandu=jejaring.melati, name=name, birth_date=timezone.localdate() - dt.timedelta(days=5)
    )


def test_worklist_page_groups_rows_and_links_to_record(client, jejaring):
    ServiceDayFactory(posyandu=jejaring.melati, date=timezone.localdate() - dt.timedelta(days=3))
    child = _absentee(jejaring)
    baby = _newborn(jejaring)
    text = _login(client, jejaring, "kader_sari").get("/kunjungan-rumah/").content.decode()
    assert 'id="absent"' in text
    assert 'id="newborn"' in text
    assert text.index('id="newborn"') < text.index('id="absent"')
    assert f"/kunjungan-rumah/catat/{child.uuid}/?alasan=absent" in text
    assert baby.name in text


def test_worklist_page_refused_to_desa_official(client, jejaring):
    assert _login(client, jejaring, "desa_official").get("/kunjungan-rumah/").status_code == 403


def test_record_page_ticks_the_reasons_from_the_list(client, jejaring):
    baby = _newborn(jejaring)
    text = (
        _login(client, jejaring, "kader_sari")
        .get(f"/kunjungan-rumah/catat/{baby.uuid}/")
        .content.decode()
    )
    assert "checked" in text.split('value="newborn"')[1].split(">")[0]
    assert 'inputmode="decimal"' in text


def test_record_page_saves_visit_and_home_measurement(client, jejaring):
    baby = _newborn(jejaring)
    key = uuid.uuid4()
    response = _login(client, jejaring, "kader_sari").post(
        f"/kunjungan-rumah/catat/{baby.uuid}/",
        {
            "uuid": str(key),
            "visited_on": timezone.localdate().isoformat(),
            "reasons": ["newborn"],
            "outcome": "met",
            "findings": "Tali pusat kering",
            "weight_kg": "3,4",
        },
    )
    assert response.status_code == 302
    visit = HomeVisit.objects.get(uuid=key)
    assert visit.findings == "Tali pusat kering"
    assert str(Measurement.objects.get(visit=visit.visit).weight_kg) == "3.40"


def test_record_page_shows_implausible_value_by_name(client, jejaring):
    baby = _newborn(jejaring)
    response = _login(client, jejaring, "kader_sari").post(
        f"/kunjungan-rumah/catat/{baby.uuid}/",
        {
            "uuid": str(uuid.uuid4()),
            "visited_on": timezone.localdate().isoformat(),
            "reasons": ["newborn"],
            "outcome": "met",
            "weight_kg": "340",
        },
    )
    assert response.status_code == 200
    assert "340" in response.content.decode()
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("desa_official", 403)])
def test_record_page_refused_outside_scope(client, jejaring, persona, status):
    baby = _newborn(jejaring)
    response = _login(client, jejaring, persona).get(f"/kunjungan-rumah/catat/{baby.uuid}/")
    assert response.status_code == status


def test_worklist_page_query_count_is_constant(client, jejaring, django_assert_max_num_queries):
    ServiceDayFactory(posyandu=jejaring.melati, date=timezone.localdate() - dt.timedelta(days=3))
    _login(client, jejaring, "kader_sari")
    for index in range(3):
        _absentee(jejaring, f"Anak {index}")
    with django_assert_max_num_queries(20) as small:
        assert client.get("/kunjungan-rumah/").status_code == 200
    for index in range(3, 20):
        _absentee(jejaring, f"Anak {index}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        text = client.get("/kunjungan-rumah/").content.decode()
    assert "Anak 19" in text


def test_classes_page_creates_a_session(client, jejaring):
    key = uuid.uuid4()
    response = _login(client, jejaring, "kader_sari").post(
        "/kunjungan-rumah/kelas/",
        {
            "uuid": str(key),
            "kind": "ibu_hamil",
            "posyandu": str(jejaring.melati.uuid),
            "date": timezone.localdate().isoformat(),
            "topic": "Persiapan persalinan",
            "facilitator": "Bidan Rina",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/kunjungan-rumah/kelas/{key}/"
    assert ClassSession.objects.get(uuid=key).posyandu == jejaring.melati


def test_class_page_ticks_attendance_of_pregnant_women(client, jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    mother = PersonFactory(
        posyandu=jejaring.melati, name="Ibu Hamil", birth_date=dt.date(1998, 1, 1)
    )
    PregnancyFactory(person=mother, registered_on=timezone.localdate() - dt.timedelta(days=30))
    kader = _login(client, jejaring, "kader_sari")
    assert "Ibu Hamil" in kader.get(f"/kunjungan-rumah/kelas/{session.uuid}/").content.decode()
    response = kader.post(f"/kunjungan-rumah/kelas/{session.uuid}/", {"person": [str(mother.uuid)]})
    assert response.status_code == 302
    assert list(session.attendees.all()) == [mother]


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("desa_official", 403)])
def test_class_page_refused_outside_scope(client, jejaring, persona, status):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    response = _login(client, jejaring, persona).get(f"/kunjungan-rumah/kelas/{session.uuid}/")
    assert response.status_code == status


def test_classes_page_query_count_is_constant(client, jejaring, django_assert_max_num_queries):
    _login(client, jejaring, "kader_sari")
    for _ in range(3):
        ClassSessionFactory(posyandu=jejaring.melati)
    with django_assert_max_num_queries(15) as small:
        client.get("/kunjungan-rumah/kelas/")
    for _ in range(17):
        ClassSessionFactory(posyandu=jejaring.melati)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/kunjungan-rumah/kelas/")


def test_worklist_page_shows_one_posyandu_at_a_time_to_bidan(client, jejaring):
    _newborn(jejaring, name="Bayi Melati")
    PersonFactory(
        posyandu=jejaring.mawar,
        name="Bayi Mawar",
        birth_date=timezone.localdate() - dt.timedelta(days=5),
    )
    bidan = _login(client, jejaring, "bidan_rina")
    first = bidan.get("/kunjungan-rumah/").content.decode()
    assert "Bayi Mawar" in first  # Mawar comes first by name
    assert "Bayi Melati" not in first
    assert f"?posyandu={jejaring.melati.uuid}" in first
    second = bidan.get(f"/kunjungan-rumah/?posyandu={jejaring.melati.uuid}").content.decode()
    assert "Bayi Melati" in second
    assert "Bayi Mawar" not in second
