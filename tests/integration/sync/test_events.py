"""POST /api/sync/events (docs/adr/0008): every event type, rejections, replays, waiting,
aliases, conflicts, possible duplicates, scope and rollback."""

from __future__ import annotations

import datetime as dt
import html
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from posyandu.audit.models import AuditEvent
from posyandu.registry.models import Household, Person
from posyandu.sync.models import RecordAlias, SyncReceipt, SyncReview
from posyandu.sync.services import conflict_resolve, events_ingest
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit
from tests.factories import PersonFactory

PHONE_A = uuid.uuid4()
PHONE_B = uuid.uuid4()


def event(kind: str, data: dict, *, record: uuid.UUID | None = None, seq: int = 1) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "type": kind,
        "record": str(record or uuid.uuid4()),
        "seq": seq,
        "at": "2026-12-04T09:15:00+07:00",
        "data": data,
    }


def send(user, *events, device=PHONE_A):
    with translation.override("id"):
        return events_ingest(user=user, device=device, events=list(events))


@pytest.fixture
def day(jejaring):
    return ServiceDay.objects.create(posyandu=jejaring.melati, date=timezone.localdate())


@pytest.fixture
def child(jejaring):
    return PersonFactory(
        posyandu=jejaring.melati,
        name="Ayu",
        sex="F",
        birth_date=timezone.localdate() - dt.timedelta(days=500),
    )


def test_every_event_type_is_accepted(jejaring, day):
    kader = jejaring.user("kader_sari")
    household, person, visit = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    born = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    melati = str(jejaring.melati.uuid)
    events = [
        event("household.create", {"posyandu": melati, "head_name": "Pak Budi"}, record=household),
        event(
            "person.register",
            {
                "posyandu": melati,
                "household": str(household),
                "name": "Citra",
                "sex": "F",
                "birth_date": born,
                "has_buku_kia": True,
            },
            record=person,
        ),
        event(
            "person.update",
            {"base": {"phone": ""}, "changes": {"phone": "081234567"}},
            record=person,
        ),
        event(
            "visit.register", {"service_day": str(day.uuid), "person": str(person)}, record=visit
        ),
        event(
            "measurement.record",
            {
                "visit": str(visit),
                "values": {"weight_kg": "9.1", "lenhei_cm": "74", "measure": "l"},
            },
        ),
        event("immunization.record", {"visit": str(visit), "vaccine": "bcg", "batch": "X1"}),
        event("service.record", {"visit": str(visit), "code": "plot_growth_chart"}),
        event(
            "counselling.record",
            {"visit": str(visit), "topics": ["growth_monitoring"]},
            record=visit,
        ),
    ]
    for seq, item in enumerate(events, start=1):
        item["seq"] = seq
    results = send(kader, *reversed(events))  # applied in seq order, answered in sent order
    assert [r["status"] for r in results] == ["accepted"] * 8
    assert [r["id"] for r in results] == [e["id"] for e in reversed(events)]
    saved = Person.objects.get(uuid=person)
    assert saved.household == Household.objects.get(uuid=household)
    assert saved.phone == "081234567"
    row = Visit.objects.get(uuid=visit)
    assert row.counselling_topics == ["growth_monitoring"]
    assert str(Measurement.objects.get(visit=row).weight_kg) == "9.10"
    assert ImmunizationGiven.objects.get(visit=row).vaccine == "bcg"
    assert ServiceGiven.objects.get(visit=row).code == "plot_growth_chart"
    assert SyncReceipt.objects.filter(status="accepted").count() == 8


