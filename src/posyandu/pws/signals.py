"""Keep the rollups live: a write of a counted fact refreshes its posyandu after the commit.

Every save or delete of a Person, Pregnancy, Visit, Measurement, ImmunizationGiven,
ServiceGiven, ServiceDay or Referral marks (posyandu, first month changed) in a batch of the
current transaction; when the transaction commits, each marked posyandu is refreshed once,
from its earliest marked month up to the current month (`services.months_since`). A write
that moves a fact (another date, person or posyandu) marks the place it left too, read in
pre_save. Facts are counted for the person's posyandu (a merged duplicate's for the survivor's).

What fires no signal does not refresh: `bulk_create`, `QuerySet.update()` and `.delete()`.
Bulk loaders (the demo generator, imports) call `rollup_rebuild` when they finish; one that
writes through the services can first wrap its work in `rollups_paused()`, so it does not
refresh a posyandu after every commit.

A posyandu saved in another desa takes its rows along (they are keyed by posyandu); after the
commit the regions it left and joined are re-summed (`services.regions_after_move`).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from posyandu.referrals.models import Referral
from posyandu.regions.models import Facility
from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit

logger = logging.getLogger(__name__)

Marks = list[tuple[int, dt.date]]  # (posyandu id, earliest date changed)
# The person fields the indicators read; other edits (name, phone) change no number.
COUNTED_PERSON_FIELDS = (
    "posyandu_id",
    "sex",
    "birth_date",
    "has_buku_kia",
    "smoker",
    "merged_into_id",
)


def _person_posyandu(person_id: int | None) -> int | None:
    """Return the posyandu a person's facts count for (the survivor's, for a duplicate)."""
    if person_id is None:
        return None
    found = (
        Person.objects.filter(pk=person_id)
        .values_list("posyandu_id", "merged_into__posyandu_id")
        .first()
    )
    if found is None:
        return None
    own, survivor = found
    return survivor or own


def _fact_marks(fact: Any) -> Marks:
    posyandu = _person_posyandu(fact.person_id)
    if posyandu is None:
        return []
    marks = [(posyandu, fact.date)]
    if fact.supersedes_id is not None:
        # The corrected fact stops counting from its own date.
        old = type(fact).objects.filter(pk=fact.supersedes_id).values_list("date").first()
        if old is not None:
            marks.append((posyandu, old[0]))
    return marks


def _dated_marks(attr: str) -> Callable[[Any], Marks]:
    def marks(row: Any) -> Marks:
        posyandu = _person_posyandu(row.person_id)
        return [] if posyandu is None else [(posyandu, getattr(row, attr))]

    return marks


def _pregnancy_marks(pregnancy: Pregnancy) -> Marks:
    posyandu = _person_posyandu(pregnancy.person_id)
    days = [pregnancy.registered_on, pregnancy.delivery_date]
    return [] if posyandu is None else [(posyandu, min(d for d in days if d is not None))]


def _service_day_marks(day: ServiceDay) -> Marks:
    return [(day.posyandu_id, day.date)]


def _person_marks(person: Person) -> Marks:
    """Mark the person's posyandu from the day she is known (registration, visit, weighing)."""
    known = [timezone.localdate(person.created_at)] if person.created_at else []
    # A person saved for the first time has no visit or weighing yet.
    if person.pk is not None and not getattr(person, "_pws_new", False):
        for model in (Visit, Measurement):
            first = model.objects.filter(person_id=person.pk).order_by("date").values("date")[:1]
            known += [row["date"] for row in first]
    since = min(known, default=timezone.localdate())
    places = {person.posyandu_id}
    if person.merged_into_id is not None:
        places = {_person_posyandu(person.merged_into_id), person.posyandu_id}
    return [(p, since) for p in places if p is not None]


_MARKS: dict[type[models.Model], Callable[[Any], Marks]] = {
    Measurement: _fact_marks,
    ImmunizationGiven: _fact_marks,
    ServiceGiven: _fact_marks,
    Visit: _dated_marks("date"),
    Referral: _dated_marks("issued_on"),
    Pregnancy: _pregnancy_marks,
    ServiceDay: _service_day_marks,
    Person: _person_marks,
}


_STATE = threading.local()


@contextmanager
def rollups_paused() -> Iterator[None]:
    """Suspend the live refresh in this thread (bulk loaders, imports, the demo generator).

    The caller runs `services.rollup_rebuild` when it is done, so the rollups catch up.
    """
    depth = getattr(_STATE, "paused", 0)
    _STATE.paused = depth + 1
    try:
        yield
    finally:
        _STATE.paused = depth


