"""Home visits (kunjungan rumah) and classes (kelas ibu hamil, kelas ibu balita)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyandu.common.models import Entity
from posyandu.regions.models import Facility
from posyandu.registry.models import Person
from posyandu.visits.models import Visit


class HomeVisit(Entity):
    """A kader's visit to a person at home, with why it was due and what she found."""

    class Outcome(models.TextChoices):
        MET = "met", _("Met and served")
        NOT_HOME = "not_home", _("Not at home")
        MOVED = "moved", _("Moved away")
        REFERRED = "referred", _("Referred")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="home_visits")
    kader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField()
    reasons = models.JSONField(default=list)  # worklist reason codes
    findings = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    # Measurements taken at home hang off a Visit with place=home.
    visit = models.OneToOneField(Visit, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.visited_on}"


class ClassSession(Entity):
    """One session of a kelas ibu hamil or kelas ibu balita."""

    class Kind(models.TextChoices):
        IBU_HAMIL = "ibu_hamil", _("Pregnant women's class")
        IBU_BALITA = "ibu_balita", _("Mothers of under-fives class")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    posyandu = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="classes")
    date = models.DateField()
    topic = models.CharField(max_length=200)
    facilitator = models.CharField(max_length=120)
    attendees = models.ManyToManyField(Person, through="ClassAttendance", related_name="classes")

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class ClassAttendance(models.Model):
    session = models.ForeignKey(ClassSession, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}"