@pytest.mark.parametrize(
    ("kind", "data", "field", "value"),
    [
        ("measurement.record", {"values": {"weight_kg": "850"}}, "weight_kg", "850"),
        ("measurement.record", {"values": {"lenhei_cm": "x7"}}, "lenhei_cm", "x7"),
        ("immunization.record", {"vaccine": "zzvax"}, "vaccine", "zzvax"),
        ("service.record", {"code": "no_such_service"}, "code", "no_such_service"),
        ("service.record", {"code": "plot_growth_chart", "quantity": "many"}, "quantity", "many"),
        ("counselling.record", {"topics": ["sky_diving"]}, "topics", "sky_diving"),
        ("immunization.record", {"vaccine": "bcg", "batch": "L" * 41}, "batch", "L" * 20),
        ("service.record", {"code": "plot_growth_chart", "note": "n" * 201}, "note", "n" * 20),
        ("foo.bar", {}, "type", "foo.bar"),
        # A quantity as sent: 0 is refused as on the web, a fraction is never cut short.
        ("service.record", {"code": "plot_growth_chart", "quantity": 0}, "quantity", "0"),
        ("service.record", {"code": "plot_growth_chart", "quantity": 2.7}, "quantity", "2.7"),
        ("service.record", {"code": "plot_growth_chart", "quantity": "2.7"}, "quantity", "2.7"),
        ("service.record", {"code": "plot_growth_chart", "quantity": [2]}, "quantity", "[2]"),
        # JSON that is not text is refused, never stored as its Python spelling.
        ("service.record", {"code": ["plot_growth_chart"]}, "code", '["plot_growth_chart"]'),
        ("immunization.record", {"vaccine": 7}, "vaccine", "7"),
        ("immunization.record", {"vaccine": "bcg", "batch": 12345}, "batch", "12345"),
        ("service.record", {"code": "plot_growth_chart", "note": {"a": 1}}, "note", '{"a": 1}'),
        ("counselling.record", {"topics": [True]}, "topics", "true"),
    ],
)
def test_rejections_name_field_and_value(jejaring, day, child, kind, data, field, value):
    kader = jejaring.user("kader_sari")
    visit = Visit.objects.create(
        person=child, service_day=day, posyandu=jejaring.melati, date=day.date
    )
    [result] = send(kader, event(kind, {"visit": str(visit.uuid), **data}))
    assert result["status"] == "rejected"
    assert result["field"] == field
    assert value in result["reason"]
    assert result["code"]
    assert not ServiceGiven.objects.exists()
    assert not ImmunizationGiven.objects.exists()


def test_a_too_long_lot_number_is_refused_alone_and_the_batch_goes_on(jejaring, day, child):
    kader = jejaring.user("kader_sari")
    visit = Visit.objects.create(
        person=child, service_day=day, posyandu=jejaring.melati, date=day.date
    )
    on_visit = {"visit": str(visit.uuid)}
    results = send(
        kader,
        event("immunization.record", {**on_visit, "vaccine": "bcg", "batch": "L" * 41}),
        event("service.record", {**on_visit, "code": "plot_growth_chart"}),
    )
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert "40" in results[0]["reason"]
    assert not ImmunizationGiven.objects.exists()
    assert ServiceGiven.objects.get(visit=visit).code == "plot_growth_chart"


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"nik": "123"}, "nik", "123"),
        ({"birth_date": "2999-01-01"}, "birth_date", "01/01/2999"),
        ({"birth_date": "kemarin"}, "birth_date", "kemarin"),
        ({"phone": "abc"}, "phone", "abc"),
        ({"sex": "X"}, "sex", "X"),
        ({"colour": "red"}, "colour", "colour"),
        # JSON that is not text (or not yes/no) is refused by name, never str()-ed.
        ({"nik": 5201014203250001}, "nik", "5201014203250001"),
        ({"name": ["A", "B"]}, "name", '["A", "B"]'),
        ({"sex": 1}, "sex", "1"),
        ({"phone": 812345}, "phone", "812345"),
        ({"birth_date": 20250302}, "birth_date", "20250302"),
        ({"has_buku_kia": "ya"}, "has_buku_kia", "ya"),
    ],
)
def test_registry_rejections_name_field_and_value(jejaring, changes, field, value):
    born = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    data = {
        "posyandu": str(jejaring.melati.uuid),
        "name": "Dewi",
        "sex": "F",
        "birth_date": born,
    } | changes
    kind = "person.update" if "colour" in changes else "person.register"
    record = PersonFactory(posyandu=jejaring.melati).uuid if kind == "person.update" else None
    if kind == "person.update":
        data = {"base": {}, "changes": changes}
    [result] = send(jejaring.user("kader_sari"), event(kind, data, record=record))
    assert result["status"] == "rejected", result
    assert result["field"] == field
    assert value in result["reason"]
    assert not Person.objects.filter(name="Dewi").exists()


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"nik": 5201014203250001}, "nik", "5201014203250001"),
        ({"nik": "123"}, "nik", "123"),
        ({"name": ["A", "B"]}, "name", '["A", "B"]'),
        ({"sex": 1}, "sex", "1"),
        ({"phone": 812345}, "phone", "812345"),
        ({"smoker": "yes"}, "smoker", "yes"),
        ({"has_buku_kia": 1}, "has_buku_kia", "1"),
        ({"birth_date": "2026-02-30"}, "birth_date", "2026-02-30"),
    ],
)
def test_update_rejections_name_field_and_value(jejaring, child, changes, field, value):
    before = Person.objects.values().get(pk=child.pk)
    data = {"base": {}, "changes": {"name": "Ayu Lestari", **changes}}
    [result] = send(jejaring.user("kader_sari"), event("person.update", data, record=child.uuid))
    assert result["status"] == "rejected", result
    assert result["field"] == field
    assert value in result["reason"]
    assert Person.objects.values().get(pk=child.pk) == before  # the name was not changed either


