"""Who a user is in the jejaring: a role at a facility (or over a region)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyandu.regions.models import Facility, Region


class Role(models.TextChoices):
    KADER = "kader", _("Kader")
    BIDAN = "bidan", _("Midwife")
    PERAWAT = "perawat", _("Nurse")
    PUSKESMAS = "puskesmas", _("Puskesmas staff")
    DINKES = "dinkes", _("District health office")
    DESA = "desa", _("Village official")
    POKJANAL = "pokjanal", _("Pokjanal")


# Roles that work at a facility and see the persons of its posyandu; the others see a region.
FACILITY_ROLES = {
    Role.KADER: Facility.Kind.POSYANDU,
    Role.BIDAN: Facility.Kind.PUSTU,
    Role.PERAWAT: Facility.Kind.PUSTU,
    Role.PUSKESMAS: Facility.Kind.PUSKESMAS,
}
# Roles that see aggregates only, never a person's name or record.
AGGREGATE_ONLY_ROLES = frozenset({Role.DESA, Role.POKJANAL})
NAKES_ROLES = frozenset({Role.BIDAN, Role.PERAWAT, Role.PUSKESMAS})
# Roles that serve residents in person: kader and nakes (home visits, referrals, offline app).
WORKER_ROLES = frozenset({Role.KADER, *NAKES_ROLES})
# Roles that coordinate posyandu and open the Pokjanal page (roll-out, strata, decisions).
POKJANAL_PAGE_ROLES = frozenset({Role.POKJANAL, Role.DINKES, Role.PUSKESMAS, Role.DESA})


class Membership(models.Model):
    """A user's one place in the jejaring: a facility for kader and nakes, a region otherwise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["kader", "bidan", "perawat", "puskesmas"], facility__isnull=False)
                    | Q(role__in=["dinkes", "desa", "pokjanal"], region__isnull=False)
                ),
                name="membership_place_by_role",
            ),
        ]

    def __str__(self) -> str:
        place = self.facility or self.region
        return f"{self.user} — {self.get_role_display()} — {place}"
