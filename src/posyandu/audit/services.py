"""Write audit events; called inside the service's own transaction, so both commit or neither."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
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


def audit_record(
    *,
    user: AbstractBaseUser | AnonymousUser | None,
    action: str,
    instance: models.Model,
    changes: Mapping[str, Any],
) -> AuditEvent:
    """Add the audit event of one change to `instance` by `user`."""
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        entity=instance._meta.label_lower,
        entity_uuid=instance.uuid,  # type: ignore[attr-defined]
        changes={key: _plain(value) for key, value in changes.items()},
    )


def field_changes(instance: models.Model, updates: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Return {field: (old, new)} for the fields whose value `updates` would change."""
    return {
        name: (_plain(getattr(instance, name)), _plain(new))
        for name, new in updates.items()
        if getattr(instance, name) != new
    }
