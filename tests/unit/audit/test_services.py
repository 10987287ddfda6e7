"""Audit events held for a batch of writes: inserted at the end, dropped with a failed part."""

from __future__ import annotations

import pytest
from django.db import transaction

from posyandu.audit.models import AuditEvent
from posyandu.audit.services import audit_batched, audit_record
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _record(person, action: str) -> None:
    audit_record(user=None, action=action, instance=person, changes={"n": 1})


def test_held_events_are_inserted_at_the_end_in_order(jejaring):
    person = PersonFactory(posyandu=jejaring.melati)
    with transaction.atomic(), audit_batched():
        _record(person, "one")
        with audit_batched():
            _record(person, "two")
        assert not AuditEvent.objects.exists()  # held until the outer block ends
        _record(person, "three")
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "one",
        "two",
        "three",
    ]


def _failing_part(person) -> None:
    with transaction.atomic(), audit_batched():
        _record(person, "dropped")
        raise RuntimeError("this part failed")


def test_a_part_that_fails_drops_its_events_only(jejaring):
    person = PersonFactory(posyandu=jejaring.melati)
    with transaction.atomic(), audit_batched():
        _record(person, "kept")
        with pytest.raises(RuntimeError):
            _failing_part(person)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["kept"]


def test_outside_a_batch_each_event_is_inserted_at_once(jejaring):
    person = PersonFactory(posyandu=jejaring.melati)
    _record(person, "now")
    assert AuditEvent.objects.get().action == "now"
