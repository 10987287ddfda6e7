"""What the server remembers of the offline app's uploads (docs/adr/0008).

`SyncReceipt`: every event id with its result (replays answer the first result; a `waiting`
event keeps its data until it can be applied). `RecordAlias`: a phone's uuid that names a record
the server knows by another uuid (two phones checked the same person in on the same day).
`SyncReview`: what a bidan must look at: a demographic edit that clashed (`conflict`) or a
person registered offline who may already be registered (`duplicate`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility
from posyandu.registry.models import Person


class SyncReceipt(Entity):
    """One event received from a phone, with the result the server gave it."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WAITING = "waiting", _("Waiting")
        CONFLICT = "conflict", _("Conflict")

    event = models.UUIDField(unique=True)
    device = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    record = models.UUIDField()
    seq = models.BigIntegerField()
    at = models.DateTimeField(null=True, blank=True)  # the phone's time of the event
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    code = models.CharField(max_length=40, blank=True)
    reason = models.TextField(blank=True)
    field = models.CharField(max_length=80, blank=True)
    result_record = models.UUIDField(null=True, blank=True)
    data = models.JSONField(null=True, blank=True)  # kept for waiting and conflict events

    class Meta:
        indexes = [models.Index(fields=["device", "seq"])]

    def __str__(self) -> str:
        return f"{self.type} {self.event} {self.status}"


class RecordAlias(Entity):
    """A phone's uuid (`uuid`) for a record the server keeps under `target`."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    target = models.UUIDField()

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid} -> {self.target}"


class SyncReview(Entity):
    """A clash a bidan resolves: a demographic field edited on two sides, or a possible
    duplicate registered offline."""

    class Kind(models.TextChoices):
        CONFLICT = "conflict", _("Conflicting edit")
        DUPLICATE = "duplicate", _("Possible duplicate")

    class Resolution(models.TextChoices):
        SERVER = "server", _("Kept the value on the server")
        PHONE = "phone", _("Took the value from the phone")
        DISMISSED = "dismissed", _("Not a duplicate")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sync_reviews")
    candidates = models.ManyToManyField(Person, blank=True, related_name="+")
    # Conflict: the field and its three values, as the phone sent them (JSON-plain).
    field = models.CharField(max_length=40, blank=True)
    base_value = models.JSONField(null=True, blank=True)
    server_value = models.JSONField(null=True, blank=True)
    phone_value = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    device = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    event = models.UUIDField()
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolved_value = models.JSONField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["posyandu", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.person} {self.field}"
