"""Outreach services: home visits (with measurements taken at home) and classes."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyandu.audit.models import AuditEvent
from posyandu.outreach import services
from posyandu.outreach.models import ClassAttendance, ClassSession, HomeVisit
from posyandu.visits.models import Measurement, Visit
from tests.factories import PersonFactory
from tests.unit.outreach.factories import ClassSessionFactory, today


def _record(jejaring, persona="kader_sari", person=None, **kwargs):
    values = {
        "uuid": uuid.uuid4(),
        "person": person or PersonFactory(posyandu=jejaring.melati, name="Ayu"),
        "visited_on": today(),
        "reasons": ["absent"],
        "outcome": HomeVisit.Outcome.MET,
        **kwargs,
    }
    return services.home_visit_record(user=jejaring.user(persona), **values)


def test_home_visit_record_saves_visit_with_reasons_and_audit(jejaring):
    visit = _record(jejaring, findings=" Anak sehat ", reasons=["absent", "weight.not_increasing"])
    assert visit.kader == jejaring.user("kader_sari")
    assert visit.reasons == ["weight.not_increasing", "absent"]  # most pressing first
    assert visit.findings == "Anak sehat"
    assert visit.visit is None
    assert AuditEvent.objects.get(entity_uuid=visit.uuid).action == "home_visit.record"


def test_home_visit_record_with_measurements_makes_a_home_visit_and_measurement(jejaring):
    child = PersonFactory(posyandu=jejaring.melati, birth_date=today() - dt.timedelta(days=300))
    home = _record(
        jejaring, person=child, measurements={"weight_kg": "7,9", "lenhei_cm": "", "muac_cm": None}
    )
    assert home.visit.place == Visit.Place.HOME
    assert home.visit.posyandu == jejaring.melati
    measurement = Measurement.objects.get(visit=home.visit)
    assert str(measurement.weight_kg) == "7.90"
    assert measurement.person == child


def test_home_visit_record_same_uuid_twice_writes_once(jejaring):
    key = uuid.uuid4()
    person = PersonFactory(posyandu=jejaring.melati, birth_date=today() - dt.timedelta(days=300))
    first = _record(jejaring, uuid=key, person=person, measurements={"weight_kg": "8"})
    again = _record(jejaring, uuid=key, person=person, measurements={"weight_kg": "8"})
    assert again.pk == first.pk
    assert HomeVisit.objects.count() == 1
    assert Visit.objects.count() == 1
    assert Measurement.objects.count() == 1


def test_home_visit_record_rolls_back_when_measurement_is_implausible(jejaring):
    with pytest.raises(ValidationError) as caught:
        _record(jejaring, measurements={"weight_kg": "800"})
    assert "800" in " ".join(caught.value.messages)
    assert not HomeVisit.objects.exists()
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.exists()


def test_home_visit_record_rolls_back_when_audit_fails(jejaring, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        _record(jejaring)
    assert not HomeVisit.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reasons": []}, "reasons"),
        ({"reasons": ["made.up"]}, "reasons"),
        ({"outcome": "vanished"}, "outcome"),
        ({"visited_on": today() + dt.timedelta(days=2)}, "visited_on"),
    ],
)
def test_home_visit_record_refuses_bad_input_naming_the_field(jejaring, changes, field):
    with pytest.raises(ValidationError) as caught:
        _record(jejaring, **changes)
    assert field in caught.value.message_dict


@pytest.mark.parametrize("persona", ["outsider", "desa_official", "dinkes_analyst"])
def test_home_visit_record_refused_outside_scope(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _record(jejaring, persona=persona)


def test_home_visit_record_by_bidan_of_the_pustu_is_allowed(jejaring):
    assert _record(jejaring, persona="bidan_rina").kader == jejaring.user("bidan_rina")


# --- classes -------------------------------------------------------------------------------


def _session(jejaring, persona="kader_sari", **kwargs):
    values = {
        "uuid": uuid.uuid4(),
        "posyandu": jejaring.melati,
        "kind": ClassSession.Kind.IBU_HAMIL,
        "date": today(),
        "topic": " Tanda bahaya ",
        "facilitator": "Bidan Rina",
        **kwargs,
    }
    return services.class_session_create(user=jejaring.user(persona), **values)


def test_class_session_create_saves_and_audits_once(jejaring):
    key = uuid.uuid4()
    session = _session(jejaring, uuid=key)
    assert session.topic == "Tanda bahaya"
    assert _session(jejaring, uuid=key).pk == session.pk
    assert AuditEvent.objects.filter(action="class_session.create").count() == 1


@pytest.mark.parametrize("changes", [{"kind": "kelas_lain"}, {"topic": "  "}, {"facilitator": ""}])
def test_class_session_create_refuses_missing_fields(jejaring, changes):
    with pytest.raises(ValidationError):
        _session(jejaring, **changes)
    assert not ClassSession.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "desa_official"])
def test_class_session_create_refused_outside_scope(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _session(jejaring, persona=persona)


def test_class_session_create_rolls_back_when_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _session(jejaring)
    assert not ClassSession.objects.exists()


def test_class_attendance_record_sets_exactly_the_ticked_persons(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    ani, budi, citra = (PersonFactory(posyandu=jejaring.melati) for _ in range(3))
    kader = jejaring.user("kader_sari")
    services.class_attendance_record(user=kader, session=session, persons=[ani, budi])
    services.class_attendance_record(user=kader, session=session, persons=[budi, citra])
    assert set(session.attendees.all()) == {budi, citra}
    events = AuditEvent.objects.filter(action="class_attendance.record").order_by("id")
    assert events.count() == 2
    assert events.last().changes == {"added": [str(citra.uuid)], "removed": [str(ani.uuid)]}


def test_class_attendance_record_twice_the_same_writes_nothing(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    ani = PersonFactory(posyandu=jejaring.melati)
    kader = jejaring.user("kader_sari")
    services.class_attendance_record(user=kader, session=session, persons=[ani])
    services.class_attendance_record(user=kader, session=session, persons=[ani])
    assert ClassAttendance.objects.count() == 1
    assert AuditEvent.objects.filter(action="class_attendance.record").count() == 1


def test_class_attendance_record_refuses_person_outside_scope(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    stranger = PersonFactory(posyandu=jejaring.kenanga)
    with pytest.raises(PermissionDenied):
        services.class_attendance_record(
            user=jejaring.user("kader_sari"), session=session, persons=[stranger]
        )
    assert not ClassAttendance.objects.exists()


def test_class_attendance_record_rolls_back_when_audit_fails(jejaring, monkeypatch):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.class_attendance_record(
            user=jejaring.user("kader_sari"),
            session=session,
            persons=[PersonFactory(posyandu=jejaring.melati)],
        )
    assert not ClassAttendance.objects.exists()
