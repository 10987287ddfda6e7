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

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
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

# The person columns `_Facts.person` reads, in its order.
_PERSON_COLUMNS = ("pk", "uuid", "sex", "birth_date", "registered_on", "has_buku_kia", "smoker")
# The measured values, in the order `measurement_record` unpacks them.
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


def posyandu_facts(posyandu: Facility, *, with_rows: bool = True) -> PosyanduFacts:
    """Return everything the indicators of `posyandu` are computed from.

    Without `with_rows` (the rollup refresh) `person_rows` is empty: the persons are read as
    plain values, not as model instances nobody looks at.
    """
    own = Person.objects.filter(posyandu=posyandu, merged_into__isnull=True).order_by()
    # The duplicates merged into one of them, wherever they were registered, carry facts too;
    # a duplicate of a duplicate (a chain) is left out. Each part is read through an index
    # (one condition with OR made PostgreSQL scan every person, for every fact table).
    merged = Person.objects.filter(
        merged_into__isnull=False, merged_into__in=own.values("pk")
    ).order_by()
    # The person columns, then the survivor (None for a survivor herself) and the name to
    # sort by (a union can only be ordered by a column it selects).
    columns = (*_PERSON_COLUMNS, "merged_into_id", "name")
    if with_rows:
        rows = list(own.union(merged, all=True).order_by("name"))
        found = [
            (
                p.pk,
                p.uuid,
                p.sex,
                p.birth_date,
                timezone.localdate(p.created_at),  # registered_on
                p.has_buku_kia,
                p.smoker,
                p.merged_into_id,
                p.name,
            )
            for p in rows
        ]
    else:
        rows = []
        # The local day of registration computed by the database, as `timezone.localdate`.
        own, merged = (q.annotate(registered_on=TruncDate("created_at")) for q in (own, merged))
        both = own.values_list(*columns).union(merged.values_list(*columns), all=True)
        found = list(both.order_by("name"))
    survivors = [row[: len(_PERSON_COLUMNS)] for row in found if row[-2] is None]
    # Each row id → the survivor whose facts it carries (itself, or the one it merged into).
    owner = {row[0]: row[-2] or row[0] for row in found}
    facts = _Facts(owner)
    facts.read(own.values("pk").union(merged.values("pk"), all=True))
    province = posyandu.region.code[:2] if posyandu.region_id else None
    persons = tuple(facts.person(row, province) for row in survivors)
    days = tuple(
        ServiceDayFacts(day, status)
        for day, status in ServiceDay.objects.filter(posyandu=posyandu).values_list(
            "date", "status"
        )
    )
    return PosyanduFacts(persons, days, {str(p.uuid): p for p in rows if p.merged_into_id is None})


