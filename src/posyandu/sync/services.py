"""Writes of the sync: apply a phone's events through the existing services, resolve reviews.

A batch of events is applied in one transaction and answered after its commit (docs/adr/0008):
an answered result is durable, and an interruption before the answer leaves nothing applied
(an event without a receipt was not applied; the phone sends the batch again). Within it:
- the events share what they read (`batch.Batch`: the user's scope and every row they name,
  read once), and what they write is held and written together at the end: the visits'
  rows and changes, the aliases and the receipts (`VisitBatch(defer=True)`), the audit
  events (`audit_batched`); the registry's events write at once, each in a savepoint;
- an event refused or waiting is undone (in memory, and its savepoint if it has one): the
  batch goes on past it;
- a clash with another request's rows when the batch is written (a person checked in by
  another phone meanwhile, the same batch sent twice at once) rolls the batch back, and it
  is applied again event by event, each writing at once in its savepoint, where the clash is
  answered as it always was.
The PWS rollups the events changed are refreshed once per batch, after the commit
(`Applied.refresh_rollups`; the API does it once it has answered).

No business rule lives here: the registry and visits services check and write (`handlers`
calls them); this module maps their refusals to results with a stable `code`, the `field`
and an Indonesian `reason`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_lib
from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from posyandu.accounts.scope import AnyUser, is_nakes, posyandu_for
from posyandu.audit.services import audit_batched, audit_record
from posyandu.pws.services import months_since, rollup_refresh_months
from posyandu.pws.signals import rollups_paused
from posyandu.regions.models import Facility
from posyandu.registry import services as registry
from posyandu.registry.errors import DuplicateSuspected, InvalidInputError
from posyandu.sync.batch import WRITES_AT_ONCE, Batch
from posyandu.sync.handlers import HANDLERS, Context, plain, typed_changes
from posyandu.sync.models import SyncReceipt, SyncReview
from posyandu.sync.values import (
    BatchError,
    Refused,
    Waiting,
    device_value,
    envelope,
    not_found,
    shown,
    word,
)

__all__ = [
    "MAX_EVENTS",
    "Applied",
    "BatchError",
    "Refused",
    "events_apply",
    "events_ingest",
    "plain",
    "typed_changes",
]

logger = logging.getLogger(__name__)
MAX_EVENTS = 500
FINAL = (SyncReceipt.Status.ACCEPTED, SyncReceipt.Status.REJECTED, SyncReceipt.Status.CONFLICT)


@dataclass
class Result:
    """The answer to one event (docs/adr/0008, "Upload")."""

    id: str
    status: str
    code: str = ""
    reason: str = ""
    field: str = ""
    record: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
            "field": self.field,
            "record": self.record,
        }


# --- errors → results -------------------------------------------------------------------------


def _refusal(exc: Exception, event: Mapping[str, Any]) -> Refused:
    """Return the refusal of a service's error, in words naming the field and the value."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, InvalidInputError):
        return Refused(exc.field, exc.code, exc.message)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
        else:
            field, errors = "data", exc.error_list
        error = errors[0]
        message = str(error.message)
        if error.params:
            message = message % error.params
        return Refused(field, error.code or "invalid", message)
    if isinstance(exc, PermissionDenied):
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Promise) else None
        what = str(said) if said is not None else _("This is outside your area.")
        return Refused(
            "record",
            "forbidden",
            _("%(message)s (%(type)s '%(value)s')")
            % {"message": what, "type": event.get("type"), "value": event.get("record")},
        )
    if isinstance(exc, DuplicateSuspected):
        return Refused("person", "duplicate", exc.message)
    raise exc


# --- the batch --------------------------------------------------------------------------------


def events_ingest(*, user: AnyUser, device: Any, events: Any) -> list[dict[str, Any]]:
    """Apply a phone's events in `seq` order and refresh the PWS rollups they changed; return
    one result per event, in the given order.

    Raises BatchError (nothing applied) for a device that is not a uuid, events that are not
    a list, more than MAX_EVENTS events or a malformed one.
    """
    applied = events_apply(user=user, device=device, events=events)
    applied.refresh_rollups()
    return applied.results


