"""The audit trail: who changed what, when. Every service write adds one event."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change made through a service; never updated or deleted by the application."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=60)  # e.g. "person.create", "referral.answer"
    entity = models.CharField(max_length=60)  # model label, e.g. "registry.person"
    entity_uuid = models.UUIDField(db_index=True)
    changes = models.JSONField(default=dict)  # {field: [old, new]} or the created values

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.entity_uuid}"
