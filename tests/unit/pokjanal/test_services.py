"""Pokjanal services: ILP roll-out, strata figures, meeting decisions (audited, scoped)."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from posyandu.accounts.models import Membership
from posyandu.audit.models import AuditEvent
from posyandu.pokjanal import services
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput
from tests.factories import UserFactory

TODAY = timezone.localdate()


def _pokjanal(jejaring):
    user = UserFactory(username="pokjanal_kab")
    Membership.objects.create(user=user, role="pokjanal", region=jejaring.kabupaten)
    return user


def _rollout(jejaring, persona="puskesmas_admin", posyandu=None, **kwargs):
    values = {"stage": "sudah", "since": dt.date(2024, 3, 1), "note": "kick-off", **kwargs}
    return services.ilp_rollout_set(
        user=jejaring.user(persona), posyandu=posyandu or jejaring.melati, **values
    )


def _strata(jejaring, persona="puskesmas_admin", posyandu=None, **kwargs):
    values = {
        "year": TODAY.year,
        "kia": Decimal("60"),
        "kb": None,
        "extra_programmes": 2,
        "dana_sehat": Decimal("10.5"),
        "kader_on_duty": Decimal("5"),
        **kwargs,
    }
    return services.strata_input_set(
        user=jejaring.user(persona), posyandu=posyandu or jejaring.melati, **values
    )


def _decision(user, **kwargs):
    values = {
        "uuid": uuid.uuid4(),
        "meeting_date": TODAY - dt.timedelta(days=30),
        "text": "PKK menambah 3 kader di Posyandu Mawar",
        "sector": "pkk",
        "due_date": TODAY - dt.timedelta(days=2),
        **kwargs,
    }
    return services.decision_create(user=user, **values)


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def test_rollout_set_creates_then_updates_with_one_audit_event_each(jejaring):
    first = _rollout(jejaring)
    assert first.stage == "sudah"
    assert _events("ilp_rollout.create") == 1
    assert _rollout(jejaring).pk == first.pk  # same values: nothing written
    assert _events("ilp_rollout.update") == 0
    _rollout(jejaring, persona="dinkes_analyst", stage="persiapan", since=None)
    event = AuditEvent.objects.get(action="ilp_rollout.update")
    assert event.changes["stage"] == ["sudah", "persiapan"]
    assert IlpRollout.objects.get().set_by == jejaring.user("dinkes_analyst")


def test_rollout_sudah_needs_its_date(jejaring):
    with pytest.raises(ValidationError) as caught:
        _rollout(jejaring, since=None)
    assert "since" in caught.value.message_dict


def test_rollout_refuses_a_future_date_naming_it(jejaring):
    future = TODAY + dt.timedelta(days=3)
    with pytest.raises(ValidationError) as caught:
        _rollout(jejaring, since=future)
    assert future.isoformat() in caught.value.message_dict["since"][0]


@pytest.mark.parametrize("persona", ["desa_official", "kader_sari", "bidan_rina"])
def test_rollout_refused_to_roles_that_do_not_set_it(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _rollout(jejaring, persona=persona)


def test_rollout_outside_the_area_is_not_found(jejaring):
    with pytest.raises(Http404):
        _rollout(jejaring, posyandu=jejaring.kenanga)
    assert not IlpRollout.objects.exists()


def test_rollout_rolls_back_when_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _rollout(jejaring)
    assert not IlpRollout.objects.exists()


def test_strata_input_set_audited_and_idempotent(jejaring):
    row = _strata(jejaring)
    assert row.kb is None
    assert _events("strata_input.create") == 1
    _strata(jejaring)
    assert _events("strata_input.update") == 0
    _strata(jejaring, kb=Decimal("55"))
    assert AuditEvent.objects.get(action="strata_input.update").changes["kb"] == [None, "55"]
    assert StrataInput.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kia", Decimal("120")),
        ("kb", Decimal("-1")),
        ("dana_sehat", Decimal("100.5")),
        ("extra_programmes", 51),
        ("kader_on_duty", Decimal("101")),
        ("year", 2019),
    ],
)
def test_strata_input_errors_name_field_and_value(jejaring, field, value):
    with pytest.raises(ValidationError) as caught:
        _strata(jejaring, **{field: value})
    assert str(value) in caught.value.message_dict[field][0]
    assert not StrataInput.objects.exists()


def test_strata_input_scope(jejaring):
    with pytest.raises(Http404):
        _strata(jejaring, posyandu=jejaring.kenanga)
    with pytest.raises(PermissionDenied):
        _strata(jejaring, persona="desa_official")


def test_strata_input_rolls_back_when_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _strata(jejaring)
    assert not StrataInput.objects.exists()


def test_decision_create_is_idempotent_by_uuid_and_audited(jejaring):
    user = _pokjanal(jejaring)
    key = uuid.uuid4()
    first = _decision(user, uuid=key)
    again = _decision(user, uuid=key, text="another text")
    assert first.pk == again.pk
    assert first.region == jejaring.kabupaten
    assert Decision.objects.count() == 1
    assert _events("decision.create") == 1


def test_decision_create_returns_the_row_a_simultaneous_submit_inserted(jejaring, monkeypatch):
    """The other submit of the form inserts the uuid between this one's lookup and its insert:
    the insert fails on the unique uuid, and the other submit's row is the answer."""
    user = _pokjanal(jejaring)
    key = uuid.uuid4()
    first = _decision(user, uuid=key)
    real = services._decision_by_uuid
    lookups = []

    def late(uuid):  # the first lookup ran before the other submit committed
        lookups.append(uuid)
        return None if len(lookups) == 1 else real(uuid)

    monkeypatch.setattr(services, "_decision_by_uuid", late)
    again = _decision(user, uuid=key, text="the same form, sent again")
    assert again.pk == first.pk
    assert again.text == first.text
    assert lookups == [key, key]  # the insert was tried, refused, and the row read after it
    assert Decision.objects.count() == 1
    assert _events("decision.create") == 1
    # Another area's submit reusing the uuid gets nothing, on this path too.
    lookups.clear()
    with pytest.raises(Http404):
        _decision(jejaring.user("desa_official"), uuid=key)
    assert Decision.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_of_one_form_at_once_record_it_once(jejaring, monkeypatch):
    """Both submits look the uuid up before either inserts. PostgreSQL: two connections; the
    second insert waits for the first to commit, fails on the unique uuid and returns the
    first's row. SQLite has one writer at a time (and the test database one connection):
    there the two run one after the other, and must also record once."""
    user = _pokjanal(jejaring)
    key = uuid.uuid4()
    results, errors = [], []
    if connection.vendor == "postgresql":
        real = services._decision_by_uuid
        both_looked = threading.Barrier(2, timeout=10)
        seen = threading.local()

        def lookup(uuid):
            found = real(uuid)
            if not getattr(seen, "first", False):  # each submit's first lookup: wait for both
                seen.first = True
                both_looked.wait()
            return found

        monkeypatch.setattr(services, "_decision_by_uuid", lookup)

        def submit():
            try:
                results.append(_decision(user, uuid=key))
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        results = [_decision(user, uuid=key), _decision(user, uuid=key)]
    assert errors == []
    assert len(results) == 2
    assert {d.pk for d in results} == {Decision.objects.get(uuid=key).pk}
    assert _events("decision.create") == 1


