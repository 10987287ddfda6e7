"""Kader registry: who serves where, trained and assessed on which of the 25 competencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility


class Kader(Entity):
    """A kader of one posyandu (with a login when she uses the app)."""

    class Tier(models.TextChoices):
        PURWA = "purwa", _("Purwa")
        MADYA = "madya", _("Madya")
        UTAMA = "utama", _("Utama")

    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="kaders")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kader",
    )
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=20, blank=True)
    active = models.BooleanField(default=True)
    tier = models.CharField(max_length=6, choices=Tier.choices, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetencyRecord(Entity):
    """A training or an assessment of one kader on one competency (catalogue code)."""

    class Kind(models.TextChoices):
        TRAINED = "trained", _("Trained")
        ASSESSED = "assessed", _("Assessed")

    kader = models.ForeignKey(Kader, on_delete=models.PROTECT, related_name="competencies")
    competency = models.CharField(max_length=40)  # code in the competency catalogue
    kind = models.CharField(max_length=8, choices=Kind.choices)
    date = models.DateField()
    by = models.CharField(max_length=120, blank=True)  # trainer or assessor
    passed = models.BooleanField(null=True, blank=True)  # assessments only

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["kader", "competency"])]

    def __str__(self) -> str:
        return f"{self.kader} {self.competency} {self.kind}"
