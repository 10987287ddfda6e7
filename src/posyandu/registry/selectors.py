"""Reads of the registry, scoped by `posyandu_for(user)`: outside the scope is "not found".

Desa officials and Pokjanal have an empty scope, so every selector here gives them nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from posyandu.accounts.scope import posyandu_for
from posyandu.core.assess import Assessment, assess
from posyandu.registry.checks import AnyUser, normal_name
from posyandu.registry.mappers import person_to_assessment_input
from posyandu.registry.models import Household, Person, Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven

_NIK_LENGTH = 16


def _visible(user: AnyUser) -> QuerySet[Person]:
    """Return the persons the user may see by name (merged duplicates included)."""
    return Person.objects.filter(posyandu__in=posyandu_for(user))


def _with_pregnancies(persons: QuerySet[Person]) -> QuerySet[Person]:
    """Prefetch each person's pregnancies into `pregnancy_list` (for the stage badges)."""
    return persons.prefetch_related(
        Prefetch(
            "pregnancies",
            queryset=Pregnancy.objects.order_by("-registered_on"),
            to_attr="pregnancy_list",
        )
    )


def person_search(*, user: AnyUser, query: str, limit: int = 50) -> list[Person]:
    """Return the persons matching a name, a NIK or a household head, merged ones left out.

    Every word of the query must appear in the name or in the household head's name; 16 digits
    are a NIK and match exactly. An empty query lists the persons in scope, by name.
    """
    persons = _visible(user).filter(merged_into__isnull=True)
    text = " ".join(query.split())
    digits = text.replace(" ", "").replace(".", "")
    if len(digits) == _NIK_LENGTH and digits.isdigit():
        persons = persons.filter(nik=digits)
    elif text:
        words = [Q(name__icontains=w) | Q(household__head_name__icontains=w) for w in text.split()]
        persons = persons.filter(reduce(and_, words))
    persons = persons.select_related("household", "posyandu__region").order_by("name", "birth_date")
    return list(_with_pregnancies(persons)[:limit])


def person_get(*, user: AnyUser, uuid: uuid_module.UUID | str) -> Person:
    """Return the person with this uuid in the user's scope; raise Http404 otherwise."""
    try:
        key = uuid if isinstance(uuid, uuid_module.UUID) else uuid_module.UUID(str(uuid))
    except ValueError:
        raise Http404("not a person uuid") from None
    person = (
        _visible(user)
        .select_related("household", "mother", "posyandu__region", "merged_into")
        .filter(uuid=key)
        .first()
    )
    if person is None:
        raise Http404("no such person in scope")
    return person


def household_list(*, user: AnyUser, posyandu_ids: list[int] | None = None) -> list[Household]:
    """Return the households of the posyandu in scope (optionally only of `posyandu_ids`)."""
    households = Household.objects.filter(posyandu__in=posyandu_for(user))
    if posyandu_ids is not None:
        households = households.filter(posyandu__in=posyandu_ids)
    return list(households.select_related("posyandu").order_by("head_name"))


def mother_choices(*, user: AnyUser, born_before: dt.date, limit: int = 500) -> list[Person]:
    """Return the women in scope born on or before `born_before` (mothers to pick from)."""
    return list(
        _visible(user)
        .filter(merged_into__isnull=True, sex="F", birth_date__lte=born_before)
        .select_related("household")
        .order_by("name")[:limit]
    )


def person_duplicate_candidates(*, user: AnyUser, person: Person, limit: int = 20) -> list[Person]:
    """Return persons in scope who may be `person` again: same birth date and a like name."""
    wanted = normal_name(person.name)
    same_day = (
        _visible(user)
        .filter(merged_into__isnull=True, birth_date=person.birth_date, sex=person.sex)
        .exclude(pk=person.pk)
        .select_related("household", "posyandu")
    )
    return [
        p for p in same_day[:200] if wanted in normal_name(p.name) or normal_name(p.name) in wanted
    ][:limit]


@dataclass(frozen=True)
class PersonHistory:
    """What is recorded about a person, current facts only (superseded ones left out)."""

    measurements: list[Measurement]  # oldest first
    immunizations: list[ImmunizationGiven]  # oldest first
    services: list[ServiceGiven]  # newest first
    pregnancies: list[Pregnancy]  # newest first
    children: list[Person]


def person_history(person: Person) -> PersonHistory:
    """Return the person's current facts, in one query per kind."""
    current = {"person": person, "superseded_by__isnull": True}
    return PersonHistory(
        measurements=list(Measurement.objects.filter(**current).order_by("date", "id")),
        immunizations=list(ImmunizationGiven.objects.filter(**current).order_by("date", "id")),
        services=list(ServiceGiven.objects.filter(**current).order_by("-date", "code")),
        pregnancies=list(person.pregnancies.order_by("-registered_on")),
        children=list(person.children.filter(merged_into__isnull=True).order_by("birth_date")),
    )


def person_assessment(
    *, person: Person, as_of: dt.date, history: PersonHistory | None = None
) -> Assessment:
    """Return the core's assessment of the person on `as_of` (pass `history` to reuse it)."""
    if history is None:
        history = person_history(person)
    return assess(person_to_assessment_input(person, history, as_of))


# The rows that name a person, by their related name on Person (for the merge page).
FACT_KINDS = (
    "measurements",
    "immunizations",
    "services",
    "visits",
    "pregnancies",
    "referrals",
    "home_visits",
    "classes",
    "children",
)


def person_fact_counts(person: Person) -> dict[str, int]:
    """Return how many rows of each kind name the person (one small count query per kind)."""
    return {kind: getattr(person, kind).count() for kind in FACT_KINDS}