def _live(facts: QuerySet[_F]) -> QuerySet[_F]:
    """Return the facts no correction has superseded, oldest first (ties by id)."""
    # NOT EXISTS over the rows that correct another (an index-only scan of the few), not a
    # join that made PostgreSQL read every fact of the table to find none.
    corrections = facts.model._default_manager.filter(
        supersedes__isnull=False, supersedes=OuterRef("pk")
    )
    return facts.filter(~Exists(corrections)).order_by("date", "id")


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

    def read(self, ids: QuerySet[Person, dict[str, Any]]) -> None:
        """Read the facts of the persons `ids` selects (the survivors and their duplicates)."""
        self.add_measurements(
            _live(Measurement.objects.filter(person__in=ids)).values_list(*_MEASUREMENT_COLUMNS)
        )
        self.add_doses(
            _live(ImmunizationGiven.objects.filter(person__in=ids)).values_list(
                "person_id", "vaccine", "date"
            )
        )
        self.add_services(
            _live(ServiceGiven.objects.filter(person__in=ids)).values_list(
                "person_id", "code", "date", "quantity"
            )
        )
        self.add_pregnancies(
            Pregnancy.objects.filter(person__in=ids).values_list(
                "person_id", "registered_on", "last_menstrual_period", "delivery_date", "outcome"
            )
        )
        self.add_referrals(
            Referral.objects.filter(person__in=ids).values_list(
                "person_id", "issued_on", TruncDate("feedback_at"), TruncDate("closed_at")
            )
        )
        self.add_visits(Visit.objects.filter(person__in=ids).values_list("person_id", "date"))

    def add_measurements(self, rows: Iterable[tuple[Any, ...]]) -> None:
        owner, measurements = self.owner, self.measurements
        for person_id, *row in rows:
            if person_id in owner:
                measurements[owner[person_id]].append(measurement_record(*row))

    def add_doses(self, rows: Iterable[tuple[int, str, dt.date]]) -> None:
        for person_id, vaccine, day in rows:
            if person_id in self.owner:
                self.doses[self.owner[person_id]].append(Dose(vaccine, day))

    def add_services(self, rows: Iterable[tuple[int, str, dt.date, int | None]]) -> None:
        for person_id, code, day, quantity in rows:
            if person_id in self.owner:
                self.services[self.owner[person_id]].append(ServiceFact(code, day, quantity))

    def add_pregnancies(
        self, rows: Iterable[tuple[int, dt.date, dt.date | None, dt.date | None, str]]
    ) -> None:
        for person_id, registered, hpht, delivered, outcome in rows:
            if person_id in self.owner:
                fact = PregnancyFacts(registered, hpht, delivered, outcome)
                self.pregnancies[self.owner[person_id]].append(fact)

    def add_referrals(
        self, rows: Iterable[tuple[int, dt.date, dt.datetime | None, dt.datetime | None]]
    ) -> None:
        for person_id, issued, answered, closed in rows:
            if person_id in self.owner:
                fact = ReferralFacts(issued, answered, closed)
                self.referrals[self.owner[person_id]].append(fact)

    def add_visits(self, rows: Iterable[tuple[int, dt.date]]) -> None:
        for person_id, day in rows:
            if person_id in self.owner:
                self.visits[self.owner[person_id]].append(day)

    def person(self, row: tuple[Any, ...], province: str | None) -> PersonFacts:
        """Return the facts of one survivor, read as `_PERSON_COLUMNS`."""
        pk, uuid, sex, birth_date, registered_on, has_buku_kia, smoker = row
        return PersonFacts(
            id=str(uuid),
            sex="M" if sex == "M" else "F",
            birth_date=birth_date,
            registered_on=registered_on,
            has_buku_kia=has_buku_kia,
            smoker=smoker,
            province_code=province,
            measurements=tuple(self.measurements.get(pk, ())),
            immunizations=tuple(self.doses.get(pk, ())),
            services=tuple(self.services.get(pk, ())),
            pregnancies=tuple(self.pregnancies.get(pk, ())),
            referrals=tuple(self.referrals.get(pk, ())),
            visit_dates=tuple(sorted(self.visits.get(pk, ()))),
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
    weight, headc, muac, waist, sbp, dbp, glucose, hb = map(_float, values)
    return MeasurementRecord(
        date=day,
        length_cm=None if standing else length,
        height_cm=length if standing else None,
        measure="h" if standing else ("l" if method == Measurement.Method.LYING else None),
        oedema=oedema,
        glucose_kind=_GLUCOSE_KINDS.get(glucose_kind),
        weight_kg=weight,
        headc_cm=headc,
        muac_cm=muac,
        waist_cm=waist,
        sbp_mmhg=sbp,
        dbp_mmhg=dbp,
        glucose_mg_dl=glucose,
        hb_g_dl=hb,
    )


def _float(value: Decimal | int | None) -> float | None:
    # Zero or negative is "not taken" (the core treats impossible values as missing).
    if value is None:
        return None
    number = float(value)  # before comparing: a Decimal compares slowly
    return number if number > 0 else None
