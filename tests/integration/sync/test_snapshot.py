"""GET /api/sync/snapshot (docs/adr/0008): full, incremental, bounded, scoped, query budget,
and the home-visit worklist it carries for the phone."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.utils import timezone

from posyandu.core.dates import add_months
from posyandu.registry.models import Person
from posyandu.sync.selectors import cursor_decode, cursor_encode
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, Visit
from tests.factories import HouseholdFactory, PersonFactory
from tests.unit.outreach.factories import HomeVisitFactory, all_vaccines_given

URL = "/api/sync/snapshot"


def _child(posyandu, name: str, **extra) -> Person:
    today = timezone.localdate()
    return PersonFactory(
        posyandu=posyandu, name=name, sex="F", birth_date=today - dt.timedelta(500), **extra
    )


def _weigh(person, date, kg="9.0") -> Measurement:
    return Measurement.objects.create(
        person=person, date=date, weight_kg=kg, lenhei_cm="75", measure="l"
    )


@pytest.fixture
def kader_client(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    return client


def test_full_snapshot(jejaring, kader_client):
    today = timezone.localdate()
    household = HouseholdFactory(posyandu=jejaring.melati, head_name="Pak Budi")
    mother = PersonFactory(
        posyandu=jejaring.melati,
        name="Ibu Sari",
        sex="F",
        birth_date=today - dt.timedelta(9000),
        household=household,
    )
    # Born 33 months ago: weighed as a baby, more than 24 months ago.
    child = PersonFactory(
        posyandu=jejaring.melati,
        name="Ayu",
        sex="F",
        birth_date=today - dt.timedelta(1000),
        household=household,
        mother=mother,
    )
    _weigh(child, today - dt.timedelta(30), "5.0")  # very low: a finding
    _weigh(child, add_months(today, -30), "5.5")  # older than 24 months: not sent
    ImmunizationGiven.objects.create(person=child, date=today - dt.timedelta(400), vaccine="bcg")
    merged = _child(jejaring.melati, "Ayu dobel", merged_into=child)
    near = ServiceDay.objects.create(posyandu=jejaring.melati, date=today + dt.timedelta(7))
    ServiceDay.objects.create(posyandu=jejaring.melati, date=today + dt.timedelta(40))
    ServiceDay.objects.create(posyandu=jejaring.melati, date=today - dt.timedelta(8))
    visit = Visit.objects.create(
        person=child, service_day=near, posyandu=jejaring.melati, date=near.date
    )
    _child(jejaring.mawar, "Tetangga")

    body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).json()
    assert body["full"] is True
    assert body["posyandu"] == {"uuid": str(jejaring.melati.uuid), "name": "Melati"}
    assert [h["head_name"] for h in body["households"]] == ["Pak Budi"]
    by_name = {p["name"]: p for p in body["persons"]}
    assert set(by_name) == {"Ibu Sari", "Ayu"}
    ayu = by_name["Ayu"]
    assert ayu["mother"] == str(mother.uuid)
    assert ayu["household"] == str(household.uuid)
    assert [m["weight_kg"] for m in ayu["history"]["measurements"]] == [5.0]
    assert ayu["history"]["immunisations"] == [
        {"vaccine": "bcg", "date": (today - dt.timedelta(400)).isoformat()}
    ]
    assessment = ayu["assessment"]
    assert assessment["as_of"] == today.isoformat()
    assert "wfa.severely_underweight" in {f["code"] for f in assessment["findings"]}
    assert all(f["label"] for f in assessment["findings"])
    assert {d["vaccine"] for d in assessment["immunisations_due"]}
    assert "bcg" not in {d["vaccine"] for d in assessment["immunisations_due"]}
    assert [d["uuid"] for d in body["service_days"]] == [str(near.uuid)]
    assert body["visits"] == [
        {"uuid": str(visit.uuid), "service_day": str(near.uuid), "person": str(child.uuid)}
    ]
    assert body["removed"] == [str(merged.uuid)]
    assert cursor_decode(body["cursor"]) <= timezone.now()


def test_incremental_snapshot_sends_only_what_changed(jejaring, kader_client):
    quiet = _child(jejaring.melati, "Tenang")
    weighed = _child(jejaring.melati, "Ditimbang")
    edited = _child(jejaring.melati, "Diubah")
    past = timezone.now() - dt.timedelta(hours=1)
    Person.objects.update(updated_at=past, created_at=past)
    since = cursor_encode(timezone.now() - dt.timedelta(minutes=30))
    _weigh(weighed, timezone.localdate())
    edited.phone = "0812345"
    edited.save()
    body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid), "since": since}).json()
    assert body["full"] is False
    assert {p["name"] for p in body["persons"]} == {"Ditimbang", "Diubah"}
    assert quiet.name not in {p["name"] for p in body["persons"]}
    assert body["households"] == []
    # The worklist comes whole: the unchanged child is still due her immunisations.
    listed = {item["person"] for item in body["worklist"]["items"]}
    assert str(quiet.uuid) in listed


def test_worklist_left_out_only_of_an_incremental_download_that_asks(jejaring, kader_client):
    _child(jejaring.melati, "Tenang")
    query = {"posyandu": str(jejaring.melati.uuid), "worklist": "false"}
    assert "worklist" in kader_client.get(URL, query).json()  # a full one always has it
    since = cursor_encode(timezone.now() - dt.timedelta(minutes=30))
    body = kader_client.get(URL, {**query, "since": since}).json()
    assert body["full"] is False
    assert "worklist" not in body


def test_cursor_is_taken_before_the_reads(jejaring, kader_client):
    before = timezone.now()
    body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).json()
    assert cursor_decode(body["cursor"]) < before  # with its safety margin


def test_bad_cursor_and_other_posyandu(jejaring, kader_client):
    response = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid), "since": "abc"})
    assert response.status_code == 422
    assert "abc" in response.json()["detail"]
    response = kader_client.get(URL, {"posyandu": str(jejaring.kenanga.uuid)})
    assert response.status_code == 404


def test_bidan_may_download_a_posyandu_of_her_pustu(jejaring, client):
    client.force_login(jejaring.user("bidan_rina"))
    assert client.get(URL, {"posyandu": str(jejaring.mawar.uuid)}).status_code == 200
    assert client.get(URL, {"posyandu": str(jejaring.anggrek.uuid)}).status_code == 404
    client.force_login(jejaring.user("desa_official"))
    assert client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).status_code == 404


def test_anonymous_gets_nothing(jejaring, client):
    assert client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).status_code == 401


def _population(posyandu, count: int) -> None:
    today = timezone.localdate()
    # Held (open): the worklist looks for who did not come to it.
    day = ServiceDay.objects.create(posyandu=posyandu, date=today, status="open")
    for i in range(count):
        person = _child(
            posyandu,
            f"Anak {i}",
            household=HouseholdFactory(posyandu=posyandu),
            mother=PersonFactory(posyandu=posyandu, sex="F", birth_date=today - dt.timedelta(9000)),
        )
        _weigh(person, today - dt.timedelta(60))
        _weigh(person, today)
        ImmunizationGiven.objects.create(person=person, date=today, vaccine="bcg")
        Visit.objects.create(person=person, service_day=day, posyandu=posyandu, date=today)


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_persons(
    jejaring, kader_client, count, django_assert_max_num_queries
):
    _population(jejaring.melati, count)
    # 12 for the rows and their assessments; 4 for the worklist, which takes those
    # assessments and reads the persons without their facts.
    with django_assert_max_num_queries(16):
        body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).json()
    assert len(body["persons"]) == 2 * count
    assert len(body["worklist"]["items"]) == count  # every child is overdue other doses


def test_each_person_is_assessed_once_per_download(jejaring, kader_client, monkeypatch):
    from posyandu.outreach import selectors as outreach

    _population(jejaring.melati, 3)
    assessed: list[int] = []
    real = outreach.assess_many
    monkeypatch.setattr(
        outreach, "assess_many", lambda records: assessed.append(len(records)) or real(records)
    )
    query = {"posyandu": str(jejaring.melati.uuid)}
    body = kader_client.get(URL, query).json()
    assert assessed == [6]  # the snapshot's six persons, once: the worklist took them
    assert len(body["worklist"]["items"]) == 3
    # An incremental download assesses the persons it sends, and the worklist the others.
    assessed.clear()
    Person.objects.update(updated_at=timezone.now() - dt.timedelta(hours=1))
    since = cursor_encode(timezone.now() - dt.timedelta(minutes=30))
    body = kader_client.get(URL, {**query, "since": since}).json()
    assert {p["name"] for p in body["persons"]} == {"Anak 0", "Anak 1", "Anak 2"}  # weighed
    assert assessed == [3, 3]  # the three children sent, then their mothers for the list
    assert len(body["worklist"]["items"]) == 3


def test_snapshot_travels_gzip_compressed_when_the_phone_accepts_it(jejaring, kader_client):
    for number in range(30):
        _child(jejaring.melati, f"Anak {number}")
    query = {"posyandu": str(jejaring.melati.uuid)}
    plain = kader_client.get(URL, query)
    packed = kader_client.get(URL, query, HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert len(packed.content) * 4 < len(plain.content)
    body = json.loads(gzip.decompress(packed.content))
    assert {p["name"] for p in body["persons"]} == {p["name"] for p in plain.json()["persons"]}


# --- the home-visit worklist ------------------------------------------------------------------


@pytest.fixture
def melati_worklist(jejaring):
    """Melati's last posyandu day three days ago; who came, who did not, who is overdue."""
    today = timezone.localdate()
    day = ServiceDay.objects.create(
        posyandu=jejaring.melati, date=today - dt.timedelta(3), status="open"
    )
    absent = _child(jejaring.melati, "Ayu Absen")
    all_vaccines_given(absent, absent.birth_date + dt.timedelta(1))
    overdue = _child(jejaring.melati, "Bunga Terlambat")  # came, but no dose recorded at all
    well = _child(jejaring.melati, "Citra Sehat")
    all_vaccines_given(well, well.birth_date + dt.timedelta(1))
    for person in (overdue, well):
        Visit.objects.create(
            person=person, service_day=day, posyandu=jejaring.melati, date=day.date
        )
    HomeVisitFactory(person=absent, visited_on=today - dt.timedelta(1))
    # Mawar's absentee, with a home visit too: never on Melati's list.
    mawar_day = ServiceDay.objects.create(posyandu=jejaring.mawar, date=day.date, status="open")
    neighbour = _child(jejaring.mawar, "Tetangga Absen")
    HomeVisitFactory(person=neighbour, visited_on=today)
    return {
        "day": day,
        "mawar_day": mawar_day,
        "absent": absent,
        "overdue": overdue,
        "well": well,
        "neighbour": neighbour,
    }


