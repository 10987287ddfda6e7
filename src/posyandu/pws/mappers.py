"""Map one posyandu's rows (registry, visits, referrals) to the core's indicator inputs.

No rule lives here: the rows are turned into `PersonFacts` as they are. What is read:
- the posyandu's persons that are not merged away, each with the facts of the duplicates
  merged into her (a merged duplicate keeps its facts, ADR 6);
- facts that no correction has superseded (a correction is a new fact that `supersedes` the
  old one, so the old one is left out);
- every fact is counted for the person's posyandu, wherever it was recorded.
A fixed number of queries, whatever the number of persons.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, TypeVar

from django.db.models import Q, QuerySet
from django.utils import timezone

from posyandu.core.assess import Dose, MeasurementRecord
from posyandu.core.indicators import (
    PersonFacts,
    PregnancyFacts,
    ReferralFacts,
    ServiceDayFacts,
    ServiceFact,
)
from posyandu.referrals.models import Referral
from posyandu.regions.models import Facility
from posyandu.registry.models import Person, Pregnancy
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit

_MEASURED = (
    "weight_kg",
    "headc_cm",
    "muac_cm",
    "waist_cm",
    "sbp_mmhg",
    "dbp_mmhg",
    "glucose_mg_dl",
    "hb_g_dl",
)


_F = TypeVar("_F", Measurement, ImmunizationGiven, ServiceGiven)
# The columns `measurement_record` reads, in its argument order, after the person id.
_MEASUREMENT_COLUMNS = (
    "person_id",
    "date",
    "measure",
    "lenhei_cm",
    "glucose_kind",
    "oedema",
    *_MEASURED,
)


_GLUCOSE_KINDS: dict[str, Literal["random", "fasting"]] = {
    "random": "random",
    "fasting": "fasting",
}


@dataclass(frozen=True)
class PosyanduFacts:
    """One posyandu's persons as core inputs, its service days, and the persons by id."""

    persons: tuple[PersonFacts, ...]
    service_days: tuple[ServiceDayFacts, ...]
    person_rows: dict[str, Person]


def posyandu_facts(posyandu: Facility) -> PosyanduFacts:
    """Return everything the indicators of `posyandu` are computed from."""
    scope = Person.objects.filter(
        Q(posyandu=posyandu, merged_into__isnull=True) | Q(merged_into__posyandu=posyandu)
    )
    rows = list(scope)
    survivors = {p.pk: p for p in rows if p.merged_into_id is None}
    # Each row id → the survivor whose facts it carries (itself, or the one it merged into);
    # a duplicate of a duplicate (a chain) is left out.
    owner = {p.pk: p.merged_into_id or p.pk for p in rows}
    owner = {pk: to for pk, to in owner.items() if to in survivors}
    ids = scope.values("pk")
    facts = _Facts(owner)
    facts.add_measurements(
        _live(Measurement.objects.filter(person__in=ids)).values_list(*_MEASUREMENT_COLUMNS)
    )
    facts.add_doses(
        _live(ImmunizationGiven.objects.filter(person__in=ids)).values_list(
            "person_id", "vaccine", "date"
        )
    )
    facts.add_services(
        _live(ServiceGiven.objects.filter(person__in=ids)).values_list(
            "person_id", "code", "date", "quantity"
        )
    )
    facts.add_pregnancies(Pregnancy.objects.filter(person__in=ids))
    facts.add_referrals(Referral.objects.filter(person__in=ids))
    facts.add_visits(Visit.objects.filter(person__in=ids).values_list("person_id", "date"))
    province = posyandu.region.code[:2] if posyandu.region_id else None
    persons = tuple(facts.person(p, province) for p in survivors.values())
    days = tuple(
        ServiceDayFacts(day, status)
        for day, status in ServiceDay.objects.filter(posyandu=posyandu).values_list(
            "date", "status"
        )
    )
    return PosyanduFacts(persons, days, {str(p.uuid): p for p in survivors.values()})