def test_desa_records_decisions_for_her_desa(jejaring):
    decision = _decision(jejaring.user("desa_official"))
    assert decision.region == jejaring.desa_sukamaju


@pytest.mark.parametrize("persona", ["puskesmas_admin", "kader_sari", "outsider"])
def test_decision_refused_to_other_roles(jejaring, persona):
    with pytest.raises(PermissionDenied):
        _decision(jejaring.user(persona))


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("text", {"text": "   "}),
        ("sector", {"sector": "militer"}),
        ("due_date", {"due_date": TODAY - dt.timedelta(days=40)}),
        ("meeting_date", {"meeting_date": TODAY + dt.timedelta(days=1)}),
    ],
)
def test_decision_errors_name_the_field(jejaring, field, kwargs):
    with pytest.raises(ValidationError) as caught:
        _decision(_pokjanal(jejaring), **kwargs)
    assert field in caught.value.message_dict


def test_decision_update_audited_and_scoped(jejaring):
    decision = _decision(jejaring.user("desa_official"))
    pokjanal = _pokjanal(jejaring)
    done = services.decision_update(
        user=pokjanal,
        decision=decision,
        text=decision.text,
        sector="pmd",
        due_date=decision.due_date,
        status="done",
        follow_up="Tiga kader baru dilatih",
    )
    assert done.status == "done"
    event = AuditEvent.objects.get(action="decision.update")
    assert event.changes["sector"] == ["pkk", "pmd"]
    # A kabupaten decision is not the desa official's to change (she reads it).
    kab_decision = _decision(pokjanal)
    with pytest.raises(Http404):
        services.decision_update(
            user=jejaring.user("desa_official"),
            decision=kab_decision,
            text="x",
            sector="pkk",
            due_date=kab_decision.due_date,
            status="done",
            follow_up="",
        )


def test_decision_create_rolls_back_when_audit_fails(jejaring, monkeypatch):
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        _decision(_pokjanal(jejaring))
    assert not Decision.objects.exists()


def test_decision_update_rolls_back_when_audit_fails(jejaring, monkeypatch):
    decision = _decision(jejaring.user("desa_official"))
    monkeypatch.setattr(services, "audit_record", lambda **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.decision_update(
            user=jejaring.user("desa_official"),
            decision=decision,
            text=decision.text,
            sector=decision.sector,
            due_date=decision.due_date,
            status="done",
            follow_up="",
        )
    assert Decision.objects.get().status == "open"
