"""Regions (Kemendagri codes) and facilities of the jejaring: Puskesmas → Pustu → Posyandu."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity

# The longest source of a target estimate the database keeps.
ESTIMATE_SOURCE_MAX_CHARS = 300


class Region(models.Model):
    """A province, kabupaten/kota, kecamatan or desa/kelurahan by its Kemendagri code.

    Codes are dotted 2-2-2-4 digits (62.11.05.2001); a region's code starts with its parent's.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        KABUPATEN = "kabupaten", _("District")
        KECAMATAN = "kecamatan", _("Sub-district")
        DESA = "desa", _("Village")

    code = models.CharField(max_length=13, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"),
                name="region_code_kemendagri",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Facility(Entity):
    """A Puskesmas, a Pustu or a Posyandu; `parent` is the next level up in the jejaring."""

    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Puskesmas")
        PUSTU = "pustu", _("Pustu")
        POSYANDU = "posyandu", _("Posyandu")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="facilities")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Free-text sub-unit of the desa the posyandu serves (dusun / RW / banjar).
    dusun = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="puskesmas", parent__isnull=True)
                | Q(kind__in=["pustu", "posyandu"], parent__isnull=False),
                name="facility_parent_by_kind",
            ),
        ]
        indexes = [models.Index(fields=["kind", "parent"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class TargetEstimate(Entity):
    """The estimated target population of one SPM service for one area and year.

    Entered by the dinkes for its region or by Puskesmas staff for their Puskesmas area (the
    place of their membership); the PWS divides by it instead of the registered persons.
    `service` is a code of the `spm` rule family (data/rules/spm.toml).
    """

    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    facility = models.ForeignKey(
        Facility, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    service = models.CharField(max_length=40)
    number = models.PositiveIntegerField()
    # Where the number comes from (e.g. BPS 2026).
    source = models.CharField(max_length=ESTIMATE_SOURCE_MAX_CHARS)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "service"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True, facility__isnull=False)
                | Q(region__isnull=False, facility__isnull=True),
                name="target_estimate_one_place",
            ),
            models.CheckConstraint(condition=Q(number__gt=0), name="target_estimate_positive"),
            models.UniqueConstraint(
                fields=["region", "year", "service"],
                condition=Q(facility__isnull=True),
                name="target_estimate_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["facility", "year", "service"],
                condition=Q(region__isnull=True),
                name="target_estimate_once_per_facility",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or self.facility} {self.year} {self.service}: {self.number}"
