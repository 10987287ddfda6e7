"""Reads of the posyandu day, scoped by the user's place in the jejaring.

A day or visit outside `posyandu_for(user)` is "not found" (DoesNotExist, a 404 on the page),
never "forbidden". Lists of visitors load the persons in one query and their facts in one
prefetch per kind, then run the core's `assess` in memory, so their cost does not grow with the
number of persons.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.scope import AnyUser, posyandu_for
from posyandu.core.assess import Assessment
from posyandu.core.errors import CoreError
from posyandu.referrals.models import Referral
from posyandu.registry.models import Person
from posyandu.registry.selectors import person_assessment
from posyandu.visits.mappers import prefetched_history
from posyandu.visits.models import (
    ImmunizationGiven,
    Measurement,
    ServiceDay,
    ServiceGiven,
    Visit,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Visitor:
    """A person on a day: her assessment on that date and her visit, if she came."""

    person: Person
    assessment: Assessment | None
    visit: Visit | None = None

    @property
    def came(self) -> bool:
        """Return whether the person was checked in that day."""
        return self.visit is not None


def service_days_for(*, user: AnyUser) -> QuerySet[ServiceDay]:
    """Return the days of the posyandu the user may see, newest first, with visit counts."""
    return (
        ServiceDay.objects.filter(posyandu__in=posyandu_for(user))
        .select_related("posyandu__region")
        .annotate(visit_count=Count("visits"))
        .order_by("-date", "posyandu__name")
    )


def service_day_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> ServiceDay:
    """Return the day `uuid` if the user may see it; raise ServiceDay.DoesNotExist otherwise."""
    return (
        ServiceDay.objects.filter(posyandu__in=posyandu_for(user))
        .select_related("posyandu__region")
        .get(uuid=uuid)
    )


def _in_scope(user: AnyUser, service_day: ServiceDay) -> None:
    if not posyandu_for(user).filter(pk=service_day.posyandu_id).exists():
        raise ServiceDay.DoesNotExist


def _with_facts(persons: QuerySet[Person], as_of: dt.date) -> QuerySet[Person]:
    """Return `persons` with their facts up to `as_of` prefetched (one query per kind)."""
    return persons.select_related("posyandu__region").prefetch_related(
        Prefetch("measurements", queryset=Measurement.objects.filter(date__lte=as_of)),
        Prefetch("immunizations", queryset=ImmunizationGiven.objects.filter(date__lte=as_of)),
        "pregnancies",
    )


def _assess(person: Person, as_of: dt.date) -> Assessment | None:
    """Return the person's assessment on `as_of`, or None when her data cannot be assessed."""
    history = prefetched_history(person, as_of)
    try:
        return person_assessment(person=person, as_of=as_of, history=history)
    except CoreError:
        # Bad stored data must not hide the person from the day's list; it shows "not assessed".
        logger.warning("person %s not assessable on %s", person.uuid, as_of, exc_info=True)
        return None


def service_day_expected(
    *, user: AnyUser, service_day: ServiceDay, query: str = ""
) -> list[Visitor]:
    """Return the day's expected visitors: persons of the posyandu (not merged) in the day's
    groups (all groups when none is set), each with her assessment and whether she came."""
    _in_scope(user, service_day)
    persons = Person.objects.filter(
        posyandu=service_day.posyandu,
        merged_into__isnull=True,
        birth_date__lte=service_day.date,
    )
    if query.strip():
        persons = persons.filter(name__icontains=query.strip())
    visits = {visit.person_id: visit for visit in service_day.visits.all()}
    groups = set(service_day.groups)
    expected = []
    for person in _with_facts(persons.order_by("name"), service_day.date):
        assessment = _assess(person, service_day.date)
        if groups and (assessment is None or not groups & set(assessment.stages)):
            continue
        expected.append(Visitor(person, assessment, visits.get(person.pk)))
    return expected


def service_day_visitors(*, user: AnyUser, service_day: ServiceDay) -> list[Visitor]:
    """Return who came on the day (any posyandu, any group), in check-in order."""
    _in_scope(user, service_day)
    visits = list(service_day.visits.order_by("registered_at", "pk"))
    persons = _with_facts(
        Person.objects.filter(pk__in=[visit.person_id for visit in visits]), service_day.date
    )
    by_pk = {person.pk: person for person in persons}
    return [Visitor(by_pk[v.person_id], _assess(by_pk[v.person_id], v.date), v) for v in visits]