@dataclass
class Applied:
    """A committed batch: its results, and the PWS months its events changed."""

    results: list[dict[str, Any]]
    marks: dict[int, dt.date]  # posyandu id → earliest day changed

    def refresh_rollups(self) -> None:
        """Refresh each marked posyandu's live months, once (robust: the events are committed;
        the next write or `pws_rebuild` repairs a rollup whose refresh failed)."""
        _refresh_rollups(self.marks)


def events_apply(*, user: AnyUser, device: Any, events: Any) -> Applied:
    """Apply a phone's events in `seq` order and commit them, not refreshing the PWS rollups
    yet (the caller does, with `Applied.refresh_rollups`: the API after it has answered).

    `device` and `events` are the upload's JSON values, checked here (BatchError).
    """
    device = device_value(device)
    if not isinstance(events, list | tuple):
        raise BatchError(_("Events: '%(value)s' is not a list.") % {"value": shown(events)})
    if len(events) > MAX_EVENTS:
        raise BatchError(
            _("Too many events: %(count)s sent, at most %(max)s per batch.")
            % {"count": len(events), "max": MAX_EVENTS}
        )
    checked = [envelope(raw, i) for i, raw in enumerate(events)]
    order = sorted(range(len(checked)), key=lambda i: checked[i]["seq"])
    results: dict[int, Result] = {}
    marks: dict[int, dt.date] = {}
    # The PWS rollups are refreshed once per batch, not after every event.
    with rollups_paused():
        _apply_all(user, device, [checked[i] for i in order], order, results, marks)
    return Applied([results[i].as_dict() for i in range(len(checked))], marks)


def _apply_all(
    user: AnyUser,
    device: uuid_lib.UUID,
    events: list[dict[str, Any]],
    order: list[int],
    results: dict[int, Result],
    marks: dict[int, dt.date],
) -> None:
    """Apply the events (in seq order) in one transaction.

    First with a deferring batch: the visits' rows, the aliases and the receipts are held
    and written together at the end. If writing them meets another request's rows (a phone
    checked the same person in that day, the same batch sent twice at once), the batch is
    rolled back and applied again writing each event at once in its savepoint, where each
    such clash is answered as it always was (the existing visit, a duplicate event).
    """
    try:
        _apply_batch(user, device, events, order, results, marks, defer=True)
    except DatabaseError as exc:
        logger.info("sync batch of device %s applied event by event after: %s", device, exc)
        results.clear()
        marks.clear()
        _apply_batch(user, device, events, order, results, marks, defer=False)


def _apply_batch(
    user: AnyUser,
    device: uuid_lib.UUID,
    events: list[dict[str, Any]],
    order: list[int],
    results: dict[int, Result],
    marks: dict[int, dt.date],
    *,
    defer: bool,
) -> None:
    batch = Batch.of(user, defer=defer)
    with transaction.atomic(), audit_batched():
        ids = [str(uuid_lib.UUID(str(event["id"]))) for event in events]
        seen = {str(r.event): r for r in SyncReceipt.objects.filter(event__in=ids)}
        batch.prefetch(
            event
            for event, key in zip(events, ids, strict=True)
            if key not in seen or seen[key].status not in FINAL
        )
        for i, event, key in zip(order, events, ids, strict=True):
            first = seen.get(key)
            if first is not None and first.status in FINAL:
                results[i] = _answer(first, duplicate=True)
                continue
            results[i], seen[key] = _apply(user, device, event, first, marks, batch)
        batch.rows.flush()


def _refresh_rollups(marks: Mapping[int, dt.date]) -> None:
    if not marks:
        return
    today = timezone.localdate()
    places = Facility.objects.select_related("region").in_bulk(list(marks))
    for pk, since in sorted(marks.items()):
        try:
            rollup_refresh_months(posyandu=places[pk], months=months_since(since, today))
        except Exception:  # the next write or `pws_rebuild` repairs the rollup
            logger.exception("PWS refresh of posyandu %s after a sync batch failed", pk)


