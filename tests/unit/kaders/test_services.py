"""Kader registry services: registration, trainings and assessments, certification."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.kaders import services
from posyandu.kaders.models import CompetencyRecord, Kader
from tests.unit.kaders.factories import KaderFactory


def _register(jejaring, persona="bidan_rina", **kwargs):
    values = {"uuid": uuid.uuid4(), "posyandu": jejaring.melati, "name": " Sari  Dewi ", **kwargs}
    return services.kader_register(user=jejaring.user(persona), **values)


def test_kader_register_by_bidan_saves_and_audits(jejaring):
    kader = _register(jejaring, phone="0812345")
    assert kader.name == "Sari Dewi"
    assert kader.posyandu == jejaring.melati
    event = AuditEvent.objects.get(entity_uuid=kader.uuid)
    assert event.action == "kader.register"
    assert event.user == jejaring.user("bidan_rina")


def test_kader_register_links_the_kader_login(jejaring):
    kader = _register(jejaring, user_account=jejaring.user("kader_sari"))
    assert kader.user == jejaring.user("kader_sari")


@pytest.mark.parametrize("persona", ["bidan_rina", "outsider"])
def test_kader_register_refuses_login_of_kader_elsewhere_or_non_kader(jejaring, persona):
    with pytest.raises(ValidationError) as caught:
        _register(jejaring, user_account=jejaring.user(persona))
    assert "user_account" in caught.value.message_dict


def test_kader_register_refuses_login_already_taken(jejaring):
    _register(jejaring, user_account=jejaring.user("kader_sari"))
    with pytest.raises(ValidationError):
        _register(jejaring, user_account=jejaring.user("kader_sari"))


def test_kader_register_same_uuid_twice_writes_once(jejaring):
    key = uuid.uuid4()
    assert _register(jejaring, uuid=key).pk == _register(jejaring, uuid=key).pk
    assert Kader.objects.count() == 1
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"), [({"name": "  "}, "name"), ({"phone": "abc"}, "phone")]
)
def test_kader_register_refuses_bad_input_naming_the_field(jejaring, changes, field):
    with pytest.raises(ValidationError) as caught:
        _register(jejaring, **changes)
    assert field in caught.value.message_dict


@pytest.mark.parametrize("persona", ["kader_sari", "outsider", "desa_official", "dinkes_analyst"])
def test_kader_register_refused_to_non_managers(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _register(jejaring, persona=persona)
    assert not Kader.objects.exists()


def test_kader_register_by_puskesmas_staff_allowed_under_its_area_only(jejaring):
    assert _register(jejaring, persona="puskesmas_admin", posyandu=jejaring.anggrek).pk
    with pytest.raises(PermissionDenied):
        _register(jejaring, persona="puskesmas_admin", posyandu=jejaring.kenanga)


def test_kader_register_rolls_back_when_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _register(jejaring)
    assert not Kader.objects.exists()


def _competency(jejaring, kader, persona="bidan_rina", **kwargs):
    values = {
        "uuid": uuid.uuid4(),
        "competency": "dewasa_lansia.skrining_lansia",
        "kind": CompetencyRecord.Kind.ASSESSED,
        "date": timezone.localdate(),
        "passed": True,
        **kwargs,
    }
    return services.competency_record(user=jejaring.user(persona), kader=kader, **values)


def test_competency_record_saves_assessment_with_audit(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    record = _competency(jejaring, kader, by=" Bidan Rina ")
    assert record.passed is True
    assert record.by == "Bidan Rina"
    assert AuditEvent.objects.get(entity_uuid=record.uuid).action == "kader.competency"


def test_competency_record_training_has_no_result(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    record = _competency(jejaring, kader, kind=CompetencyRecord.Kind.TRAINED, passed=True)
    assert record.passed is None


def test_competency_record_same_uuid_twice_writes_once(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    key = uuid.uuid4()
    assert _competency(jejaring, kader, uuid=key).pk == _competency(jejaring, kader, uuid=key).pk
    assert CompetencyRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"competency": "menjahit"}, "competency"),
        ({"kind": "graded"}, "kind"),
        ({"passed": None}, "passed"),
        ({"date": timezone.localdate() + dt.timedelta(days=3)}, "date"),
    ],
)
def test_competency_record_refuses_bad_input_naming_the_field(jejaring, changes, field):
    kader = KaderFactory(posyandu=jejaring.melati)
    with pytest.raises(ValidationError) as caught:
        _competency(jejaring, kader, **changes)
    assert field in caught.value.message_dict


@pytest.mark.parametrize("persona", ["kader_sari", "outsider", "desa_official"])
def test_competency_record_refused_to_non_managers(jejaring, persona):
    kader = KaderFactory(posyandu=jejaring.melati)
    with pytest.raises(PermissionDenied):
        _competency(jejaring, kader, persona=persona)


def test_competency_record_rolls_back_when_audit_fails(jejaring, monkeypatch):
    kader = KaderFactory(posyandu=jejaring.melati)
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _competency(jejaring, kader)
    assert not CompetencyRecord.objects.exists()


def test_kader_certify_sets_tier_once(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    bidan = jejaring.user("bidan_rina")
    assert services.kader_certify(user=bidan, kader=kader, tier="madya").tier == "madya"
    services.kader_certify(user=bidan, kader=kader, tier="madya")
    assert AuditEvent.objects.filter(action="kader.certify").count() == 1
    with pytest.raises(ValidationError):
        services.kader_certify(user=bidan, kader=kader, tier="sakti")
    with pytest.raises(PermissionDenied):
        services.kader_certify(user=jejaring.user("kader_sari"), kader=kader, tier="utama")


def test_kader_certify_rolls_back_when_audit_fails(jejaring, monkeypatch):
    kader = KaderFactory(posyandu=jejaring.melati)
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.kader_certify(user=jejaring.user("bidan_rina"), kader=kader, tier="utama")
    kader.refresh_from_db()
    assert kader.tier == ""
