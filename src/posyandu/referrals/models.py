"""Referrals (rujukan) from the posyandu to the Pustu/Puskesmas, and their feedback loop."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility
from posyandu.registry.models import Person
from posyandu.visits.models import Visit


class Referral(Entity):
    """A referral: issued → received → handled → feedback sent → closed.

    `reasons` are the finding codes of `assess` that triggered it (or that the nakes chose).
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RECEIVED = "received", _("Received")
        HANDLED = "handled", _("Handled")
        FEEDBACK_SENT = "feedback_sent", _("Feedback sent")
        CLOSED = "closed", _("Closed")

    class Urgency(models.TextChoices):
        ROUTINE = "routine", _("Routine")
        URGENT = "urgent", _("Urgent")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT)
    from_facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    to_facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="referrals_received"
    )
    reasons = models.JSONField(default=list)
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.ISSUED)
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    feedback_at = models.DateTimeField(null=True, blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["to_facility", "status"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.to_facility} ({self.status})"
