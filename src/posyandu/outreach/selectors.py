"""Read the home-visit worklist and the classes of the posyandu in the user's scope.

The worklist assesses every person of the posyandu with the one clinical function of the core
(`assess_many`, the batch form of `assess`, through the registry's mapper); facts are
prefetched, so the number of queries does not grow with the number of persons.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_lib
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from posyandu.accounts.scope import AnyUser, posyandu_for
from posyandu.core.assess import Assessment, assess_many
from posyandu.core.dates import add_months
from posyandu.core.errors import InputError
from posyandu.outreach import worklist
from posyandu.outreach.models import ClassSession, HomeVisit
from posyandu.regions.models import Facility
from posyandu.registry.mappers import open_pregnancy, person_to_assessment_input
from posyandu.registry.models import Person, Pregnancy
from posyandu.registry.selectors import PersonHistory
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, Visit

logger = logging.getLogger(__name__)

# Mothers of under-fives: a child under 60 completed months on the class day.
_UNDER_FIVE_MONTHS = 60


@dataclass(frozen=True)
class WorklistRow:
    """One person to visit at home: why (most pressing first) and when she was last visited."""

    person: Person
    reasons: list[str]
    assessment: Assessment | None  # None: her records could not be assessed
    last_home_visit: dt.date | None

    @property
    def primary(self) -> str:
        """Return the most pressing reason, the group the row is listed under."""
        return self.reasons[0]


@dataclass
class WorklistGroup:
    """The rows listed under one reason."""

    reason: str
    rows: list[WorklistRow] = field(default_factory=list)


def _scoped_posyandu(user: AnyUser, posyandu: Facility | None) -> QuerySet[Facility]:
    scope = posyandu_for(user)
    return scope if posyandu is None else scope.filter(pk=posyandu.pk)


def latest_service_days(posyandu: QuerySet[Facility], as_of: dt.date) -> dict[int, ServiceDay]:
    """Return the latest held (opened) service day on or before `as_of` of each posyandu."""
    held = ServiceDay.objects.filter(date__lte=as_of).exclude(status=ServiceDay.Status.PLANNED)
    latest = held.filter(posyandu=OuterRef("posyandu")).order_by("-date").values("pk")[:1]
    days = ServiceDay.objects.filter(posyandu__in=posyandu, pk=Subquery(latest))
    return {day.posyandu_id: day for day in days}


def with_current_facts(persons: QuerySet[Person], as_of: dt.date) -> QuerySet[Person]:
    """Return the persons with the facts `assessments_of` reads prefetched: current (not
    superseded) measurements and doses up to `as_of`, oldest first, and every pregnancy."""
    current = {"superseded_by__isnull": True, "date__lte": as_of}
    return persons.prefetch_related(
        Prefetch(
            "measurements",
            Measurement.objects.filter(**current).order_by("date", "id"),
            to_attr="current_measurements",
        ),
        Prefetch(
            "immunizations",
            ImmunizationGiven.objects.filter(**current).order_by("date", "id"),
            to_attr="current_immunizations",
        ),
        Prefetch(
            "pregnancies",
            Pregnancy.objects.order_by("-registered_on"),
            to_attr="all_pregnancies",
        ),
    )


def _persons_of(posyandu: QuerySet[Facility]) -> QuerySet[Person]:
    return (
        Person.objects.filter(posyandu__in=posyandu, merged_into__isnull=True)
        .select_related("posyandu__region", "household")
        .order_by("name", "pk")
    )


def assessments_of(persons: list[Person], as_of: dt.date) -> list[Assessment | None]:
    """Return each person's assessment, None where her records cannot be assessed (logged).

    The persons come from `with_current_facts`. One batch (`assess_many`): the WHO z-scores of
    all the children in one call of each engine, several times faster than one `assess` per
    person on a posyandu of a thousand. A fault that is not the person's data is raised.
    """
    out: list[Assessment | None] = [None] * len(persons)
    records, index = [], []
    for i, person in enumerate(persons):
        history = PersonHistory(
            measurements=person.current_measurements,  # type: ignore[attr-defined]
            immunizations=person.current_immunizations,  # type: ignore[attr-defined]
            services=[],
            pregnancies=person.all_pregnancies,  # type: ignore[attr-defined]
            children=[],
        )
        try:
            records.append(person_to_assessment_input(person, history, as_of))
        except InputError as error:
            _unassessable(person, error)
            continue
        index.append(i)
    for i, result in zip(index, assess_many(records), strict=True):
        if isinstance(result, InputError):
            _unassessable(persons[i], result)
        elif isinstance(result, Exception):
            raise result  # not the person's data: a fault to see, as `assess` would raise it
        else:
            out[i] = result
    return out


def _unassessable(person: Person, error: InputError) -> None:
    # One person's impossible record (a weighing before the birth date) must not take the
    # whole list down: she is listed for her records to be checked instead.
    logger.warning("worklist: person %s cannot be assessed: %s", person.uuid, error)


def home_visit_worklist(
    *,
    user: AnyUser,
    as_of: dt.date,
    posyandu: Facility | None = None,
    assessed: Mapping[int, Assessment | None] | None = None,
) -> list[WorklistRow]:
    """Return who the kader should visit at home on `as_of`, most pressing first.

    Absentees of the latest service day (of the groups it served), children with T or 2T,
    wasting, stunting or underweight, pregnant women with KEK, adults with high blood
    pressure, newborns (0-28 days), mothers in nifas (0-42 days) and overdue immunisations.

    `assessed`: assessments as of `as_of` the caller already made (`assessments_of` over
    `with_current_facts`), by person id; those persons are not read with their facts and
    assessed again (the sync's snapshot assesses every person it sends).
    """
    rows = _worklist(_scoped_posyandu(user, posyandu), as_of, assessed=assessed)
    rank = {code: index for index, code in enumerate(worklist.PRIORITY)}
    rows.sort(key=lambda row: (rank.get(row.primary, len(rank)), row.person.name, row.person.pk))
    return rows


def home_visit_reasons(*, user: AnyUser, person: Person, as_of: dt.date) -> list[str]:
    """Return why `person` (in scope) is on the worklist on `as_of`; empty when she is not."""
    rows = _worklist(posyandu_for(user).filter(pk=person.posyandu_id), as_of, person=person)
    return rows[0].reasons if rows else []


def _worklist(
    places: QuerySet[Facility],
    as_of: dt.date,
    person: Person | None = None,
    assessed: Mapping[int, Assessment | None] | None = None,
) -> list[WorklistRow]:
    days = latest_service_days(places, as_of)
    came = set(
        Visit.objects.filter(service_day__in=list(days.values())).values_list("person", flat=True)
    )
    visits = HomeVisit.objects.filter(person__posyandu__in=places, visited_on__lte=as_of)
    persons = _persons_of(places)
    if person is not None:
        visits, persons = visits.filter(person=person), persons.filter(pk=person.pk)
    visited = dict(
        visits.values("person").annotate(last=Max("visited_on")).values_list("person", "last")
    )
    rows = []
    for candidate, assessment in _with_assessments(persons, as_of, assessed):
        day = days.get(candidate.posyandu_id)
        missed = day is not None and candidate.pk not in came and candidate.birth_date <= day.date
        absent_from = worklist.expected_stages(day.groups) if missed and day else None
        if assessment is None:
            reasons = [worklist.RECORDS_TO_CHECK]
        else:
            reasons = worklist.visit_reasons(assessment, absent_from=absent_from)
        if reasons:
            rows.append(WorklistRow(candidate, reasons, assessment, visited.get(candidate.pk)))
    return rows


def _with_assessments(
    persons: QuerySet[Person], as_of: dt.date, known: Mapping[int, Assessment | None] | None
) -> list[tuple[Person, Assessment | None]]:
    """Return the persons with their assessments: those in `known` as given, the others read
    with their facts and assessed."""
    if known is None:
        read = list(with_current_facts(persons, as_of))
        return list(zip(read, assessments_of(read, as_of), strict=True))
    listed = list(persons)
    others = [p.pk for p in listed if p.pk not in known]
    if others:
        read = list(with_current_facts(persons.filter(pk__in=others), as_of))
        fresh = assessments_of(read, as_of)
        known = {**known, **{p.pk: a for p, a in zip(read, fresh, strict=True)}}
    return [(p, known[p.pk]) for p in listed if p.pk in known]


def worklist_groups(rows: list[WorklistRow]) -> list[WorklistGroup]:
    """Return the rows grouped by their most pressing reason, groups in priority order."""
    groups: dict[str, WorklistGroup] = {}
    for row in rows:
        groups.setdefault(row.primary, WorklistGroup(row.primary)).rows.append(row)
    return list(groups.values())


def home_visits_of_person(*, user: AnyUser, person: Person, limit: int = 10) -> list[HomeVisit]:
    """Return the latest home visits of a person in scope, newest first."""
    visits = HomeVisit.objects.filter(person=person, person__posyandu__in=posyandu_for(user))
    return list(visits.select_related("kader").order_by("-visited_on", "-id")[:limit])


# --- classes -------------------------------------------------------------------------------


def class_sessions_for(*, user: AnyUser) -> list[ClassSession]:
    """Return the class sessions of the posyandu in scope, newest first, with head counts."""
    sessions = ClassSession.objects.filter(posyandu__in=posyandu_for(user))
    return list(
        sessions.select_related("posyandu")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-date", "-id")
    )


def class_session_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> ClassSession:
    """Return one class session in scope; raise Http404 for any other."""
    session = (
        ClassSession.objects.filter(posyandu__in=posyandu_for(user), uuid=uuid)
        .select_related("posyandu")
        .first()
    )
    if session is None:
        raise Http404("no such class session")
    return session


def class_candidates(*, session: ClassSession) -> list[Person]:
    """Return who may attend: pregnant women, or mothers of under-fives, and who already did.

    Pregnant means a pregnancy registered and not delivered on the class day; a mother of an
    under-five has a child under 60 months on that day.
    """
    persons = Person.objects.filter(posyandu=session.posyandu, merged_into__isnull=True)
    attending = set(session.attendees.values_list("pk", flat=True))
    if session.kind == ClassSession.Kind.IBU_HAMIL:
        women = persons.filter(sex="F").prefetch_related("pregnancies").order_by("name", "pk")
        eligible = [p for p in women if open_pregnancy(p.pregnancies.all(), session.date)]
    else:
        born_after = add_months(session.date, -_UNDER_FIVE_MONTHS)
        eligible = list(
            persons.filter(
                children__birth_date__gt=born_after,
                children__birth_date__lte=session.date,
                children__merged_into__isnull=True,
            )
            .distinct()
            .order_by("name", "pk")
        )
    missing = attending - {p.pk for p in eligible}
    extra = list(Person.objects.filter(pk__in=missing).order_by("name", "pk"))
    return eligible + extra
