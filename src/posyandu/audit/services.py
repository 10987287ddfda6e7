"""Write audit events; called inside the service's own transaction, so both commit or neither.

A run of many writes (a sync batch) may hold its audit events in memory with `audit_batched()`
and insert them with one statement at the end of the block, still inside its transaction.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

from posyandu.audit.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if isinstance(value, dt.date | dt.datetime | uuid.UUID | Decimal):
        return str(value)
    return value


_HELD = threading.local()


def audit_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
) -> AuditEvent:
    """Add the audit event of one change to `instance` by `user` (held, in `audit_batched`)."""
    event = AuditEvent(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        entity=instance._meta.label_lower,
        entity_uuid=instance.uuid,  # type: ignore[attr-defined]
        changes={key: _plain(value) for key, value in changes.items()},
    )
    held: list[AuditEvent] | None = getattr(_HELD, "events", None)
    if held is None:
        event.save(force_insert=True)
    else:
        held.append(event)
    return event


@contextmanager
def audit_batched() -> Iterator[None]:
    """Hold the audit events recorded in this thread inside the block; insert them at its end.

    Like a savepoint: a block that raises drops its events (its writes roll back too); a block
    nested in another hands its events to the outer one, and the outermost inserts them all
    with one `bulk_create`. Use it inside the transaction of the writes it audits, so the
    events still commit with them or not at all.
    """
    outer: list[AuditEvent] | None = getattr(_HELD, "events", None)
    events: list[AuditEvent] = []
    _HELD.events = events
    try:
        yield
    finally:
        _HELD.events = outer
    if outer is not None:
        outer.extend(events)
    elif events:
        # `at` is set as each row is inserted: the time the batch commits its changes.
        AuditEvent.objects.bulk_create(events)


def field_changes(instance: models.Model, updates: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Return {field: (old, new)} for the fields whose value `updates` would change."""
    return {
        name: (_plain(getattr(instance, name)), _plain(new))
        for name, new in updates.items()
        if getattr(instance, name) != new
    }