def visitor_get(*, user: AnyUser, service_day: ServiceDay, uuid: uuid_lib.UUID) -> Visitor:
    """Return the visit `uuid` of the day with its person and assessment; DoesNotExist if the
    visit is not of this day or outside the user's posyandu."""
    visit = Visit.objects.select_related("posyandu", "service_day").get(
        uuid=uuid, service_day=service_day, posyandu__in=posyandu_for(user)
    )
    person = _with_facts(Person.objects.filter(pk=visit.person_id), visit.date).get()
    visit.person = person
    return Visitor(person, _assess(person, visit.date), visit)


# --- closing the day ------------------------------------------------------------------------


def _any(codes: Iterable[str]) -> Callable[[Assessment], bool]:
    wanted = frozenset(codes)
    return lambda a: bool(wanted & set(a.findings))


def _trend(code: str) -> Callable[[Assessment], bool]:
    return lambda a: a.weight_trend == code


# What the day's summary counts among the visitors measured that day (DOMAIN 2.3, 6.3).
SUMMARY_COUNTS: tuple[tuple[str, Promise, Callable[[Assessment], bool]], ...] = (
    ("n", _("Weight went up (N)"), _trend("N")),
    ("t", _("Weight did not go up (T)"), _trend("T")),
    ("2t", _("Weight did not go up twice (2T)"), _trend("2T")),
    ("underweight", _("Underweight"), _any(["wfa.underweight", "wfa.severely_underweight"])),
    ("stunted", _("Stunted"), _any(["hfa.stunted", "hfa.severely_stunted"])),
    ("wasted", _("Wasted"), _any(["wfh.wasted", "wfh.severely_wasted"])),
    (
        "muac",
        _("Arm band red or yellow (LiLA)"),
        _any(["muac.severe_acute_malnutrition", "muac.moderate_acute_malnutrition"]),
    ),
    ("kek", _("Chronic energy deficiency (KEK)"), _any(["muac.chronic_energy_deficiency"])),
    ("bp_high", _("High blood pressure"), _any(["bp.high"])),
    ("glucose_high", _("High blood glucose"), _any(["glucose.high"])),
    (
        "anaemia",
        _("Anaemia"),
        _any(["hb.anaemia_mild", "hb.anaemia_moderate", "hb.anaemia_severe"]),
    ),
    ("refer", _("Should be referred"), lambda a: a.refer),
)


@dataclass(frozen=True)
class DaySummary:
    """The day at its close: who came, who did not, what was found, who was referred."""

    came: list[Visitor]
    absent: list[Visitor]
    measured: int
    counts: list[tuple[str, Promise, int]] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)


def service_day_summary(*, user: AnyUser, service_day: ServiceDay) -> DaySummary:
    """Return the day's summary; findings are counted among the visitors measured that day."""
    came = service_day_visitors(user=user, service_day=service_day)
    absent = [v for v in service_day_expected(user=user, service_day=service_day) if not v.came]
    measured = [
        v.assessment
        for v in came
        if v.visit is not None and v.visit.measured_at is not None and v.assessment is not None
    ]
    counts = [
        (key, label, sum(1 for a in measured if test(a))) for key, label, test in SUMMARY_COUNTS
    ]
    referrals = list(
        Referral.objects.filter(visit__service_day=service_day)
        .select_related("person")
        .order_by("person__name")
    )
    return DaySummary(came, absent, len(measured), counts, referrals)


@dataclass(frozen=True)
class VisitFacts:
    """What was given at one visit: service codes, vaccines and referrals issued."""

    service_codes: frozenset[str]
    vaccines: list[ImmunizationGiven]
    referrals: list[Referral]


def visit_facts(*, visit: Visit) -> VisitFacts:
    """Return the services, vaccines and referrals of a visit found through a scoped selector."""
    codes = ServiceGiven.objects.filter(visit=visit, superseded_by__isnull=True).values_list(
        "code", flat=True
    )
    vaccines = ImmunizationGiven.objects.filter(visit=visit, superseded_by__isnull=True)
    referrals = Referral.objects.filter(visit=visit).select_related("to_facility")
    return VisitFacts(frozenset(codes), list(vaccines.order_by("vaccine")), list(referrals))
