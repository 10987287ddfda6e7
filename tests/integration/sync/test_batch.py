"""A batch of events is applied in one transaction, its reads shared and its writes held until
the end (docs/adr/0008): what that must not change — every rule, every audit event, the
answer to a clash with another phone — and what it must keep small: the queries."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.core.dates import add_months
from posyandu.pws.models import MonthlyRollup
from posyandu.sync import handlers
from posyandu.sync.models import RecordAlias, SyncReceipt
from posyandu.visits.batch import VisitBatch
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, Visit
from tests.factories import PersonFactory
from tests.integration.sync.test_events import PHONE_A, PHONE_B, event, send


@pytest.fixture
def day(jejaring):
    return ServiceDay.objects.create(posyandu=jejaring.melati, date=timezone.localdate())


def _children(posyandu, count: int) -> list:
    born = timezone.localdate() - dt.timedelta(days=500)
    return [PersonFactory(posyandu=posyandu, birth_date=born) for _ in range(count)]


def _day_of(day, children) -> list[dict]:
    """Check-in, weighing, a service and counselling of each child: four events each."""
    events = []
    for child in children:
        visit = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
        events += [
            visit,
            event("measurement.record", {"visit": visit["record"], "values": {"weight_kg": "9"}}),
            event("service.record", {"visit": visit["record"], "code": "plot_growth_chart"}),
            event("counselling.record", {"visit": visit["record"], "topics": ["immunization"]}),
        ]
    for seq, each in enumerate(events, 1):
        each["seq"] = seq
    return events


def _queries(user, events) -> int:
    with CaptureQueriesContext(connection) as queries:
        results = send(user, *events)
    assert {r["status"] for r in results} == {"accepted"}
    return len(queries)


def test_queries_do_not_grow_with_the_batch(jejaring, day):
    kader = jejaring.user("kader_sari")
    few = _queries(kader, _day_of(day, _children(jejaring.melati, 3)))
    many = _queries(kader, _day_of(day, _children(jejaring.melati, 30)))
    # 120 events cost what 12 cost: statements per kind of row, not per event.
    assert many <= few + 3
    assert many <= 40


def test_every_change_is_audited(jejaring, day):
    kader = jejaring.user("kader_sari")
    children = _children(jejaring.melati, 4)
    send(kader, *_day_of(day, children))
    actions = list(AuditEvent.objects.values_list("action", "entity_uuid"))
    visits = set(Visit.objects.values_list("uuid", flat=True))
    assert sorted(a for a, _ in actions) == sorted(
        ["service_day.open"]
        + ["visit.register", "measurement.record", "service.record", "visit.counsel"] * 4
    )
    assert {u for a, u in actions if a == "visit.register"} == visits
    assert {u for a, u in actions if a == "measurement.record"} == set(
        Measurement.objects.values_list("uuid", flat=True)
    )
    assert all(AuditEvent.objects.filter(user=kader).values_list("at", flat=True))


def test_a_crash_mid_batch_applies_nothing(jejaring, day, monkeypatch):
    kader = jejaring.user("kader_sari")
    events = _day_of(day, _children(jejaring.melati, 2))

    def crash(*args, **kwargs):
        raise RuntimeError("the server went down")

    monkeypatch.setitem(handlers.HANDLERS, "service.record", crash)
    with pytest.raises(RuntimeError):
        send(kader, *events)
    # Nothing was answered, nothing is kept: the phone sends the batch again.
    assert not SyncReceipt.objects.exists()
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.exists()
    monkeypatch.undo()
    assert {r["status"] for r in send(kader, *events)} == {"accepted"}


def test_a_refused_event_leaves_the_rest_of_the_batch_deferred(jejaring, day, caplog):
    kader = jejaring.user("kader_sari")
    events = _day_of(day, _children(jejaring.melati, 2))
    events[1]["data"]["values"] = {"weight_kg": "850"}
    with caplog.at_level("INFO", logger="posyandu.sync.services"):
        results = send(kader, *events)
    assert [r["status"] for r in results] == ["accepted", "rejected"] + ["accepted"] * 6
    assert "applied event by event" not in caplog.text  # a refusal is no clash
    assert Measurement.objects.count() == 1
    assert AuditEvent.objects.filter(action="measurement.record").count() == 1


def test_the_same_event_twice_in_a_batch_is_a_duplicate(jejaring, day):
    [child] = _children(jejaring.melati, 1)
    check_in = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    results = send(jejaring.user("kader_sari"), check_in, dict(check_in, seq=2))
    assert [r["status"] for r in results] == ["accepted", "duplicate"]
    assert SyncReceipt.objects.count() == Visit.objects.count() == 1


def test_a_dose_held_in_the_batch_counts_as_given(jejaring, day):
    [child] = _children(jejaring.melati, 1)
    check_in = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    dose = {"visit": check_in["record"], "vaccine": "bcg"}
    results = send(
        jejaring.user("kader_sari"),
        check_in,
        event("immunization.record", dose, seq=2),
        event("immunization.record", dose, seq=3),
    )
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert (results[2]["field"], results[2]["code"]) == ("vaccine", "given")
    assert "bcg sudah diberikan" in results[2]["reason"]
    assert ImmunizationGiven.objects.count() == 1


def test_a_check_in_made_meanwhile_is_found_when_the_batch_is_written(
    jejaring, day, monkeypatch, caplog
):
    """Another phone's check-in committed after this batch looked: the batch is applied
    again event by event and lands on that visit, as a check-in always did."""
    [child] = _children(jejaring.melati, 1)
    theirs = Visit.objects.create(
        person=child, service_day=day, posyandu=jejaring.melati, date=day.date
    )
    real = VisitBatch.visit_on

    def not_yet(self, service_day, person):
        return None if self.defer else real(self, service_day, person)

    monkeypatch.setattr(VisitBatch, "visit_on", not_yet)
    ours = event("visit.register", {"service_day": str(day.uuid), "person": str(child.uuid)})
    weigh = event(
        "measurement.record", {"visit": ours["record"], "values": {"muac_cm": "13"}}, seq=2
    )
    with caplog.at_level("INFO", logger="posyandu.sync.services"):
        results = send(jejaring.user("kader_sari"), ours, weigh, device=PHONE_B)
    assert "applied event by event" in caplog.text
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert results[0]["record"] == str(theirs.uuid)
    assert RecordAlias.objects.get(uuid=ours["record"]).target == theirs.uuid
    assert Measurement.objects.get().visit == theirs
    assert Visit.objects.count() == 1
    assert SyncReceipt.objects.count() == 2


def test_api_answers_then_refreshes_the_pws(jejaring, day, client):
    [child] = _children(jejaring.melati, 1)
    client.force_login(jejaring.user("kader_sari"))
    body = {"device": str(PHONE_A), "events": _day_of(day, [child])}
    response = client.post("/api/sync/events", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == ["accepted"] * 4
    # The test client closes the response as a server does once it is sent: refreshed.
    assert MonthlyRollup.objects.filter(posyandu=jejaring.melati).exists()


def test_waiting_events_sent_again_in_one_batch_are_applied(jejaring, day):
    [child] = _children(jejaring.melati, 1)
    kader = jejaring.user("kader_sari")
    visit = uuid.uuid4()
    weigh = event("measurement.record", {"visit": str(visit), "values": {"weight_kg": "9"}}, seq=2)
    assert send(kader, weigh)[0]["status"] == "waiting"
    check_in = event(
        "visit.register",
        {"service_day": str(day.uuid), "person": str(child.uuid)},
        record=visit,
    )
    results = send(kader, check_in, weigh)
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert SyncReceipt.objects.get(event=weigh["id"]).status == "accepted"
    assert Measurement.objects.get().visit.uuid == visit


def _ten_years_old_at(day):
    person = PersonFactory(posyandu=day.posyandu, sex="F", birth_date=add_months(day.date, -120))
    visit = Visit.objects.create(
        person=person, service_day=day, posyandu=day.posyandu, date=day.date
    )
    return person, visit


def test_a_birth_date_edited_earlier_in_the_batch_is_the_one_a_measurement_checks(jejaring, day):
    """Her visit was read with its person before the edit: the batch holds one instance of
    her, so the measurement after the edit is checked against her new birth date."""
    person, visit = _ten_years_old_at(day)
    born = day.date - dt.timedelta(days=500)
    edit = {"base": {}, "changes": {"birth_date": born.isoformat()}}
    length = {"visit": str(visit.uuid), "values": {"lenhei_cm": "74"}}  # lying or standing?
    results = send(
        jejaring.user("kader_sari"),
        event("measurement.record", length, seq=2),
        event("person.update", edit, record=person.uuid, seq=1),
    )
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["field"] == "measure"  # under five now: she may have lain down
    person.refresh_from_db()
    assert person.birth_date == born
    assert not Measurement.objects.exists()


def test_an_edit_undone_in_the_batch_is_undone_for_the_events_after_it(jejaring, day, monkeypatch):
    from django.core.exceptions import ValidationError

    from posyandu.sync.models import SyncReview

    def broken(**kwargs):
        raise ValidationError("the review could not be kept")

    monkeypatch.setattr(SyncReview.objects, "create", broken)
    person, visit = _ten_years_old_at(day)
    person.phone = "0811111"
    person.save()
    edit = {
        "base": {"phone": "0800000"},  # a conflict, whose review fails: the edit is undone
        "changes": {
            "birth_date": (day.date - dt.timedelta(days=500)).isoformat(),
            "phone": "0822222",
        },
    }
    length = {"visit": str(visit.uuid), "values": {"lenhei_cm": "140"}}
    results = send(
        jejaring.user("kader_sari"),
        event("person.update", edit, record=person.uuid, seq=1),
        event("measurement.record", length, seq=2),
    )
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    person.refresh_from_db()
    assert person.birth_date == add_months(day.date, -120)
    assert Measurement.objects.get().measure == "h"  # checked as the ten-year-old she still is
