"""Referral services: who may issue and answer, the steps in order, idempotency, audit."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyandu.audit.models import AuditEvent
from posyandu.referrals import services
from posyandu.referrals.models import Referral
from posyandu.regions.models import Facility
from tests.factories import MembershipFactory, PersonFactory
from tests.unit.outreach.factories import VisitFactory
from tests.unit.referrals.factories import ReferralFactory

Status = Referral.Status


def _issue(jejaring, persona="kader_sari", person=None, **kwargs):
    person = person or PersonFactory(posyandu=jejaring.melati, name="Ayu")
    values = {"reasons": ["hfa.severely_stunted"], "uuid": uuid.uuid4(), **kwargs}
    return services.referral_issue(user=jejaring.user(persona), person=person, **values)


def test_referral_issue_by_kader_goes_to_pustu_above(jejaring):
    referral = _issue(jejaring, urgency="urgent", note=" demam ")
    assert referral.to_facility == jejaring.pustu
    assert referral.from_facility == jejaring.melati
    assert referral.status == Status.ISSUED
    assert referral.urgency == "urgent"
    assert referral.note == "demam"
    event = AuditEvent.objects.get(entity_uuid=referral.uuid)
    assert event.action == "referral.issue"
    assert event.user == jejaring.user("kader_sari")


def test_referral_issue_without_pustu_goes_to_puskesmas(jejaring):
    lone = Facility.objects.create(
        kind="posyandu", name="Teratai", region=jejaring.desa_sukamaju, parent=jejaring.puskesmas
    )
    person = PersonFactory(posyandu=lone)
    referral = _issue(jejaring, persona="puskesmas_admin", person=person)
    assert referral.to_facility == jejaring.puskesmas


def test_referral_issue_same_uuid_twice_writes_once(jejaring):
    key = uuid.uuid4()
    first = _issue(jejaring, uuid=key)
    again = _issue(jejaring, uuid=key, person=first.person, reasons=["bp.high"])
    assert again.pk == first.pk
    assert Referral.objects.count() == 1
    assert AuditEvent.objects.filter(action="referral.issue").count() == 1


def test_referral_issue_sorts_and_dedupes_reasons(jejaring):
    referral = _issue(jejaring, reasons=["bp.high", "glucose.high", "bp.high"])
    assert referral.reasons == ["bp.high", "glucose.high"]


@pytest.mark.parametrize("reasons", [[], ["  "], ["unknown"], ["foo.bar"]])
def test_referral_issue_refuses_missing_or_unknown_reasons(jejaring, reasons):
    with pytest.raises(ValidationError):
        _issue(jejaring, reasons=reasons)
    assert not Referral.objects.exists()


def test_referral_issue_accepts_finding_of_known_indicator_and_observed_sign(jejaring):
    referral = _issue(jejaring, reasons=["hfa.some_new_class", "danger_sign.pregnancy"])
    assert referral.reasons == ["danger_sign.pregnancy", "hfa.some_new_class"]


def test_referral_issue_refuses_visit_of_another_person(jejaring):
    other = VisitFactory(person=PersonFactory(posyandu=jejaring.melati))
    with pytest.raises(ValidationError):
        _issue(jejaring, visit=other)


@pytest.mark.parametrize("persona", ["outsider", "desa_official", "dinkes_analyst"])
def test_referral_issue_refused_outside_kader_and_nakes_scope(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _issue(jejaring, persona=persona)
    assert not AuditEvent.objects.exists()


def test_referral_issue_rolls_back_when_audit_fails(jejaring, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        _issue(jejaring)
    assert not Referral.objects.exists()


def test_referral_full_loop_reaches_closed_with_audit_per_step(jejaring):
    referral = _issue(jejaring)
    bidan = jejaring.user("bidan_rina")
    services.referral_receive(user=bidan, referral=referral)
    services.referral_handle(user=bidan, referral=referral)
    answered = services.referral_feedback(user=bidan, referral=referral, feedback=" Gizi buruk ")
    assert answered.feedback == "Gizi buruk"
    assert answered.feedback_by == bidan
    closed = services.referral_close(user=jejaring.user("kader_sari"), referral=referral)
    assert closed.status == Status.CLOSED
    stamps = (closed.received_at, closed.handled_at, closed.feedback_at, closed.closed_at)
    assert all(stamps)
    actions = list(
        AuditEvent.objects.filter(entity_uuid=referral.uuid)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "referral.issue",
        "referral.receive",
        "referral.handle",
        "referral.feedback",
        "referral.close",
    ]


def test_referral_feedback_may_follow_received_directly(jejaring):
    referral = _issue(jejaring)
    bidan = jejaring.user("bidan_rina")
    services.referral_receive(user=bidan, referral=referral)
    answered = services.referral_feedback(user=bidan, referral=referral, feedback="Sudah ditangani")
    assert answered.status == Status.FEEDBACK_SENT
    assert answered.handled_at is None


@pytest.mark.parametrize(
    ("step", "status"),
    [("referral_handle", Status.ISSUED), ("referral_close", Status.RECEIVED)],
)
def test_referral_step_out_of_order_is_refused(jejaring, step, status):
    referral = ReferralFactory(person=PersonFactory(posyandu=jejaring.melati), status=status)
    with pytest.raises(ValidationError):
        getattr(services, step)(user=jejaring.user("bidan_rina"), referral=referral)
    referral.refresh_from_db()
    assert referral.status == status


def test_referral_feedback_before_received_is_refused(jejaring):
    referral = _issue(jejaring)
    with pytest.raises(ValidationError):
        services.referral_feedback(
            user=jejaring.user("bidan_rina"), referral=referral, feedback="x"
        )


def test_referral_replayed_receive_changes_nothing(jejaring):
    referral = _issue(jejaring)
    bidan = jejaring.user("bidan_rina")
    services.referral_receive(user=bidan, referral=referral)
    services.referral_handle(user=bidan, referral=referral)
    again = services.referral_receive(user=bidan, referral=referral)
    assert again.status == Status.HANDLED
    assert AuditEvent.objects.filter(action="referral.receive").count() == 1


def test_referral_feedback_replay_with_other_text_is_refused(jejaring):
    referral = ReferralFactory(
        person=PersonFactory(posyandu=jejaring.melati),
        status=Status.FEEDBACK_SENT,
        feedback="Sudah",
    )
    bidan = jejaring.user("bidan_rina")
    assert services.referral_feedback(user=bidan, referral=referral, feedback="Sudah").pk
    with pytest.raises(ValidationError):
        services.referral_feedback(user=bidan, referral=referral, feedback="Lain")


def test_referral_puskesmas_staff_may_answer_for_its_pustu(jejaring):
    referral = _issue(jejaring)
    received = services.referral_receive(user=jejaring.user("puskesmas_admin"), referral=referral)
    assert received.status == Status.RECEIVED


@pytest.mark.parametrize("persona", ["kader_sari", "outsider", "dinkes_analyst", "desa_official"])
def test_referral_receive_refused_to_non_receiving_users(jejaring, persona):
    referral = _issue(jejaring)
    with pytest.raises(PermissionDenied):
        services.referral_receive(user=jejaring.user(persona), referral=referral)


def test_referral_receive_refused_to_bidan_of_another_pustu(jejaring):
    pustu_sukasari = jejaring.anggrek.parent
    other = MembershipFactory(role="bidan", facility=pustu_sukasari).user
    referral = _issue(jejaring)
    with pytest.raises(PermissionDenied):
        services.referral_receive(user=other, referral=referral)


def test_referral_close_refused_to_kader_of_another_posyandu(jejaring):
    referral = ReferralFactory(
        person=PersonFactory(posyandu=jejaring.melati), status=Status.FEEDBACK_SENT
    )
    with pytest.raises(PermissionDenied):
        services.referral_close(user=jejaring.user("outsider"), referral=referral)


def test_referral_step_rolls_back_when_audit_fails(jejaring, monkeypatch):
    referral = _issue(jejaring)

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.referral_receive(user=jejaring.user("bidan_rina"), referral=referral)
    referral.refresh_from_db()
    assert referral.status == Status.ISSUED
    assert referral.received_at is None
