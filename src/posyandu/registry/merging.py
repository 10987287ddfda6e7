"""Move a duplicate person's facts to the record that is kept (used by `person_merge` only).

Nothing is deleted: every row that named the duplicate is re-pointed to the kept person. Two
rows that cannot both point at her (a visit of the same service day, an attendance of the same
class) stay on the duplicate, and the facts of such a visit move to the kept person's visit.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from posyandu.audit.services import field_changes
from posyandu.outreach.models import ClassAttendance, HomeVisit
from posyandu.referrals.models import Referral
from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven, Visit

# Rows that hang off a person (and, for facts, off a visit), by the name the audit shows.
PERSON_ROWS: dict[str, type[models.Model]] = {
    "measurements": Measurement,
    "immunizations": ImmunizationGiven,
    "services": ServiceGiven,
    "referrals": Referral,
    "home_visits": HomeVisit,
    "pregnancies": Pregnancy,
}
VISIT_ROWS: tuple[type[models.Model], ...] = (
    Measurement,
    ImmunizationGiven,
    ServiceGiven,
    Referral,
)
# Demographics the kept person takes from the duplicate when her own are blank.
FILLABLE = ("nik", "household", "mother", "phone", "smoker", "has_buku_kia")


def move_facts(*, keep: Person, duplicate: Person) -> dict[str, int]:
    """Re-point every row of `duplicate` to `keep`; return how many rows moved, by kind."""
    moved = {"visits": _move_visits(keep, duplicate)}
    for name, model in PERSON_ROWS.items():
        moved[name] = model._default_manager.filter(person=duplicate).update(person=keep)
    attended = ClassAttendance.objects.filter(person=keep).values("session")
    moved["class_attendance"] = (
        ClassAttendance.objects.filter(person=duplicate)
        .exclude(session__in=attended)
        .update(person=keep)
    )
    moved["children"] = Person.objects.filter(mother=duplicate).update(mother=keep)
    moved["merged_before"] = Person.objects.filter(merged_into=duplicate).update(merged_into=keep)
    return moved


def _move_visits(keep: Person, duplicate: Person) -> int:
    """Move the duplicate's visits; on a service day both visited, move that visit's facts."""
    theirs = Visit.objects.filter(person=duplicate, service_day__isnull=False)
    clashing = {
        visit.service_day_id: visit
        for visit in Visit.objects.filter(person=keep, service_day__in=theirs.values("service_day"))
    }
    for visit in theirs.filter(service_day__in=list(clashing)):
        for model in VISIT_ROWS:
            model._default_manager.filter(visit=visit).update(visit=clashing[visit.service_day_id])
    return (
        Visit.objects.filter(person=duplicate)
        .exclude(service_day__in=list(clashing))
        .update(person=keep)
    )


def fill_blanks(*, keep: Person, duplicate: Person) -> dict[str, tuple[Any, Any]]:
    """Copy the duplicate's demographics into keep's blank fields; return {field: (old, new)}.

    A NIK moves (it is unique), so the duplicate loses it; a household moves only within the
    kept person's posyandu; everything else is copied.
    """
    updates = {
        name: getattr(duplicate, name)
        for name in FILLABLE
        if getattr(keep, name) in (None, "") and getattr(duplicate, name) not in (None, "")
    }
    if "household" in updates and updates["household"].posyandu_id != keep.posyandu_id:
        del updates["household"]
    filled = field_changes(keep, updates)
    for name, value in updates.items():
        setattr(keep, name, value)
    if "nik" in updates:
        duplicate.nik = None
    return filled