def _live(facts: QuerySet[_F]) -> QuerySet[_F]:
    """Return the facts no correction has superseded, oldest first (ties by id)."""
    return facts.filter(superseded_by__isnull=True).order_by("date", "id")


class _Facts:
    """The facts of the survivors, gathered per survivor id."""

    def __init__(self, owner: dict[int, int]) -> None:
        self.owner = owner
        self.measurements: dict[int, list[MeasurementRecord]] = defaultdict(list)
        self.doses: dict[int, list[Dose]] = defaultdict(list)
        self.services: dict[int, list[ServiceFact]] = defaultdict(list)
        self.pregnancies: dict[int, list[PregnancyFacts]] = defaultdict(list)
        self.referrals: dict[int, list[ReferralFacts]] = defaultdict(list)
        self.visits: dict[int, list[dt.date]] = defaultdict(list)

    def add_measurements(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            if row[0] in self.owner:
                self.measurements[self.owner[row[0]]].append(measurement_record(*row[1:]))

    def add_doses(self, rows: Iterable[tuple[int, str, dt.date]]) -> None:
        for person_id, vaccine, day in rows:
            if person_id in self.owner:
                self.doses[self.owner[person_id]].append(Dose(vaccine, day))

    def add_services(self, rows: Iterable[tuple[int, str, dt.date, int | None]]) -> None:
        for person_id, code, day, quantity in rows:
            if person_id in self.owner:
                self.services[self.owner[person_id]].append(ServiceFact(code, day, quantity))

    def add_pregnancies(self, rows: Iterable[Pregnancy]) -> None:
        for p in rows:
            if p.person_id in self.owner:
                fact = PregnancyFacts(
                    p.registered_on, p.last_menstrual_period, p.delivery_date, p.outcome
                )
                self.pregnancies[self.owner[p.person_id]].append(fact)

    def add_referrals(self, rows: Iterable[Referral]) -> None:
        for r in rows:
            if r.person_id in self.owner:
                fact = ReferralFacts(
                    r.issued_on, _local_date(r.feedback_at), _local_date(r.closed_at)
                )
                self.referrals[self.owner[r.person_id]].append(fact)

    def add_visits(self, rows: Iterable[tuple[int, dt.date]]) -> None:
        for person_id, day in rows:
            if person_id in self.owner:
                self.visits[self.owner[person_id]].append(day)

    def person(self, p: Person, province: str | None) -> PersonFacts:
        pk = p.pk
        return PersonFacts(
            id=str(p.uuid),
            sex="M" if p.sex == "M" else "F",
            birth_date=p.birth_date,
            registered_on=timezone.localdate(p.created_at),
            has_buku_kia=p.has_buku_kia,
            smoker=p.smoker,
            province_code=province,
            measurements=tuple(self.measurements[pk]),
            immunizations=tuple(self.doses[pk]),
            services=tuple(self.services[pk]),
            pregnancies=tuple(self.pregnancies[pk]),
            referrals=tuple(self.referrals[pk]),
            visit_dates=tuple(sorted(self.visits[pk])),
        )


def measurement_record(
    day: dt.date,
    method: str,
    lenhei: Decimal | None,
    glucose_kind: str,
    oedema: bool | None,
    *values: Decimal | int | None,
) -> MeasurementRecord:
    """Return the assess record of one measurement row (lying length or standing height)."""
    length = _float(lenhei)
    standing = method == Measurement.Method.STANDING
    numbers = dict(zip(_MEASURED, map(_float, values), strict=True))
    return MeasurementRecord(
        date=day,
        length_cm=None if standing else length,
        height_cm=length if standing else None,
        measure="h" if standing else ("l" if method == Measurement.Method.LYING else None),
        oedema=oedema,
        glucose_kind=_GLUCOSE_KINDS.get(glucose_kind),
        **numbers,
    )


def _float(value: Decimal | int | None) -> float | None:
    # Zero or negative is "not taken" (the core treats impossible values as missing).
    if value is None or value <= 0:
        return None
    return float(value)


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)