def test_snapshot_worklist_says_whom_to_visit_and_why_as_the_page_does(
    jejaring, kader_client, melati_worklist
):
    today = timezone.localdate()
    body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).json()
    worklist = body["worklist"]
    assert worklist["as_of"] == today.isoformat()
    items = {item["person"]: item for item in worklist["items"]}
    absent = items[str(melati_worklist["absent"].uuid)]
    assert absent["reasons"] == [
        {
            "code": "absent",
            "label": "Tidak datang pada hari buka posyandu terakhir",
            "icon": "▲",
            "tone": "warn",
        }
    ]
    assert absent["last_home_visit"] == (today - dt.timedelta(1)).isoformat()
    assert absent["overdue"] == []
    overdue = items[str(melati_worklist["overdue"].uuid)]
    assert [r["code"] for r in overdue["reasons"]] == ["immunization.overdue"]
    assert overdue["reasons"][0]["label"] == "Imunisasi terlambat"
    assert overdue["last_home_visit"] is None
    doses = {d["vaccine"]: d for d in overdue["overdue"]}
    assert doses["dpt_hb_hib1"]["label"] == "DPT-HB-Hib 1"
    assert doses["dpt_hb_hib1"]["due_date"] < add_months(today, -1).isoformat()
    assert "bcg" not in doses  # missed after the first birthday, not overdue
    assert str(melati_worklist["well"].uuid) not in items
    # The order of /kunjungan-rumah/: the most pressing reason first (overdue before absent).
    name = {p["uuid"]: p["name"] for p in body["persons"]}
    assert [name[item["person"]] for item in worklist["items"]] == [
        "Bunga Terlambat",
        "Ayu Absen",
    ]
    page = kader_client.get("/kunjungan-rumah/").content.decode()
    assert page.index("Bunga Terlambat") < page.index("Ayu Absen")
    assert "Citra Sehat" not in page


def test_snapshot_worklist_never_names_another_posyandus_persons(
    jejaring, kader_client, client, melati_worklist
):
    body = kader_client.get(URL, {"posyandu": str(jejaring.melati.uuid)}).json()
    melati = {item["person"] for item in body["worklist"]["items"]}
    neighbour = str(melati_worklist["neighbour"].uuid)
    assert neighbour not in melati
    assert melati <= {p["uuid"] for p in body["persons"]}
    client.force_login(jejaring.user("bidan_rina"))  # Mawar is one of her pustu's posyandu
    body = client.get(URL, {"posyandu": str(jejaring.mawar.uuid)}).json()
    assert [item["person"] for item in body["worklist"]["items"]] == [neighbour]
    assert body["worklist"]["items"][0]["last_home_visit"] == timezone.localdate().isoformat()
