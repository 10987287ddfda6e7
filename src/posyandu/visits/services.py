"""Writes of the posyandu day: schedule and open it, take each visitor through the five steps,
close it (kader check, nakes confirmation).

Every service is keyword-only, runs in one transaction, is keyed by the client's uuid (the same
uuid twice returns the first record and writes nothing; state changes done twice change
nothing), refuses what the user's place in the jejaring does not allow (PermissionDenied) and
adds its audit event. Clinical facts are append-only; a correction supersedes.

The steps a phone syncs (check-in, measuring, services, counselling) also take the user's
`VisitBatch` (`within=`): the same checks and writes, in the caller's transaction, with the
scope and the rows the batch already read (and, deferring, its writes held until its end).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.scope import AnyUser
from posyandu.audit.services import audit_record, field_changes
from posyandu.common.batch import atomic, remembered, stored
from posyandu.regions.models import Facility
from posyandu.registry.models import Person
from posyandu.visits import checks
from posyandu.visits.access import (
    require_immunization_recorder,
    require_nakes,
    require_person_in_scope,
    require_works_at,
)
from posyandu.visits.batch import VisitBatch, insert, save_fields
from posyandu.visits.models import (
    ImmunizationGiven,
    Measurement,
    ServiceDay,
    ServiceGiven,
    Visit,
)
from posyandu.visits.plausibility import FIELDS
from posyandu.visits.topics import topics_in_force


def _stamp(visit: Visit, field: str, within: VisitBatch | None = None) -> None:
    """Record the time a step was first done (a later repeat keeps the first time)."""
    if getattr(visit, field) is None:
        save_fields(visit, {field: timezone.now()}, within)


def _place_of(fact: Measurement | ImmunizationGiven | ServiceGiven) -> Facility:
    """Return the posyandu where a fact was recorded (the person's, for one without a visit)."""
    return fact.visit.posyandu if fact.visit is not None else fact.person.posyandu


FactT = TypeVar("FactT", Measurement, ServiceGiven)


def _recorded_before(
    model: type[FactT], uuid: uuid_lib.UUID, user: AnyUser, within: VisitBatch | None
) -> FactT | None:
    """Return the fact `uuid` when it is already recorded (a replay), if the user works there."""
    existing = stored(model, uuid, within)
    if existing is not None:
        require_works_at(user, _place_of(existing), within)
    return existing


# --- the day ------------------------------------------------------------------------------


@transaction.atomic
def service_day_schedule(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    posyandu: Facility,
    date: dt.date,
    groups: Iterable[str],
) -> ServiceDay:
    """Schedule a posyandu day (one per posyandu per date) for some groups, or all (empty)."""
    existing = ServiceDay.objects.filter(uuid=uuid).first()
    if existing is not None:
        require_works_at(user, existing.posyandu)
        return existing
    require_works_at(user, posyandu)
    chosen = checks.clean_groups(groups, date)
    if ServiceDay.objects.filter(posyandu=posyandu, date=date).exists():
        raise checks.error(
            "date",
            _("%(posyandu)s already has a day on %(date)s."),
            "duplicate",
            posyandu=posyandu.name,
            date=checks.day_text(date),
        )
    day = ServiceDay.objects.create(uuid=uuid, posyandu=posyandu, date=date, groups=chosen)
    audit_record(
        user=user,
        action="service_day.schedule",
        instance=day,
        changes={"posyandu": posyandu, "date": date, "groups": chosen},
    )
    return day


def _open(user: AnyUser, day: ServiceDay, within: VisitBatch | None = None) -> None:
    checks.require_future_day_not_opened(day, timezone.localdate())
    changes = field_changes(day, {"status": ServiceDay.Status.OPEN})
    save_fields(day, {"status": ServiceDay.Status.OPEN}, within)
    audit_record(user=user, action="service_day.open", instance=day, changes=changes)


@transaction.atomic
def service_day_open(*, user: AnyUser, service_day: ServiceDay) -> ServiceDay:
    """Open a planned day on or after its date; an open or closed day is left as it is."""
    require_works_at(user, service_day.posyandu)
    if service_day.status == ServiceDay.Status.PLANNED:
        _open(user, service_day)
    return service_day


@transaction.atomic
def service_day_validate(*, user: AnyUser, service_day: ServiceDay) -> ServiceDay:
    """Record the kader's check of the day: every visitor was measured or marked as recorded."""
    require_works_at(user, service_day.posyandu)
    if service_day.status in (ServiceDay.Status.VALIDATED, ServiceDay.Status.CONFIRMED):
        return service_day
    pending = service_day.visits.filter(measured_at__isnull=True, recorded_at__isnull=True)
    names = sorted(pending.values_list("person__name", flat=True))
    if names:
        raise checks.error(
            "service_day",
            _("Not yet measured or marked as recorded: %(names)s."),
            "pending",
            names=", ".join(names),
        )
    updates = {
        "status": ServiceDay.Status.VALIDATED,
        "validated_by": user,
        "validated_at": timezone.now(),
    }
    return _update_day(user, service_day, updates, "service_day.validate")


@transaction.atomic
def service_day_confirm(*, user: AnyUser, service_day: ServiceDay) -> ServiceDay:
    """Record the nakes' confirmation of a day the kader checked; it closes the day."""
    require_nakes(user, service_day.posyandu)
    if service_day.status == ServiceDay.Status.CONFIRMED:
        return service_day
    if service_day.status != ServiceDay.Status.VALIDATED:
        raise checks.error("service_day", _("The kader must check the day first."), "not_validated")
    updates = {
        "status": ServiceDay.Status.CONFIRMED,
        "confirmed_by": user,
        "confirmed_at": timezone.now(),
    }
    return _update_day(user, service_day, updates, "service_day.confirm")


def _update_day(
    user: AnyUser, day: ServiceDay, updates: Mapping[str, Any], action: str
) -> ServiceDay:
    changes = field_changes(day, updates)
    for name, value in updates.items():
        setattr(day, name, value)
    day.save(update_fields=[*updates, "updated_at"])
    audit_record(user=user, action=action, instance=day, changes=changes)
    return day


# --- step 1: registration -----------------------------------------------------------------


def visit_register(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    service_day: ServiceDay,
    person: Person,
    within: VisitBatch | None = None,
) -> Visit:
    """Check a person in (step 1); a second check-in of the same person returns the first."""
    with atomic(within):
        existing = stored(Visit, uuid, within)
        if existing is not None:
            require_works_at(user, existing.posyandu, within)
            return existing
        require_works_at(user, service_day.posyandu, within)
        require_person_in_scope(user, person, within)
        checks.require_registrable(service_day, person)
        if within is not None:
            already = within.visit_on(service_day, person)
        else:
            already = Visit.objects.filter(service_day=service_day, person=person).first()
        if already is not None:
            return already
        if service_day.status == ServiceDay.Status.PLANNED:
            _open(user, service_day, within)
        return _visit_insert(user, uuid, service_day, person, within)


def _visit_insert(
    user: AnyUser,
    uuid: uuid_lib.UUID,
    service_day: ServiceDay,
    person: Person,
    within: VisitBatch | None,
) -> Visit:
    """Insert the visit and its audit event (a check-in made meanwhile is returned instead;
    a deferring batch finds it when it writes, and is then applied again, not deferring)."""
    visit = Visit(
        uuid=uuid,
        person=person,
        service_day=service_day,
        posyandu=service_day.posyandu,
        date=service_day.date,
        registered_at=timezone.now(),
        created_by=user if user.is_authenticated else None,
    )
    if within is not None and within.defer:
        within.insert(visit)
    else:
        try:
            with transaction.atomic():
                visit.save(force_insert=True)
        except IntegrityError:
            # Another phone checked the same person in a moment ago: that visit is this one.
            visit = Visit.objects.get(service_day=service_day, person=person)
            return remembered(visit, within)
        remembered(visit, within)
    audit_record(
        user=user,
        action="visit.register",
        instance=visit,
        changes={"person": person, "service_day": service_day, "date": visit.date},
    )
    return visit


# --- step 2: weighing and measuring -------------------------------------------------------


def measurement_record(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    visit: Visit,
    values: Mapping[str, Any],
    within: VisitBatch | None = None,
) -> Measurement:
    """Record what was measured at a visit (step 2); refuse implausible values by name."""
    with atomic(within):
        existing = _recorded_before(Measurement, uuid, user, within)
        if existing is not None:
            return existing
        require_works_at(user, visit.posyandu, within)
        checks.require_not_closed(visit.service_day)
        clean = checks.measured_values(values, visit.person, visit.date)
        row = Measurement(
            uuid=uuid,
            person=visit.person,
            visit=visit,
            date=visit.date,
            recorded_by=user if user.is_authenticated else None,
            **clean,
        )
        insert(row, within)
        _stamp(visit, "measured_at", within)
        audit_record(
            user=user, action="measurement.record", instance=row, changes={"visit": visit, **clean}
        )
    return row


@transaction.atomic
def measurement_correct(
    *, user: AnyUser, uuid: uuid_lib.UUID, original: Measurement, values: Mapping[str, Any]
) -> Measurement:
    """Correct a measurement with a new row that supersedes it (values not given are kept;
    a value given as None is removed)."""
    existing = Measurement.objects.filter(uuid=uuid).first()
    if existing is not None:
        require_works_at(user, _place_of(existing))
        return existing
    require_works_at(user, _place_of(original))
    if Measurement.objects.filter(supersedes=original).exists():
        raise checks.error(
            "original",
            _("This measurement was already corrected; correct the newest one."),
            "superseded",
        )
    kept = {name: getattr(original, name) for name in FIELDS}
    merged = {**{k: v for k, v in kept.items() if v not in (None, "")}, **values}
    clean = checks.measured_values(merged, original.person, original.date)
    row = Measurement.objects.create(
        uuid=uuid,
        person=original.person,
        visit=original.visit,
        date=original.date,
        recorded_by=user if user.is_authenticated else None,
        supersedes=original,
        **clean,
    )
    changed = {
        name: [_plain(kept[name]), _plain(clean.get(name))]
        for name in FIELDS
        if _plain(kept[name]) != _plain(clean.get(name))
    }
    audit_record(
        user=user,
        action="measurement.correct",
        instance=row,
        changes={"supersedes": original, **changed},
    )
    return row


def _plain(value: Any) -> Any:
    """Return a stored value as JSON text for the audit ('' and None are both 'not taken')."""
    return None if value in (None, "") else str(value)


# --- step 3: recording --------------------------------------------------------------------


@transaction.atomic
def visit_mark_recorded(*, user: AnyUser, visit: Visit) -> Visit:
    """Record that the results were written in the Buku KIA / KMS (step 3)."""
    require_works_at(user, visit.posyandu)
    checks.require_not_closed(visit.service_day)
    if visit.recorded_at is None:
        _stamp(visit, "recorded_at")
        audit_record(
            user=user,
            action="visit.mark_recorded",
            instance=visit,
            changes={"recorded_at": visit.recorded_at},
        )
    return visit


# --- step 4: health services --------------------------------------------------------------


def immunization_record(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    visit: Visit,
    vaccine: str,
    batch: str = "",
    within: VisitBatch | None = None,
) -> ImmunizationGiven:
    """Record a vaccine dose given at a visit (a code of the schedule in force).

    The nakes gives it; she or, at a posyandu day, the kader records it (access rules).
    `batch` is the vaccine's lot number.
    """
    with atomic(within):
        existing = stored(ImmunizationGiven, uuid, within)
        if existing is not None:
            require_immunization_recorder(user, existing.visit or visit, within)
            return existing
        require_immunization_recorder(user, visit, within)
        checks.require_not_closed(visit.service_day)
        checks.require_vaccine_due(visit, vaccine, within)
        dose = ImmunizationGiven(
            uuid=uuid,
            person=visit.person,
            visit=visit,
            date=visit.date,
            recorded_by=user,
            vaccine=vaccine,
            batch=batch.strip(),
            given_at=visit.posyandu,
        )
        insert(dose, within)
        _stamp(visit, "served_at", within)
        audit_record(
            user=user,
            action="immunization.record",
            instance=dose,
            changes={"visit": visit, "vaccine": vaccine, "batch": dose.batch},
        )
    return dose


def service_record(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    visit: Visit,
    code: str,
    quantity: int | None = None,
    note: str = "",
    within: VisitBatch | None = None,
) -> ServiceGiven:
    """Record a service given at a visit (step 4), by its service-package code."""
    with atomic(within):
        existing = _recorded_before(ServiceGiven, uuid, user, within)
        if existing is not None:
            return existing
        require_works_at(user, visit.posyandu, within)
        checks.require_not_closed(visit.service_day)
        rule = checks.service_rule(code, visit.date)
        if rule.by == "nakes":
            require_nakes(user, visit.posyandu, within)
        checks.require_quantity(quantity)
        given = ServiceGiven(
            uuid=uuid,
            person=visit.person,
            visit=visit,
            date=visit.date,
            recorded_by=user,
            code=code,
            quantity=quantity,
            note=note.strip()[:200],
        )
        insert(given, within)
        _stamp(visit, "served_at", within)
        audit_record(
            user=user,
            action="service.record",
            instance=given,
            changes={"visit": visit, "code": code, "quantity": quantity, "note": given.note},
        )
    return given


# --- step 5: counselling ------------------------------------------------------------------


def counselling_record(
    *, user: AnyUser, visit: Visit, topics: Iterable[str], within: VisitBatch | None = None
) -> Visit:
    """Record the counselling topics of a visit (step 5); the same topics again change nothing."""
    with atomic(within):
        require_works_at(user, visit.posyandu, within)
        checks.require_not_closed(visit.service_day)
        chosen = sorted(set(topics))
        if not chosen:
            raise checks.error("topics", _("Choose at least one topic."), "empty")
        unknown = [code for code in chosen if code not in topics_in_force(visit.date).codes()]
        if unknown:
            raise checks.error(
                "topics", _("Unknown topic: %(codes)s."), "unknown", codes=", ".join(unknown)
            )
        if visit.counselled_at is not None and visit.counselling_topics == chosen:
            return visit
        changes = field_changes(visit, {"counselling_topics": chosen})
        values: dict[str, Any] = {"counselling_topics": chosen}
        if visit.counselled_at is None:  # the step's time is the first counselling's
            values["counselled_at"] = timezone.now()
        save_fields(visit, values, within)
        audit_record(user=user, action="visit.counsel", instance=visit, changes=changes)
    return visit
