"""Read the kader registry of the posyandu in the user's scope, and its competency gaps.

A kader is competent in a competency when her latest assessment on it was passed; a training
alone does not make her competent (DOMAIN 7.4: trained, assessed, certified are tracked apart).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from posyandu.accounts.scope import AnyUser, posyandu_for
from posyandu.kaders.competencies import Catalogue, Competency, catalogue_in_force
from posyandu.kaders.models import CompetencyRecord, Kader
from posyandu.regions.models import Facility

TIERS = (*Kader.Tier.values, "")  # "" is a kader not (yet) certified


def _records(kaders: QuerySet[Kader]) -> QuerySet[Kader]:
    return kaders.prefetch_related(
        Prefetch(
            "competencies",
            CompetencyRecord.objects.order_by("date", "id"),
            to_attr="records",
        )
    )


def passed_codes(records: Iterable[CompetencyRecord]) -> set[str]:
    """Return the competencies whose latest assessment was passed (records oldest first)."""
    latest: dict[str, bool | None] = {}
    for record in records:
        if record.kind == CompetencyRecord.Kind.ASSESSED:
            latest[record.competency] = record.passed
    return {code for code, passed in latest.items() if passed}


def trained_codes(records: Iterable[CompetencyRecord]) -> set[str]:
    """Return the competencies the kader was trained on."""
    return {r.competency for r in records if r.kind == CompetencyRecord.Kind.TRAINED}


@dataclass(frozen=True)
class KaderRow:
    """A kader with the competencies she was trained on and has passed."""

    kader: Kader
    trained: frozenset[str]
    passed: frozenset[str]


def kaders_for(*, user: AnyUser, include_inactive: bool = False) -> list[KaderRow]:
    """Return the kader of the posyandu in scope, by posyandu then name, with their counts."""
    kaders = Kader.objects.filter(posyandu__in=posyandu_for(user))
    if not include_inactive:
        kaders = kaders.filter(active=True)
    kaders = _records(kaders.select_related("posyandu").order_by("posyandu__name", "name", "pk"))
    return [
        KaderRow(k, frozenset(trained_codes(k.records)), frozenset(passed_codes(k.records)))  # type: ignore[attr-defined]
        for k in kaders
    ]


def kader_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> Kader:
    """Return one kader in scope with her records (newest first in `records_newest`)."""
    kader = (
        _records(Kader.objects.filter(posyandu__in=posyandu_for(user), uuid=uuid))
        .select_related("posyandu", "user")
        .first()
    )
    if kader is None:
        raise Http404("no such kader")
    return kader


@dataclass(frozen=True)
class CompetencyStatus:
    """Where one kader stands on one competency."""

    competency: Competency
    trained_on: dt.date | None
    assessed_on: dt.date | None
    passed: bool | None


def kader_competencies(kader: Kader, catalogue: Catalogue) -> list[CompetencyStatus]:
    """Return the kader's standing on each competency of the catalogue, in catalogue order."""
    records: list[CompetencyRecord] = kader.records  # type: ignore[attr-defined]
    statuses = []
    for competency in catalogue.competencies:
        mine = [r for r in records if r.competency == competency.code]
        trainings = [r for r in mine if r.kind == CompetencyRecord.Kind.TRAINED]
        assessments = [r for r in mine if r.kind == CompetencyRecord.Kind.ASSESSED]
        last = assessments[-1] if assessments else None
        statuses.append(
            CompetencyStatus(
                competency,
                trainings[-1].date if trainings else None,
                last.date if last else None,
                last.passed if last else None,
            )
        )
    return statuses


@dataclass(frozen=True)
class PosyanduGaps:
    """One posyandu: its active kader, the competencies none of them has, and tier counts."""

    posyandu: Facility
    kader_count: int
    missing: list[Competency]
    tiers: dict[str, int]


def competency_gaps(*, user: AnyUser, as_of: dt.date | None = None) -> list[PosyanduGaps]:
    """Return, per posyandu in scope, the competencies no active kader there has passed."""
    catalogue = catalogue_in_force(as_of or timezone.localdate())
    places = list(posyandu_for(user).order_by("name", "pk"))
    kaders = _records(Kader.objects.filter(posyandu__in=places, active=True))
    by_place: dict[int, list[Kader]] = {place.pk: [] for place in places}
    for kader in kaders:
        by_place[kader.posyandu_id].append(kader)
    gaps = []
    for place in places:
        team = by_place[place.pk]
        covered = set().union(*(passed_codes(k.records) for k in team))  # type: ignore[attr-defined]
        tiers = {tier: sum(1 for k in team if k.tier == tier) for tier in TIERS}
        missing = [c for c in catalogue.competencies if c.code not in covered]
        gaps.append(PosyanduGaps(place, len(team), missing, tiers))
    return gaps
