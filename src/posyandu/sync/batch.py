"""The batch of one upload (docs/adr/0008): the rows its events name, read once.

`Batch.prefetch` reads every row the events name with one query per kind of row (persons,
service days, visits and their aliases, the facts' own uuids, the visits of the persons
checked in), so the handlers resolve each uuid without a query; what an event writes is kept
for the events after it. The batch's `VisitBatch` is also handed to the registry and visits
services, which check their rules through it.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from django.db import models

from posyandu.accounts.scope import AnyUser
from posyandu.regions.models import Facility
from posyandu.registry import services as registry
from posyandu.registry.models import Household, Person
from posyandu.sync.models import RecordAlias
from posyandu.visits.batch import VisitBatch
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit

# The event types whose services write at once (the registry's): each runs in a savepoint
# even in a deferring batch, whose other events write nothing until the batch's flush.
WRITES_AT_ONCE = frozenset({"household.create", "person.register", "person.update"})


@dataclass
class Batch:
    """What the events of one upload share: rows by uuid and the user's scope (`VisitBatch`,
    also handed to the registry and visits services), the visit aliases (phone uuid → server
    uuid) and the persons a registration in it may duplicate."""

    rows: VisitBatch
    aliases: dict[uuid_lib.UUID, uuid_lib.UUID | None] = dataclass_field(default_factory=dict)
    born: set[dt.date] = dataclass_field(default_factory=set)  # of the batch's registrations
    niks: set[str] = dataclass_field(default_factory=set)
    pool: list[Person] | None = None

    @classmethod
    def of(cls, user: AnyUser, *, defer: bool = False) -> Batch:
        return cls(VisitBatch(user, defer=defer))

    def step(self) -> AbstractContextManager[None]:
        """Apply one event: what it adds to the batch is undone if it raises."""
        return self.rows.step()

    def alias(self, key: uuid_lib.UUID) -> uuid_lib.UUID | None:
        """Return the server's uuid of the visit a phone knows as `key`, if it differs."""
        if key not in self.aliases:
            self._read_aliases([key])
        return self.aliases[key]

    def alias_add(self, alias: RecordAlias) -> None:
        """Write an alias (held until the flush, deferring) and use it for the next events."""
        self.rows.insert(alias)
        self.aliases[alias.uuid] = alias.target

        def forget() -> None:
            del self.aliases[alias.uuid]

        self.rows.on_undo(forget)

    def candidates(self, values: dict[str, Any]) -> list[Person]:
        """Return the persons a registration may duplicate (`duplicate_candidates`), looked
        for among those read once for the batch's registrations, when they cover it."""
        nik = values.get("nik")
        if values["birth_date"] not in self.born or (nik and nik not in self.niks):
            return registry.duplicate_candidates(values["user"], values)
        if self.pool is None:
            self.pool = registry.duplicate_pool(
                self.rows.user, birth_dates=self.born, niks=self.niks
            )
        return registry.duplicate_candidates(values["user"], values, among=self.pool)

    def registered(self, person: Person) -> None:
        """Count a person registered in the batch among the candidates of those after her."""
        if self.pool is not None:
            pool = self.pool
            pool.append(person)
            self.rows.on_undo(lambda: pool.remove(person))

    def prefetch(self, events: Iterable[Mapping[str, Any]]) -> None:
        """Read the rows the events name: one query per kind of row, not one per event."""
        events = list(events)
        wanted: dict[type[models.Model], set[uuid_lib.UUID]] = defaultdict(set)
        for event in events:
            data = event.get("data")
            if not isinstance(data, dict):
                continue
            kind = str(event.get("type"))
            for name, model in _NAMES.get(kind, ()):
                wanted[model].add(_maybe_uuid(data.get(name)))
            if kind in _RECORDS:
                wanted[_RECORDS[kind]].add(_maybe_uuid(event.get("record")))
            if kind == "person.register":
                self._note_registration(data)
        visits = {key for key in wanted.pop(Visit, set()) if key is not None}
        self._read_aliases(visits)
        visits |= {target for target in self.aliases.values() if target is not None}
        self.rows.prefetch(Visit, visits)
        for model, keys in wanted.items():
            self.rows.prefetch(model, {key for key in keys if key is not None})
        # Whether each person checked in was checked in that day already (by another phone).
        self.rows.prefetch_visits(
            (day, person)
            for day, person in (self._check_in(event) for event in events if _is_check_in(event))
            if day is not None and person is not None
        )

    def _check_in(self, event: Mapping[str, Any]) -> tuple[Any, Any]:
        data = event["data"]
        day, person = _maybe_uuid(data.get("service_day")), _maybe_uuid(data.get("person"))
        return (
            self.rows.find(ServiceDay, day) if day else None,
            self.rows.find(Person, person) if person else None,
        )

    def _note_registration(self, data: Mapping[str, Any]) -> None:
        try:
            self.born.add(dt.date.fromisoformat(str(data.get("birth_date"))))
        except ValueError:
            return
        nik = data.get("nik")
        if isinstance(nik, str) and nik:
            self.niks.add(nik)

    def _read_aliases(self, keys: Iterable[uuid_lib.UUID]) -> None:
        wanted = {key for key in keys if key not in self.aliases}
        if not wanted:
            return
        self.aliases.update(dict.fromkeys(wanted))
        found = RecordAlias.objects.filter(uuid__in=wanted, kind=RecordAlias.Kind.VISIT)
        self.aliases.update(found.values_list("uuid", "target"))


def _is_check_in(event: Mapping[str, Any]) -> bool:
    return event.get("type") == "visit.register" and isinstance(event.get("data"), dict)


def _maybe_uuid(raw: Any) -> uuid_lib.UUID | None:
    try:
        return uuid_lib.UUID(str(raw)) if raw not in (None, "") else None
    except ValueError:
        return None


# The uuids each event type names in its data, and the kind of its own record.
_NAMES: dict[str, tuple[tuple[str, type[models.Model]], ...]] = {
    "household.create": (("posyandu", Facility),),
    "person.register": (("posyandu", Facility), ("household", Household), ("mother", Person)),
    "visit.register": (("service_day", ServiceDay), ("person", Person)),
    "measurement.record": (("visit", Visit),),
    "immunization.record": (("visit", Visit),),
    "service.record": (("visit", Visit),),
    "counselling.record": (("visit", Visit),),
}
_RECORDS: dict[str, type[models.Model]] = {
    "person.register": Person,
    "person.update": Person,
    "visit.register": Visit,
    "measurement.record": Measurement,
    "immunization.record": ImmunizationGiven,
    "service.record": ServiceGiven,
}
