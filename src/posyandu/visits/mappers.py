"""Prefetched rows → the registry's `PersonHistory`, so a list of visitors is assessed by the
same mapping as the person card (`posyandu.registry.mappers`) without a query per person.

A caller prefetches `measurements`, `immunizations` and `pregnancies` of the persons (and
selects `posyandu__region`); superseded facts are left out here: the correction is the fact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from posyandu.registry.models import Person
from posyandu.registry.selectors import PersonHistory
from posyandu.visits.models import ImmunizationGiven, Measurement

F = TypeVar("F", Measurement, ImmunizationGiven)


def current_facts(facts: Iterable[F], as_of: dt.date) -> list[F]:
    """Return the facts dated on or before `as_of` that no other fact supersedes, oldest first."""
    rows = list(facts)
    superseded = {row.supersedes_id for row in rows if row.supersedes_id is not None}
    kept = [row for row in rows if row.pk not in superseded and row.date <= as_of]
    return sorted(kept, key=lambda row: (row.date, row.pk))


def prefetched_history(person: Person, as_of: dt.date) -> PersonHistory:
    """Return the person's current facts up to `as_of` from her prefetched relations."""
    return PersonHistory(
        measurements=current_facts(person.measurements.all(), as_of),
        immunizations=current_facts(person.immunizations.all(), as_of),
        services=[],
        pregnancies=sorted(person.pregnancies.all(), key=lambda p: p.registered_on, reverse=True),
        children=[],
    )