def _answer(receipt: SyncReceipt, *, duplicate: bool = False) -> Result:
    return Result(
        id=str(receipt.event),
        status="duplicate" if duplicate else receipt.status,
        code=receipt.code,
        reason=receipt.reason,
        field=receipt.field,
        record=str(receipt.result_record) if receipt.result_record else None,
    )


def _apply(
    user: AnyUser,
    device: uuid_lib.UUID,
    event: Mapping[str, Any],
    waiting: SyncReceipt | None,
    marks: dict[int, dt.date],
    batch: Batch,
) -> tuple[Result, SyncReceipt]:
    """Apply one event and keep its receipt; return its result and the receipt."""
    event_id = uuid_lib.UUID(str(event["id"]))
    record = uuid_lib.UUID(str(event["record"]))
    data = event.get("data") or {}
    receipt = waiting or SyncReceipt(event=event_id)
    receipt.device, receipt.user, receipt.type = device, user, str(event["type"])[:40]
    receipt.record, receipt.seq, receipt.at = record, event["seq"], event["at"]
    handler = HANDLERS.get(str(event["type"]))
    try:
        if handler is None:
            raise Refused(
                "type",
                "unknown_type",
                _("Event type: '%(value)s' is not known.") % {"value": event["type"]},
            )
        if not isinstance(data, dict):
            raise Refused(
                "data",
                "invalid",
                _("Event data: '%(value)s' is not an object.") % {"value": str(data)[:40]},
            )
        # A deferring batch's visit events write nothing before the flush: no savepoint.
        own = not batch.rows.defer or receipt.type in WRITES_AT_ONCE
        with _savepoint(own), audit_batched(), batch.step():
            outcome = handler(user, record, data, Context(device, event_id, batch))
            if outcome.conflicts:
                _fill(
                    receipt,
                    SyncReceipt.Status.CONFLICT,
                    "conflict",
                    _("Changed on the server meanwhile; a bidan will choose: %(fields)s.")
                    % {"fields": ", ".join(word(f) for f in outcome.conflicts)},
                    ",".join(outcome.conflicts),
                    outcome.record,
                    data,
                )
            else:
                _fill(receipt, SyncReceipt.Status.ACCEPTED, "", "", "", outcome.record, None)
            _keep(receipt, batch)
        for pk, day in outcome.marks:
            marks[pk] = min(day, marks.get(pk, day))
        return _answer(receipt), receipt
    except IntegrityError:
        # The same event was applied by another request meanwhile: answer its result.
        other = SyncReceipt.objects.filter(event=event_id).first()
        if other is None or other.status not in FINAL:
            raise
        return _answer(other, duplicate=True), other
    except Waiting as exc:
        _fill(
            receipt,
            SyncReceipt.Status.WAITING,
            "waiting",
            _("%(field)s: '%(value)s' is not on the server yet; it will be sent again.")
            % {"field": word(exc.field), "value": exc.value},
            exc.field,
            None,
            data,
        )
    except (
        Refused,
        InvalidInputError,
        ValidationError,
        PermissionDenied,
        DuplicateSuspected,
        ObjectDoesNotExist,
    ) as exc:
        if isinstance(exc, ObjectDoesNotExist):
            exc = not_found("record", record)
        refused = _refusal(exc, event)
        _fill(
            receipt,
            SyncReceipt.Status.REJECTED,
            refused.code,
            refused.reason,
            refused.field,
            None,
            None,
        )
    try:
        with _savepoint(not batch.rows.defer):
            _keep(receipt, batch)
    except IntegrityError:  # the same event arrived by another request meanwhile
        other = SyncReceipt.objects.get(event=event_id)
        return _answer(other, duplicate=True), other
    return _answer(receipt), receipt


def _savepoint(wanted: bool) -> Any:
    return transaction.atomic() if wanted else nullcontext()


