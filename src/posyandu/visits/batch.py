"""A batch of visit writes by one user (a phone's sync upload): read once, written together.

The visits services take it as `within=` (docs/adr/0008). Without one, each service reads what
it needs and writes in its own transaction. With one, the caller holds the transaction and
runs each unit of work (one event) in `step()`, and the batch
- answers the access checks from the posyandu the user runs and sees, read once;
- remembers rows by uuid (read with one query per kind by `prefetch`, or written in the
  batch), the visits of each service day and each person's doses, for the services' checks;
- with `defer=True`, holds the new rows (`insert`) and the changed fields (`update`) in
  memory and writes them at `flush()`, each kind with one statement. Nothing the services
  check is skipped: their checks read through the batch, which includes what it holds.

A step that raises is undone in memory (what it remembered, inserted or changed); the
caller rolls back its savepoint, if the step wrote at once. Rows written by `flush()` send
no model signals: the caller refreshes the PWS rollups itself (the sync does, per batch).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import models

from posyandu.accounts.scope import AnyUser, posyandu_for
from posyandu.registry.models import Person
from posyandu.visits.models import ImmunizationGiven, ServiceDay, Visit

R = TypeVar("R", bound=models.Model)
_VISIT_RELATED = ("service_day", "posyandu", "person")
_Key = tuple[type[models.Model], uuid_lib.UUID]
_MISSING = object()


class VisitBatch:
    """Reads and writes shared by the units of work of one user in one transaction."""

    def __init__(self, user: AnyUser, *, defer: bool = False) -> None:
        self.user = user
        self.defer = defer
        self._runs: frozenset[int] | None = None
        self._sees: frozenset[int] | None = None
        self._rows: dict[_Key, models.Model | None] = {}
        self._visits: dict[tuple[int, int], Visit | None] = {}  # (day id, person id) → visit
        self._doses: dict[int, dict[str, dt.date]] = {}  # person id → vaccine → first dose
        self._inserts: list[models.Model] = []
        self._held: set[int] = set()  # ids of the rows in _inserts
        self._updates: dict[int, tuple[models.Model, frozenset[str]]] = {}
        self._undo: list[Callable[[], None]] | None = None

    # --- units of work ---------------------------------------------------------------------

    @contextmanager
    def step(self) -> Iterator[None]:
        """Run one unit of work: what it does stays in the batch unless it raises."""
        self._undo = []
        try:
            yield
        except BaseException:
            for undo in reversed(self._undo):
                undo()
            raise
        finally:
            self._undo = None

    def on_undo(self, undo: Callable[[], None]) -> None:
        """Call `undo` if the current step raises (outside a step, never)."""
        if self._undo is not None:
            self._undo.append(undo)

    def _set(self, table: dict[Any, Any], key: Any, value: Any) -> None:
        old = table.get(key, _MISSING)
        table[key] = value
        self.on_undo(lambda: table.pop(key) if old is _MISSING else table.__setitem__(key, old))

    # --- the user's scope --------------------------------------------------------------------

    def runs(self, posyandu_id: int) -> bool:
        """Return whether the user runs days at the posyandu (`access.works_at`)."""
        if self._runs is None:
            from posyandu.visits.access import posyandu_run_by

            self._runs = frozenset(posyandu_run_by(self.user).values_list("pk", flat=True))
        return posyandu_id in self._runs

    def sees(self, posyandu_id: int) -> bool:
        """Return whether the posyandu's persons are in the user's scope (`posyandu_for`)."""
        if self._sees is None:
            self._sees = frozenset(posyandu_for(self.user).values_list("pk", flat=True))
        return posyandu_id in self._sees

    # --- rows by uuid ------------------------------------------------------------------------

    def prefetch(self, model: type[models.Model], uuids: Iterable[uuid_lib.UUID]) -> None:
        """Look the uuids up in one query; each is then known as stored (its row) or not."""
        wanted = {key for key in uuids if (model, key) not in self._rows}
        if not wanted:
            return
        rows = model._default_manager.filter(uuid__in=wanted)
        if model is Visit:  # what the services ask of a visit: its day, place and person
            rows = rows.select_related(*_VISIT_RELATED)
        found = {row.uuid: row for row in rows}  # type: ignore[attr-defined]
        for row in found.values():
            if isinstance(row, Visit):
                self._share_person(row)
        for key in wanted:
            self._set(self._rows, (model, key), found.get(key))

    def find(self, model: type[R], key: uuid_lib.UUID) -> R | None:
        """Return the row stored (or held) under `key`, or None; a query unless known."""
        if (model, key) not in self._rows:
            self._set(self._rows, (model, key), model._default_manager.filter(uuid=key).first())
        return self._rows[(model, key)]  # type: ignore[return-value]

    def keep(self, row: R) -> R:
        """Remember a row the batch wrote (or read), for the units of work after this one;
        return the batch's instance of it.

        The batch holds one instance per row, shared by everything that refers to it (the
        person of each visit is the batch's person): a row read afresh (a service locking it
        to change it) is copied into the instance held, so a later unit of work checks the
        new values, not the ones read before.
        """
        key = (type(row), row.uuid)  # type: ignore[attr-defined]
        held = self._rows.get(key)
        if held is not None and held is not row:
            self._refresh(held, row)
            if isinstance(held, Visit):
                self._share_person(held)
            return held  # type: ignore[return-value]
        self._set(self._rows, key, row)
        if isinstance(row, Visit):
            self._share_person(row)
        if isinstance(row, Visit) and row.service_day_id is not None:
            self._set(self._visits, (row.service_day_id, row.person_id), row)
        if isinstance(row, ImmunizationGiven) and row.person_id in self._doses:
            first = self._doses[row.person_id].get(row.vaccine)
            if first is None or row.date < first:
                self._set(self._doses[row.person_id], row.vaccine, row.date)
        return row

    def _refresh(self, held: models.Model, fresh: models.Model) -> None:
        """Copy the stored values of `fresh` into `held` (undone if the step raises); the
        changes the batch holds for `held` until its flush stay."""
        pending = self._updates.get(id(held), (held, frozenset[str]()))[1]
        names = [f.attname for f in held._meta.concrete_fields if f.attname not in pending]
        old = {name: getattr(held, name) for name in names}
        cache = dict(held._state.fields_cache)

        def restore() -> None:
            for name, value in old.items():
                setattr(held, name, value)
            held._state.fields_cache = cache

        self.on_undo(restore)
        for name in names:  # a changed key drops the related row cached under it
            setattr(held, name, getattr(fresh, name))
        held._state.fields_cache.update(fresh._state.fields_cache)

    def _share_person(self, visit: Visit) -> None:
        """Point the visit at the batch's instance of its person (read with the visit)."""
        if "person" in visit._state.fields_cache:
            person = self.known(visit.person)
            if person is not visit.person:
                visit.person = person

    def known(self, row: R) -> R:
        """Return the batch's instance of the row (the first it saw), remembering it."""
        held = self._rows.get((type(row), row.uuid))  # type: ignore[attr-defined]
        if held is None:
            self.keep(row)
            return row
        return held  # type: ignore[return-value]

    def prefetch_visits(self, pairs: Iterable[tuple[ServiceDay, Person]]) -> None:
        """Read in one query the visits of these persons on these service days, if any."""
        wanted = {(day.pk, person.pk) for day, person in pairs} - set(self._visits)
        if not wanted:
            return
        days, persons = {day for day, _ in wanted}, {person for _, person in wanted}
        found = Visit.objects.filter(service_day__in=days, person__in=persons)
        for visit in found.select_related(*_VISIT_RELATED):
            self._set(self._visits, (visit.service_day_id, visit.person_id), self.known(visit))
        for pair in wanted:
            self._visits.setdefault(pair, None)

    def visit_on(self, day: ServiceDay, person: Person) -> Visit | None:
        """Return the person's visit of the service day, if any (a query unless prefetched)."""
        if (day.pk, person.pk) not in self._visits:
            self.prefetch_visits([(day, person)])
        return self._visits[(day.pk, person.pk)]

    def first_dose(self, person: Person, vaccine: str) -> dt.date | None:
        """Return the date of the person's first current (not superseded) dose of `vaccine`,
        stored or held."""
        if person.pk not in self._doses:
            # Her doses and those of every person the batch knows (it read them to check
            # them in): one query, not one per dose.
            known = {row.pk for row in self._rows.values() if isinstance(row, Person)}
            known |= {row.person_id for row in self._rows.values() if isinstance(row, Visit)}
            ids = ({person.pk} | known) - set(self._doses)
            firsts: dict[int, dict[str, dt.date]] = {pk: {} for pk in ids}
            current = ImmunizationGiven.objects.filter(person__in=ids, superseded_by__isnull=True)
            held = (row for row in self._inserts if isinstance(row, ImmunizationGiven))
            for pk, code, day in [
                *current.values_list("person", "vaccine", "date"),
                *((row.person_id, row.vaccine, row.date) for row in held if row.person_id in ids),
            ]:
                firsts[pk][code] = min(day, firsts[pk].get(code, day))
            for pk, doses in firsts.items():
                self._set(self._doses, pk, doses)
        return self._doses[person.pk].get(vaccine)

    # --- writes ------------------------------------------------------------------------------

    def insert(self, row: R) -> R:
        """Insert a new row: now, or (deferring) with the others of its kind at `flush`."""
        if self.defer:
            self._inserts.append(row)
            self._held.add(id(row))

            def drop() -> None:
                self._inserts.remove(row)
                self._held.discard(id(row))

            self.on_undo(drop)
        else:
            row.save(force_insert=True)
        self.keep(row)
        return row

    def holds(self, row: models.Model) -> bool:
        """Return whether the row is new and held until the flush."""
        return id(row) in self._held

    def update(self, row: models.Model, values: Mapping[str, Any]) -> None:
        """Set fields of a stored row and save them: now, or (deferring) once at `flush`."""
        old = {name: getattr(row, name) for name in values}

        def restore() -> None:
            for name, value in old.items():
                setattr(row, name, value)

        self.on_undo(restore)
        for name, value in values.items():
            setattr(row, name, value)
        if not self.defer:
            row.save(update_fields=[*values, "updated_at"])
            return
        held = self._updates.get(id(row))
        fields = frozenset(values) | (held[1] if held else frozenset())
        self._set(self._updates, id(row), (row, fields))

    def flush(self) -> None:
        """Write what the batch holds: new rows kind by kind (visits first: facts point at
        them), then each changed row once (one UPDATE of the fields changed: cheaper than a
        `bulk_update`, whose CASE per field and row costs more than it saves)."""
        kinds: dict[type[models.Model], list[models.Model]] = {}
        for row in self._inserts:
            kinds.setdefault(type(row), []).append(row)
        for model in sorted(kinds, key=lambda kind: kind is not Visit):
            model._default_manager.bulk_create(kinds[model])
        for row, fields in self._updates.values():
            if id(row) not in self._held:  # a new row was inserted with its latest values
                row.save(update_fields=[*sorted(fields), "updated_at"])
        self._inserts.clear()
        self._held.clear()
        self._updates.clear()


# --- the services' writes, with or without a batch ----------------------------------------
# (`atomic`, `stored` and `remembered`, which the registry's services use too, are in
# `posyandu.common.batch`.)


def insert(row: R, within: VisitBatch | None) -> R:
    """Insert a new row (held until the batch's flush, in a deferring batch)."""
    if within is not None:
        return within.insert(row)
    row.save(force_insert=True)
    return row


def save_fields(row: models.Model, values: Mapping[str, Any], within: VisitBatch | None) -> None:
    """Set and save fields of a stored row (once at the batch's flush, in a deferring batch)."""
    if within is not None:
        within.update(row, values)
        return
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=[*values, "updated_at"])
