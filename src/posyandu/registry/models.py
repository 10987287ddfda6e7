"""Households, persons and pregnancies: one person, one record, across the whole life cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility


class Household(Entity):
    """A household (keluarga), optionally with its family card number (No. KK)."""

    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="households")
    no_kk = models.CharField(max_length=16, blank=True)
    head_name = models.CharField(max_length=120)
    address = models.CharField(max_length=200, blank=True)
    dusun = models.CharField(max_length=80, blank=True)  # dusun / RW / RT, free text

    class Meta:
        ordering = ["head_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["no_kk"], condition=~Q(no_kk=""), name="household_no_kk_unique"
            ),
            models.CheckConstraint(
                condition=Q(no_kk="") | Q(no_kk__regex=r"^[0-9]{16}$"),
                name="household_no_kk_16_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.head_name


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(Entity):
    """Anyone the posyandu serves. NIK is optional, validated and unique when present.

    A merged duplicate keeps its row (and every fact) and points to the person it was merged
    into; lists show only persons with `merged_into` empty.
    """

    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="persons")
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(max_length=120)
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_date = models.DateField()
    nik = models.CharField(max_length=16, null=True, blank=True, unique=True)
    mother = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    phone = models.CharField(max_length=20, blank=True)
    smoker = models.BooleanField(null=True, blank=True)
    has_buku_kia = models.BooleanField(null=True, blank=True)  # the K of SKDN
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["posyandu", "birth_date"]),
            models.Index(fields=["name", "birth_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"),
                name="person_nik_16_digits",
            ),
            models.CheckConstraint(condition=Q(sex__in=["M", "F"]), name="person_sex_m_f"),
        ]

    def __str__(self) -> str:
        return self.name


class Pregnancy(Entity):
    """One pregnancy episode of a woman, from registration to delivery (or its end)."""

    class Outcome(models.TextChoices):
        LIVE_BIRTH = "live_birth", _("Live birth")
        STILLBIRTH = "stillbirth", _("Stillbirth")
        MISCARRIAGE = "miscarriage", _("Miscarriage")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pregnancies")
    registered_on = models.DateField()
    last_menstrual_period = models.DateField(null=True, blank=True)  # HPHT
    gravida = models.PositiveSmallIntegerField(null=True, blank=True)  # hamil ke-
    delivery_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    delivery_place = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-registered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivery_date__isnull=True)
                | Q(delivery_date__gte=models.F("registered_on"))
                | Q(outcome="miscarriage"),
                name="pregnancy_delivery_after_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.registered_on}"
