"""The sync's pure pieces: cursors, the mapping of service errors to results, batch checks."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from posyandu.registry.errors import InvalidInputError
from posyandu.sync.selectors import BadCursor, cursor_decode, cursor_encode
from posyandu.sync.services import MAX_EVENTS, BatchError, Refused, _refusal, events_apply, plain
from posyandu.sync.values import envelope


def test_cursor_round_trip_is_opaque():
    moment = dt.datetime(2026, 12, 4, 9, 15, 1, 123456, tzinfo=dt.UTC)
    cursor = cursor_encode(moment)
    assert "2026" not in cursor
    assert cursor_decode(cursor) == moment


NAIVE = dt.datetime(2026, 1, 1)  # noqa: DTZ001 - a cursor without a time zone is refused


@pytest.mark.parametrize("bad", ["", "abc", cursor_encode(NAIVE), "djE6eA"])
def test_bad_cursors_are_refused(bad):
    with pytest.raises(BadCursor):
        cursor_decode(bad)


def test_validation_error_names_field_and_value():
    exc = ValidationError(
        {"weight_kg": ValidationError("%(value)s kg?", code="implausible", params={"value": 85})}
    )
    refused = _refusal(exc, {})
    assert (refused.field, refused.code, refused.reason) == ("weight_kg", "implausible", "85 kg?")


def test_registry_error_keeps_its_message():
    exc = InvalidInputError("nik", "length", "NIK: '%(value)s' bad", value="12")
    refused = _refusal(exc, {})
    assert (refused.field, refused.code, refused.reason) == ("nik", "length", "NIK: '12' bad")


def test_permission_denied_names_the_record():
    record = str(uuid.uuid4())
    with translation.override("en"):
        refused = _refusal(
            PermissionDenied(_("Only a health worker (bidan/perawat) may do this.")),
            {"type": "service.record", "record": record},
        )
    assert refused.code == "forbidden"
    assert record in refused.reason
    assert "health worker" in refused.reason


def test_unknown_errors_are_not_swallowed():
    with pytest.raises(KeyError):
        _refusal(KeyError("x"), {})


def test_refused_passes_through():
    refused = Refused("type", "unknown_type", "x")
    assert _refusal(refused, {}) is refused


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4())},
        {"id": "nope", "type": "x", "record": str(uuid.uuid4()), "seq": 1},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": "one"},
        # seq: a whole number that fits the 64-bit column, never cut or overflowing.
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": 10**20},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": float("inf")},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": float("nan")},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": -1},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": 2.5},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": False},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": {"n": 1}},
        # at: a date and time, or nothing.
        {
            "id": str(uuid.uuid4()),
            "type": "x",
            "record": str(uuid.uuid4()),
            "seq": 1,
            "at": "2026-02-30T10:00:00",
        },
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": 1, "at": "noon"},
        {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": 1, "at": [2026]},
    ],
)
def test_malformed_events_refuse_the_batch(raw):
    with translation.override("id"), pytest.raises(BatchError, match=r"^Event 1"):
        envelope(raw, 0)


def test_the_envelope_is_read_once_for_the_batch():
    raw = {"id": str(uuid.uuid4()), "type": "x", "record": str(uuid.uuid4()), "seq": "17"}
    checked = envelope({**raw, "at": "2026-12-04T09:15:00"}, 0)
    assert checked["seq"] == 17
    assert checked["at"] == dt.datetime(2026, 12, 4, 2, 15, tzinfo=dt.UTC)  # Jakarta's time
    assert envelope({**raw, "seq": 2**63 - 1, "at": None}, 0)["seq"] == 2**63 - 1
    assert envelope({**raw, "seq": 0, "at": ""}, 0)["at"] is None


def test_more_than_max_events_refuse_the_batch_in_indonesian():
    with translation.override("id"), pytest.raises(BatchError) as caught:
        events_apply(user=AnonymousUser(), device=uuid.uuid4(), events=[{}] * (MAX_EVENTS + 1))
    assert str(caught.value) == "Terlalu banyak event: 501 dikirim, maksimal 500 per kiriman."
    # 500 are not too many: the batch is refused for its first malformed event instead.
    with translation.override("id"), pytest.raises(BatchError) as caught:
        events_apply(user=AnonymousUser(), device=uuid.uuid4(), events=[[]] * MAX_EVENTS)
    assert str(caught.value) == "Event 1 bukan objek."


def test_plain_values_are_what_the_phone_sends():
    assert plain(dt.date(2025, 1, 2)) == "2025-01-02"
    assert plain("x") == "x"
    assert plain(None) is None