def schedule(marks: Marks) -> None:
    """Refresh the marked posyandu after the current transaction commits.

    Marks gather in one pending set per connection; every write registers the flush, and the
    first flush to run after the commit refreshes each pending posyandu once (the later ones
    find nothing left). Marks left by a rolled-back transaction are dropped when the next
    transaction starts marking (no flush of theirs is waiting any more).
    """
    if not marks or paused():
        return
    connection = transaction.get_connection()
    pending: dict[int, dt.date] | None = getattr(connection, "_pws_pending", None)
    if pending is None or not _flush_waiting():
        pending = {}
        connection._pws_pending = pending  # type: ignore[attr-defined]
    for posyandu, day in marks:
        held = pending.get(posyandu)
        pending[posyandu] = day if held is None else min(held, day)
    # robust: the facts are committed already; a failed refresh is logged, not shown to the
    # kader as a failed save (the next write or `pws_rebuild` repairs the rollup).
    transaction.on_commit(_flush, robust=True)


def _flush_waiting() -> bool:
    """Return whether a flush is registered in the current transaction."""
    return any(entry[1] is _flush for entry in transaction.get_connection().run_on_commit)


def _flush() -> None:
    """Refresh every pending posyandu from its earliest marked month up to the current one."""
    from posyandu.pws.services import months_since, rollup_refresh_months

    connection = transaction.get_connection()
    pending: dict[int, dt.date] = getattr(connection, "_pws_pending", None) or {}
    connection._pws_pending = {}  # type: ignore[attr-defined]
    if not pending:
        return
    today = timezone.localdate()
    places = Facility.objects.select_related("region").in_bulk(list(pending))
    for pk, since in sorted(pending.items()):
        if pk in places:
            rollup_refresh_months(posyandu=places[pk], months=months_since(since, today))


def paused() -> bool:
    """Return whether the live refresh is suspended in this thread (`rollups_paused`)."""
    return bool(getattr(_STATE, "paused", 0))


def _before_save(sender: type[models.Model], instance: Any, raw: bool = False, **_: Any) -> None:
    instance._pws_before = []
    instance._pws_unchanged = False
    instance._pws_new = instance._state.adding
    # Paused, the marks would be dropped: skip the reads they cost (a save in a sync batch).
    if raw or paused() or instance._state.adding or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    if old is None:
        return
    if sender is Person and all(
        getattr(old, f) == getattr(instance, f) for f in COUNTED_PERSON_FIELDS
    ):
        instance._pws_unchanged = True
        return
    instance._pws_before = _MARKS[sender](old)


def _after_save(sender: type[models.Model], instance: Any, raw: bool = False, **_: Any) -> None:
    if raw or paused() or getattr(instance, "_pws_unchanged", False):
        return
    schedule([*_MARKS[sender](instance), *getattr(instance, "_pws_before", [])])


def _after_delete(sender: type[models.Model], instance: Any, **_: Any) -> None:
    if paused():
        return
    schedule(_MARKS[sender](instance))


def _before_move(sender: type[Facility], instance: Facility, raw: bool = False, **_: Any) -> None:
    """Note the desa a saved posyandu is leaving, if it moves."""
    instance._pws_left = None
    if raw or paused() or instance._state.adding or instance.kind != Facility.Kind.POSYANDU:
        return
    old = Facility.objects.filter(pk=instance.pk).values_list("region_id", "region__code").first()
    if old is not None and old[0] != instance.region_id:
        instance._pws_left = old[1]


def _after_move(sender: type[Facility], instance: Facility, raw: bool = False, **_: Any) -> None:
    """After the commit, re-sum the regions a posyandu left and joined (its rows went along)."""
    left = getattr(instance, "_pws_left", None)
    if raw or left is None or paused():
        return
    from posyandu.pws.services import regions_after_move

    transaction.on_commit(lambda: regions_after_move(posyandu=instance, left=left), robust=True)


def connect() -> None:
    """Connect the handlers to every model the indicators count (called by the app's ready),
    and to the facility, whose move to another desa changes the region sums."""
    for model in _MARKS:
        label = model._meta.label_lower
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"pws-pre-{label}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"pws-save-{label}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"pws-delete-{label}")
    pre_save.connect(_before_move, sender=Facility, dispatch_uid="pws-pre-facility")
    post_save.connect(_after_move, sender=Facility, dispatch_uid="pws-save-facility")
