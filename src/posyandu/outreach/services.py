"""Write home visits and classes: one transaction each, idempotent by uuid, audited."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import WORKER_ROLES
from posyandu.accounts.scope import AnyUser, membership_of, posyandu_for
from posyandu.audit.services import audit_record
from posyandu.outreach import worklist
from posyandu.outreach.models import ClassAttendance, ClassSession, HomeVisit
from posyandu.regions.models import Facility
from posyandu.registry.models import Person
from posyandu.visits.models import Visit
from posyandu.visits.services import measurement_record
from posyandu.web.labels import FINDINGS

_WORKERS = WORKER_ROLES
# The home visit's Visit and Measurement get uuids derived from the home visit's, so a replay
# of the same home visit finds them again instead of writing twins.
_VISIT_NAME, _MEASUREMENT_NAME = "home-visit.visit", "home-visit.measurement"


def _error(field: str, message: object, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def _require_worker(user: AnyUser, posyandu: Facility) -> None:
    """Refuse unless `user` is a kader or nakes whose posyandu include `posyandu`."""
    membership = membership_of(user)
    if membership is None or membership.role not in _WORKERS:
        raise PermissionDenied("only kader and health workers record outreach")
    if not posyandu_for(user).filter(pk=posyandu.pk).exists():
        raise PermissionDenied("this posyandu is not in the user's area")


def _check_reasons(reasons: Iterable[str]) -> list[str]:
    codes = worklist.by_priority(str(code) for code in reasons)
    if not codes:
        raise _error("reasons", _("Choose why the visit was made."), "required")
    unknown = [code for code in codes if code not in worklist.RECORDABLE and code not in FINDINGS]
    if unknown:
        raise _error(
            "reasons",
            _("Reason: '%(value)s' is not a known reason."),
            "unknown",
            value=", ".join(unknown),
        )
    return codes


def _checked_visit(
    person: Person, visited_on: dt.date, reasons: Iterable[str], outcome: str
) -> list[str]:
    """Return the visit's reason codes; refuse a merged person, a bad outcome or date."""
    if person.merged_into_id is not None:
        raise _error(
            "person", _("%(name)s was merged into another record."), "merged", name=person.name
        )
    codes = _check_reasons(reasons)
    if outcome not in HomeVisit.Outcome.values:
        raise _error("outcome", _("Choose the outcome of the visit."), "invalid")
    _check_day(person, visited_on)
    return codes


def _check_day(person: Person, visited_on: dt.date) -> None:
    if visited_on > timezone.localdate():
        raise _error("visited_on", _("The visit date is in the future."), "future")
    if visited_on < person.birth_date:
        raise _error("visited_on", _("The visit date is before the birth."), "birth")


def home_visit_record(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    person: Person,
    visited_on: dt.date,
    reasons: Iterable[str],
    outcome: str,
    findings: str = "",
    measurements: Mapping[str, Any] | None = None,
) -> HomeVisit:
    """Record a kader's visit to `person` at home, with what was measured there if anything."""
    _require_worker(user, person.posyandu)
    existing = HomeVisit.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing
    codes = _checked_visit(person, visited_on, reasons, outcome)
    values = {k: v for k, v in (measurements or {}).items() if v not in (None, "")}
    with transaction.atomic():
        visit = _home_visit_measured(user, uuid, person, visited_on, values) if values else None
        home_visit = HomeVisit.objects.create(
            uuid=uuid,
            person=person,
            kader=user,
            visited_on=visited_on,
            reasons=codes,
            findings=findings.strip(),
            outcome=outcome,
            visit=visit,
        )
        audit_record(
            user=user,
            action="home_visit.record",
            instance=home_visit,
            changes={
                "person": person,
                "visited_on": visited_on,
                "reasons": codes,
                "outcome": outcome,
                "visit": visit,
            },
        )
    return home_visit


def _home_visit_measured(
    user: AnyUser,
    uuid: uuid_lib.UUID,
    person: Person,
    visited_on: dt.date,
    values: Mapping[str, Any],
) -> Visit:
    """Create the home Visit and record its measurement through the visits service."""
    visit = Visit.objects.create(
        uuid=uuid_lib.uuid5(uuid, _VISIT_NAME),
        person=person,
        posyandu=person.posyandu,
        date=visited_on,
        place=Visit.Place.HOME,
        registered_at=timezone.now(),
        created_by=user,
    )
    audit_record(
        user=user,
        action="visit.home",
        instance=visit,
        changes={"person": person, "date": visited_on, "place": Visit.Place.HOME},
    )
    measurement_record(
        user=user, uuid=uuid_lib.uuid5(uuid, _MEASUREMENT_NAME), visit=visit, values=values
    )
    return visit


# --- classes -------------------------------------------------------------------------------


def class_session_create(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    posyandu: Facility,
    kind: str,
    date: dt.date,
    topic: str,
    facilitator: str,
) -> ClassSession:
    """Record one session of a kelas ibu hamil or kelas ibu balita at `posyandu`."""
    _require_worker(user, posyandu)
    existing = ClassSession.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing
    if kind not in ClassSession.Kind.values:
        raise _error("kind", _("Choose the class."), "invalid")
    topic, facilitator = topic.strip(), facilitator.strip()
    if not topic:
        raise _error("topic", _("Write the topic."), "required")
    if not facilitator:
        raise _error("facilitator", _("Write who led the class."), "required")
    with transaction.atomic():
        session = ClassSession.objects.create(
            uuid=uuid, posyandu=posyandu, kind=kind, date=date, topic=topic, facilitator=facilitator
        )
        audit_record(
            user=user,
            action="class_session.create",
            instance=session,
            changes={"posyandu": posyandu, "kind": kind, "date": date, "topic": topic},
        )
    return session


def class_attendance_record(
    *, user: AnyUser, session: ClassSession, persons: Iterable[Person]
) -> ClassSession:
    """Set who attended `session` to exactly `persons` (a ticked list sent twice is no change)."""
    _require_worker(user, session.posyandu)
    chosen = {person.pk: person for person in persons}
    scope = set(
        Person.objects.filter(pk__in=chosen, posyandu__in=posyandu_for(user)).values_list(
            "pk", flat=True
        )
    )
    if set(chosen) - scope:
        raise PermissionDenied("a person is not in the user's area")
    with transaction.atomic():
        before = set(
            ClassAttendance.objects.filter(session=session).values_list("person_id", flat=True)
        )
        added, removed = set(chosen) - before, before - set(chosen)
        if not added and not removed:
            return session
        ClassAttendance.objects.filter(session=session, person_id__in=removed).delete()
        ClassAttendance.objects.bulk_create(
            [ClassAttendance(session=session, person_id=pk) for pk in sorted(added)]
        )
        audit_record(
            user=user,
            action="class_attendance.record",
            instance=session,
            changes={
                "added": sorted(str(chosen[pk].uuid) for pk in added),
                "removed": sorted(
                    str(uuid)
                    for uuid in Person.objects.filter(pk__in=removed).values_list("uuid", flat=True)
                ),
            },
        )
    return session
