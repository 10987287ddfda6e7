"""The posyandu day and what happens in it: service days, visits through the five steps, and
the append-only facts recorded there (measurements, immunisations, services given).

Facts are never edited: a correction is a new fact that `supersedes` the old one, so offline
devices can sync without conflicts and every change stays visible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility
from posyandu.registry.models import Person


class ServiceDay(Entity):
    """A posyandu opening day (hari buka), for all life-cycle groups or some."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        VALIDATED = "validated", _("Checked by kader")
        CONFIRMED = "confirmed", _("Confirmed by health worker")

    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="service_days")
    date = models.DateField()
    # Stage codes served this day (ASSESS stages); empty means every group.
    groups = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "date"], name="service_day_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} {self.date}"


class Visit(Entity):
    """One person's passage through the five steps, at the posyandu or at home.

    Each step's time is recorded when the step is done (registration, measuring, recording,
    services, counselling).
    """

    class Place(models.TextChoices):
        POSYANDU = "posyandu", _("Posyandu")
        HOME = "home", _("Home visit")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    service_day = models.ForeignKey(
        ServiceDay, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    place = models.CharField(max_length=10, choices=Place.choices, default=Place.POSYANDU)
    registered_at = models.DateTimeField(null=True, blank=True)
    measured_at = models.DateTimeField(null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    counselled_at = models.DateTimeField(null=True, blank=True)
    counselling_topics = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["posyandu", "date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service_day", "person"],
                condition=Q(service_day__isnull=False),
                name="visit_once_per_service_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date}"


class Fact(Entity):
    """An append-only clinical fact about a person; corrections supersede, never overwrite."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")  # overridden
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        abstract = True


class Measurement(Fact):
    """What was measured on one day (ASSESS measurement record); a value not taken is null."""

    class Method(models.TextChoices):
        LYING = "l", _("lying (length)")
        STANDING = "h", _("standing (height)")

    class GlucoseKind(models.TextChoices):
        RANDOM = "random", _("random")
        FASTING = "fasting", _("fasting")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="measurements")
    weight_kg = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    lenhei_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    measure = models.CharField(max_length=1, choices=Method.choices, blank=True)
    headc_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    muac_cm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    oedema = models.BooleanField(null=True, blank=True)
    waist_cm = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    sbp_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    dbp_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    glucose_mg_dl = models.PositiveSmallIntegerField(null=True, blank=True)
    glucose_kind = models.CharField(max_length=7, choices=GlucoseKind.choices, blank=True)
    hb_g_dl = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gt=0),
                name="measurement_weight_positive",
            ),
            models.CheckConstraint(
                condition=Q(sbp_mmhg__isnull=True)
                | Q(dbp_mmhg__isnull=True)
                | Q(dbp_mmhg__lt=models.F("sbp_mmhg")),
                name="measurement_dbp_below_sbp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date}"


class ImmunizationGiven(Fact):
    """One vaccine dose given (vaccine codes of the immunisation schedule)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="immunizations")
    vaccine = models.CharField(max_length=20)
    batch = models.CharField(max_length=40, blank=True)
    given_at = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["date", "vaccine"]
        indexes = [models.Index(fields=["person", "vaccine"])]

    def __str__(self) -> str:
        return f"{self.person} {self.vaccine} {self.date}"


class ServiceGiven(Fact):
    """A service given at step 4 (vitamin A, TTD, PMT, ORS, ...), by service-package code."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="services")
    code = models.CharField(max_length=40)
    quantity = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "code"]
        indexes = [models.Index(fields=["person", "code"])]

    def __str__(self) -> str:
        return f"{self.person} {self.code} {self.date}"