def test_reasons_are_in_indonesian(jejaring, day, child):
    visit = Visit.objects.create(
        person=child, service_day=day, posyandu=jejaring.melati, date=day.date
    )
    [result] = send(
        jejaring.user("kader_sari"),
        event("measurement.record", {"visit": str(visit.uuid), "values": {"weight_kg": "850"}}),
    )
    assert "Berat" in result["reason"]


def test_replay_answers_the_first_result_and_writes_nothing(jejaring, day, child):
    kader = jejaring.user("kader_sari")
    visit = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    bad = event(
        "measurement.record", {"visit": visit["record"], "values": {"weight_kg": "0"}}, seq=2
    )
    first = send(kader, visit, bad)
    rows = (Visit.objects.count(), AuditEvent.objects.count(), SyncReceipt.objects.count())
    again = send(kader, visit, bad)
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["record"] for r in again] == [r["record"] for r in first]
    assert again[1]["reason"] == first[1]["reason"]
    assert (Visit.objects.count(), AuditEvent.objects.count(), SyncReceipt.objects.count()) == rows


def test_waiting_until_the_record_it_names_arrives(jejaring, day, child):
    kader = jejaring.user("kader_sari")
    visit = uuid.uuid4()
    measure = event(
        "measurement.record", {"visit": str(visit), "values": {"weight_kg": "9.5"}}, seq=5
    )
    [result] = send(kader, measure)
    assert result["status"] == "waiting"
    assert result["field"] == "visit"
    assert str(visit) in result["reason"]
    assert not Measurement.objects.exists()
    check_in = event(
        "visit.register",
        {"service_day": str(day.uuid), "person": str(child.uuid)},
        record=visit,
        seq=4,
    )
    assert send(kader, check_in)[0]["status"] == "accepted"
    [result] = send(kader, measure)
    assert result["status"] == "accepted"
    assert Measurement.objects.get(uuid=measure["record"]).visit.uuid == visit


def test_two_phones_check_the_same_person_in(jejaring, day, child):
    kader = jejaring.user("kader_sari")
    first, second = uuid.uuid4(), uuid.uuid4()
    data = {"service_day": str(day.uuid), "person": str(child.uuid)}
    assert send(kader, event("visit.register", data, record=first))[0]["record"] == str(first)
    [result] = send(kader, event("visit.register", data, record=second), device=PHONE_B)
    assert result["status"] == "accepted"
    assert result["record"] == str(first)
    assert RecordAlias.objects.get(uuid=second).target == first
    measure = event(
        "measurement.record", {"visit": str(second), "values": {"muac_cm": "13.1"}}, seq=2
    )
    assert send(kader, measure, device=PHONE_B)[0]["status"] == "accepted"
    assert Measurement.objects.get(uuid=measure["record"]).visit.uuid == first
    assert Visit.objects.filter(person=child).count() == 1


