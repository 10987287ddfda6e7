"""What the Pokjanal tracks beyond the PWS: ILP roll-out per posyandu, the yearly strata
figures the system does not hold, and the decisions of coordination meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from posyandu.common.models import Entity
from posyandu.regions.models import Facility, Region


class IlpRollout(Entity):
    """Where one posyandu stands in the roll-out of ILP (set by Puskesmas or dinkes staff)."""

    class Stage(models.TextChoices):
        BELUM = "belum", _("Not started")
        PERSIAPAN = "persiapan", _("Preparing")
        SUDAH = "sudah", _("ILP in place")

    posyandu = models.OneToOneField(Facility, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.BELUM)
    since = models.DateField(null=True, blank=True)  # the day ILP services started (sudah)
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage="sudah") | Q(since__isnull=False), name="ilp_sudah_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} {self.stage}"


class StrataInput(Entity):
    """The strata figures of one posyandu and year that the system does not record itself.

    Entered by Puskesmas or dinkes staff from the posyandu's books; an empty figure is "not
    reported". `kader_on_duty` is the mean number of kader on duty per service day from the
    posyandu's attendance list; without it the page uses what the app recorded (ADR 0010).
    """

    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    kia = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    kb = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    extra_programmes = models.PositiveSmallIntegerField(null=True, blank=True)
    dana_sehat = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    kader_on_duty = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "year"], name="strata_input_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} {self.year}"


class Sector(models.TextChoices):
    """The sectors behind posyandu that own a Pokjanal decision (DOMAIN 7.5)."""

    KESEHATAN = "kesehatan", _("Health")
    PMD = "pmd", _("Village government (PMD)")
    PKK = "pkk", _("PKK")
    PENDIDIKAN = "pendidikan", _("Education")
    AGAMA = "agama", _("Religious affairs")
    SOSIAL = "sosial", _("Social affairs")
    PERTANIAN = "pertanian", _("Agriculture")
    BAPPEDA = "bappeda", _("Planning (Bappeda)")
    KB = "kb", _("Family planning (KB)")


class Decision(Entity):
    """One decision of a Pokjanal/Pokja meeting, owned by a sector, with a due date."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("decision status", "Open")
        DONE = "done", _("Done")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    meeting_date = models.DateField()
    text = models.TextField()
    sector = models.CharField(max_length=12, choices=Sector.choices)
    due_date = models.DateField()
    status = models.CharField(max_length=4, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["region", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("meeting_date")), name="decision_due_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.meeting_date} {self.sector}"