# What a receipt records of its event (the rest is set when it is first made).
_RECEIPT_FIELDS = (
    *("device", "user", "type", "record", "seq", "at"),
    *("status", "code", "reason", "field", "result_record", "data"),
)


def _keep(receipt: SyncReceipt, batch: Batch) -> None:
    """Write the receipt (held until the batch's flush, deferring)."""
    if receipt.pk is not None:  # a waiting event applied again
        batch.rows.update(receipt, {name: getattr(receipt, name) for name in _RECEIPT_FIELDS})
    elif not batch.rows.holds(receipt):
        batch.rows.insert(receipt)


def _fill(
    receipt: SyncReceipt,
    status: str,
    code: str,
    reason: str,
    field: str,
    result: uuid_lib.UUID | None,
    data: Any,
) -> None:
    receipt.status, receipt.code, receipt.reason, receipt.field = status, code, reason, field[:80]
    receipt.result_record, receipt.data = result, data


# --- the bidan's review -----------------------------------------------------------------------


def _require_reviewer(user: AnyUser, review: SyncReview) -> None:
    if not is_nakes(user) or not posyandu_for(user).filter(pk=review.posyandu_id).exists():
        raise PermissionDenied("only a health worker of this posyandu may resolve this")


def conflict_resolve(*, user: AnyUser, review: SyncReview, keep: str) -> SyncReview:
    """Resolve a conflicting edit: keep the server's value or take the phone's (through
    person_update); resolving again changes nothing."""
    if keep not in (SyncReview.Resolution.SERVER, SyncReview.Resolution.PHONE):
        raise Refused(
            "keep", "invalid", _("Choice: '%(value)s' is not server or phone.") % {"value": keep}
        )
    with transaction.atomic():
        review = SyncReview.objects.select_for_update().get(pk=review.pk)
        _require_reviewer(user, review)
        if review.kind != SyncReview.Kind.CONFLICT:
            raise Refused("review", "kind", _("This item is not a conflicting edit."))
        if review.resolved_at is not None:
            return review
        chosen = review.server_value if keep == SyncReview.Resolution.SERVER else review.phone_value
        if keep == SyncReview.Resolution.PHONE:
            _take_phone_value(user, review)
        review.resolution, review.resolved_value = keep, chosen
        review.resolved_by, review.resolved_at = user, timezone.now()
        review.save(
            update_fields=[
                "resolution",
                "resolved_value",
                "resolved_by",
                "resolved_at",
                "updated_at",
            ]
        )
        audit_record(
            user=user,
            action="sync.conflict_resolve",
            instance=review,
            changes={"field": review.field, "keep": keep, "value": chosen},
        )
    return review


def _take_phone_value(user: AnyUser, review: SyncReview) -> None:
    """Apply the phone's value of a conflict; Refused (in words) when it cannot be taken (now
    invalid, or naming a record not on the server), for the bidan to keep the server's."""
    try:
        typed = typed_changes(user, {review.field: review.phone_value})
        registry.person_update(user=user, person=review.person, **typed)
    except Waiting as exc:
        raise Refused(
            exc.field,
            "waiting",
            _("%(field)s: '%(value)s' is not on the server; the phone's value cannot be taken.")
            % {"field": word(exc.field), "value": exc.value},
        ) from None
    except (InvalidInputError, ValidationError) as exc:
        raise _refusal(exc, {}) from None


def duplicate_dismiss(*, user: AnyUser, review: SyncReview) -> SyncReview:
    """Close a possible-duplicate item the bidan found to be two persons (or merged)."""
    with transaction.atomic():
        review = SyncReview.objects.select_for_update().get(pk=review.pk)
        _require_reviewer(user, review)
        if review.resolved_at is not None:
            return review
        review.resolution = SyncReview.Resolution.DISMISSED
        review.resolved_by, review.resolved_at = user, timezone.now()
        review.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
        audit_record(
            user=user, action="sync.duplicate_dismiss", instance=review, changes={"dismissed": True}
        )
    return review