def test_conflicting_edits_wait_for_the_bidan(jejaring, child, client):
    kader = jejaring.user("kader_sari")
    child.phone = "0811111"
    child.save()
    one = event(
        "person.update",
        {
            "base": {"name": "Ayu", "phone": "0811111"},
            "changes": {"name": "Ayu Lestari", "phone": "0822222"},
        },
        record=child.uuid,
    )
    two = event(
        "person.update",
        {
            "base": {"name": "Ayu", "phone": "0811111"},
            "changes": {"name": "Ayu Wulandari", "phone": "0822222"},
        },
        record=child.uuid,
    )
    assert send(kader, one)[0]["status"] == "accepted"
    [result] = send(kader, two, device=PHONE_B)
    assert result["status"] == "conflict"
    assert result["field"] == "name"
    child.refresh_from_db()
    assert (child.name, child.phone) == ("Ayu Lestari", "0822222")  # nothing lost, nothing won
    review = SyncReview.objects.get(kind="conflict")
    assert (review.field, review.base_value, review.server_value, review.phone_value) == (
        "name",
        "Ayu",
        "Ayu Lestari",
        "Ayu Wulandari",
    )
    # The kader cannot resolve it; the bidan sees both versions and takes the phone's.
    client.force_login(kader)
    assert client.get(f"/sinkron/tinjau/{review.uuid}/").status_code == 403
    client.force_login(jejaring.user("bidan_rina"))
    page = client.get("/sinkron/tinjau/").content.decode()
    assert "Ayu Lestari" in page
    page = client.get(f"/sinkron/tinjau/{review.uuid}/").content.decode()
    assert "Ayu Lestari" in page
    assert "Ayu Wulandari" in page
    response = client.post(f"/sinkron/tinjau/{review.uuid}/", {"keep": "phone"})
    assert response.status_code == 302
    child.refresh_from_db()
    review.refresh_from_db()
    assert child.name == "Ayu Wulandari"
    assert review.resolution == "phone"
    assert review.resolved_by == jejaring.user("bidan_rina")
    assert AuditEvent.objects.filter(action="sync.conflict_resolve").count() == 1
    # Resolving again changes nothing.
    conflict_resolve(user=jejaring.user("bidan_rina"), review=review, keep="server")
    child.refresh_from_db()
    assert child.name == "Ayu Wulandari"


def test_same_base_and_value_is_no_conflict(jejaring, child):
    kader = jejaring.user("kader_sari")
    change = {"base": {"name": "Ayu"}, "changes": {"name": "Ayu Lestari"}}
    send(kader, event("person.update", change, record=child.uuid))
    [result] = send(kader, event("person.update", change, record=child.uuid), device=PHONE_B)
    assert result["status"] == "accepted"
    assert not SyncReview.objects.exists()


@pytest.mark.parametrize(
    ("field", "phone", "words"),
    [
        ("phone", "abc", "abc"),
        ("nik", 5201014203250001, "5201014203250001"),
        ("nik", "5201014203250001", "5201014203250001"),  # a NIK of another birth date
    ],
)
def test_a_conflicting_value_is_checked_before_it_waits_for_the_bidan(
    jejaring, child, field, phone, words
):
    child.phone = "0811111"
    child.save()
    before = Person.objects.values().get(pk=child.pk)
    data = {
        "base": {"name": "Ayu", field: "0800000"},  # the server's value is another one
        "changes": {"name": "Ayu Lestari", field: phone},
    }
    [result] = send(jejaring.user("kader_sari"), event("person.update", data, record=child.uuid))
    assert result["status"] == "rejected", result
    assert result["field"] == field
    assert words in result["reason"]
    # Refused whole: no review a bidan could not take, and the name was not changed either.
    assert not SyncReview.objects.exists()
    assert Person.objects.values().get(pk=child.pk) == before


def test_a_conflicting_value_is_kept_as_cleaned(jejaring, child):
    child.phone = "0811111"
    child.save()
    data = {"base": {"phone": "0800000"}, "changes": {"phone": " 0822222 "}}
    [result] = send(jejaring.user("kader_sari"), event("person.update", data, record=child.uuid))
    assert result["status"] == "conflict"
    assert SyncReview.objects.get(kind="conflict").phone_value == "0822222"


@pytest.mark.parametrize(
    ("field", "phone_value", "words"),
    [
        ("phone", "abc", "Telepon: 'abc' bukan nomor telepon."),  # kept before values were checked
        ("has_buku_kia", "ya", "'ya'"),
        ("mother", "5f0c2a4e-0000-4000-8000-000000000000", "5f0c2a4e-0000-4000-8000-000000000000"),
    ],
)
def test_a_phone_value_that_cannot_be_taken_is_said_on_the_review_page(
    jejaring, child, client, field, phone_value, words
):
    review = SyncReview.objects.create(
        kind="conflict",
        posyandu=jejaring.melati,
        person=child,
        field=field,
        base_value=None,
        server_value=None,
        phone_value=phone_value,
        device=PHONE_A,
        user=jejaring.user("kader_sari"),
        event=uuid.uuid4(),
    )
    before = Person.objects.values().get(pk=child.pk)
    client.force_login(jejaring.user("bidan_rina"))
    response = client.post(
        f"/sinkron/tinjau/{review.uuid}/", {"keep": "phone"}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/sinkron/tinjau/{review.uuid}/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert words in html.unescape(page)
    review.refresh_from_db()
    assert review.resolved_at is None  # still open: she keeps the server's value instead
    assert Person.objects.values().get(pk=child.pk) == before
    assert client.post(f"/sinkron/tinjau/{review.uuid}/", {"keep": "server"}).status_code == 302
    review.refresh_from_db()
    assert review.resolution == "server"


def test_possible_duplicate_is_accepted_and_listed(jejaring, child, client):
    kader = jejaring.user("kader_sari")
    again = uuid.uuid4()
    data = {
        "posyandu": str(jejaring.melati.uuid),
        "name": " ayu ",
        "sex": "F",
        "birth_date": child.birth_date.isoformat(),
    }
    [result] = send(kader, event("person.register", data, record=again))
    assert result["status"] == "accepted"
    review = SyncReview.objects.get(kind="duplicate")
    assert review.person.uuid == again
    assert list(review.candidates.all()) == [child]
    client.force_login(jejaring.user("bidan_rina"))
    page = client.get(f"/sinkron/tinjau/{review.uuid}/").content.decode()
    assert f"/warga/{child.uuid}/gabung/" in page
    assert client.post(f"/sinkron/tinjau/{review.uuid}/", {"dismiss": "1"}).status_code == 302
    review.refresh_from_db()
    assert review.resolution == "dismissed"


def test_other_posyandu_records_are_not_found_without_leaking(jejaring, people):
    secret = people["kenanga"]
    day = ServiceDay.objects.create(posyandu=jejaring.kenanga, date=timezone.localdate())
    kader = jejaring.user("kader_sari")
    results = send(
        kader,
        event("person.update", {"base": {}, "changes": {"phone": "0812"}}, record=secret.uuid),
        event("visit.register", {"service_day": str(day.uuid), "person": str(secret.uuid)}),
        event("household.create", {"posyandu": str(jejaring.kenanga.uuid), "head_name": "X"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert {r["code"] for r in results} == {"not_found"}
    assert all(secret.name not in r["reason"] for r in results)
    secret.refresh_from_db()
    assert secret.phone != "0812"
    assert not Visit.objects.exists()


def test_batch_goes_on_past_a_bad_event(jejaring, day, child):
    kader = jejaring.user("kader_sari")
    visit = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    bad = event(
        "measurement.record",
        {"visit": visit["record"], "values": {"weight_kg": "9", "sbp_mmhg": "x"}},
        seq=2,
    )
    good = event("service.record", {"visit": visit["record"], "code": "plot_growth_chart"}, seq=3)
    results = send(kader, visit, bad, good)
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert not Measurement.objects.exists()  # the weight of the bad event was not kept
    assert not AuditEvent.objects.filter(action="measurement.record").exists()


def test_a_failing_event_writes_nothing(jejaring, child, monkeypatch):
    def broken(**kwargs):
        raise ValidationError({"person": ValidationError("boom %(value)s", params={"value": 1})})

    monkeypatch.setattr(SyncReview.objects, "create", broken)
    again = uuid.uuid4()
    data = {
        "posyandu": str(jejaring.melati.uuid),
        "name": "Ayu",
        "sex": "F",
        "birth_date": child.birth_date.isoformat(),
    }
    [result] = send(jejaring.user("kader_sari"), event("person.register", data, record=again))
    assert result["status"] == "rejected"
    assert not Person.objects.filter(uuid=again).exists()  # registered, then rolled back
    assert not AuditEvent.objects.filter(entity_uuid=again).exists()


def test_api_requires_login_csrf_and_at_most_500_events(jejaring, client):
    from django.test import Client

    body = {"device": str(PHONE_A), "events": []}
    assert client.post("/api/sync/events", body, content_type="application/json").status_code in (
        401,
        403,
    )
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(jejaring.user("kader_sari"))
    response = strict.post("/api/sync/events", body, content_type="application/json")
    assert response.status_code == 403  # no CSRF header
    strict.get("/masuk/")
    token = strict.cookies["csrftoken"].value
    too_many = {"device": str(PHONE_A), "events": [event("foo.bar", {}) for _ in range(501)]}
    response = strict.post(
        "/api/sync/events",
        json.dumps(too_many),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    assert "501" in response.json()["detail"]
    assert "500" in response.json()["detail"]
    assert not SyncReceipt.objects.exists()
    response = strict.post(
        "/api/sync/events",
        json.dumps({"device": str(PHONE_A), "events": [event("foo.bar", {})]}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "rejected"
    assert response.json()["cursor"]


def _strict_client(jejaring):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(jejaring.user("kader_sari"))
    strict.get("/masuk/")
    return strict, {"X-CSRFToken": strict.cookies["csrftoken"].value, "Accept-Language": "id"}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("[]", "JSON"),  # not an object
        ("{", "JSON"),  # not JSON
        (b"\xff", "JSON"),  # not UTF-8
        ('{"device": "HP-1", "events": []}', "'HP-1' bukan ID yang sah"),
        ('{"device": 7, "events": []}', "'7' bukan ID yang sah"),
        ('{"events": []}', "'null' bukan ID yang sah"),
        (json.dumps({"device": str(PHONE_A), "events": {"id": 1}}), '{"id": 1}'),
        (json.dumps({"device": str(PHONE_A)}), "null"),
    ],
)
def test_a_malformed_upload_is_refused_in_words(jejaring, body, words):
    strict, headers = _strict_client(jejaring)
    response = strict.post(
        "/api/sync/events", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str)  # a sentence the phone shows, not the framework's list
    assert words in detail
    assert not SyncReceipt.objects.exists()


def _envelope(**fields) -> dict:
    return {"id": str(uuid.uuid4()), "type": "foo.bar", "record": str(uuid.uuid4()), **fields}


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"seq": 10**20}, str(10**20)),  # beyond the 64-bit column
        ({"seq": 2**63}, str(2**63)),
        ({"seq": -1}, "-1"),
        ({"seq": 2.5}, "2.5"),
        ({"seq": True}, "true"),
        ({"seq": [1]}, "[1]"),
        ({"seq": 1, "at": "2026-02-30T10:00:00"}, "2026-02-30T10:00:00"),
        ({"seq": 1, "at": "kemarin"}, "kemarin"),
        ({"seq": 1, "at": 1733300000}, "1733300000"),
        ({"seq": 1, "at": "0001-01-01T00:00:00+14:00"}, "0001-01-01T00:00:00+14:00"),
    ],
)
def test_a_malformed_envelope_refuses_the_batch_in_words(jejaring, fields, words):
    strict, headers = _strict_client(jejaring)
    good = event("service.record", {"code": "plot_growth_chart"})
    body = {"device": str(PHONE_A), "events": [good, _envelope(**fields)]}
    response = strict.post(
        "/api/sync/events", json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert "Event 2" in response.json()["detail"]
    assert words in response.json()["detail"]
    assert not SyncReceipt.objects.exists()


@pytest.mark.parametrize("seq", ["Infinity", "-Infinity", "NaN"])
def test_a_seq_that_is_no_number_refuses_the_batch(jejaring, seq):
    strict, headers = _strict_client(jejaring)
    body = json.dumps({"device": str(PHONE_A), "events": [_envelope(seq=1)]})
    body = body.replace('"seq": 1', f'"seq": {seq}')  # what JSON.parse refuses, Python reads
    response = strict.post(
        "/api/sync/events", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 422
    assert "Event 1" in response.json()["detail"]
    assert not SyncReceipt.objects.exists()


def test_the_envelope_is_stored_as_read(jejaring):
    largest = 2**63 - 1
    results = send(
        jejaring.user("kader_sari"),
        _envelope(seq=largest, at="2026-12-04T09:15:00"),  # no time zone: the server's
        _envelope(seq="17", at="2026-12-04T09:15:00+07:00"),
        _envelope(seq=3.0),
    )
    assert [r["status"] for r in results] == ["rejected"] * 3  # type foo.bar
    seqs = dict(SyncReceipt.objects.values_list("seq", "at"))
    moment = dt.datetime(2026, 12, 4, 2, 15, tzinfo=dt.UTC)
    assert seqs == {largest: moment, 17: moment, 3: None}


@pytest.mark.parametrize("count", [2, 12])
def test_review_list_query_budget(jejaring, client, count, django_assert_max_num_queries):
    kader = jejaring.user("kader_sari")
    for i in range(count):
        person = PersonFactory(posyandu=jejaring.melati, name=f"Orang {i}")
        review = SyncReview.objects.create(
            kind="duplicate",
            posyandu=jejaring.melati,
            person=person,
            device=PHONE_A,
            user=kader,
            event=uuid.uuid4(),
        )
        review.candidates.set([PersonFactory(posyandu=jejaring.melati)])
    SyncReview.objects.create(
        kind="duplicate",
        posyandu=jejaring.kenanga,
        person=PersonFactory(posyandu=jejaring.kenanga, name="Rahasia Kenanga"),
        device=PHONE_A,
        user=kader,
        event=uuid.uuid4(),
    )
    client.force_login(jejaring.user("bidan_rina"))
    with django_assert_max_num_queries(12):
        page = client.get("/sinkron/tinjau/").content.decode()
    assert page.count("/sinkron/tinjau/") >= count
    assert "Rahasia Kenanga" not in page


def test_pws_rollups_are_refreshed_once_per_batch(jejaring, day, child, monkeypatch):
    from posyandu.pws.models import MonthlyRollup
    from posyandu.sync import services

    calls = []
    real = services.rollup_refresh_months
    monkeypatch.setattr(
        services,
        "rollup_refresh_months",
        lambda **kw: calls.append(kw["posyandu"]) or real(**kw),
    )
    visit = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    weigh = event(
        "measurement.record", {"visit": visit["record"], "values": {"weight_kg": "9"}}, seq=2
    )
    send(jejaring.user("kader_sari"), visit, weigh)
    assert calls == [jejaring.melati]
    assert MonthlyRollup.objects.filter(posyandu=jejaring.melati).exists()
