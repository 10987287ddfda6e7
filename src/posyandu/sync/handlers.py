"""The event handlers of the sync: resolve the uuids an event names, call the service it means.

No business rule lives here: the registry and visits services check and write. A handler
resolves the phone's uuids through the batch (`Batch`), which reads the rows the whole upload
names once (`Batch.prefetch`) and keeps what its events write, so the events after one find
them without a query. A uuid that exists nowhere means the event must wait (`Waiting`); one
outside the user's posyandu is refused as not found, without showing its data. The event's
other values are read by `values`, which refuses a malformed one by name.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.accounts.scope import AnyUser
from posyandu.audit.services import audit_record
from posyandu.pws.signals import COUNTED_PERSON_FIELDS
from posyandu.regions.models import Facility
from posyandu.registry import checks as registry_checks
from posyandu.registry import services as registry
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.models import Household, Person
from posyandu.sync.batch import Batch
from posyandu.sync.models import RecordAlias, SyncReview
from posyandu.sync.values import (
    Refused,
    Waiting,
    date_value,
    flag_value,
    not_found,
    quantity_value,
    string_value,
    text_value,
    uuid_value,
)
from posyandu.visits import services as visits
from posyandu.visits.models import ImmunizationGiven, ServiceDay, ServiceGiven, Visit

# A demographic change may change any live month of the PWS.
_LIVE_START = dt.date(2000, 1, 1)


@dataclass
class Outcome:
    """What a handler did: the server's uuid of the record, and conflicting fields if any."""

    record: uuid_lib.UUID
    conflicts: tuple[str, ...] = ()
    # (posyandu id, earliest day) whose PWS rollups the event changed (refreshed per batch).
    marks: tuple[tuple[int, dt.date], ...] = ()


# --- resolving the uuids an event names ------------------------------------------------------


def _scoped(batch: Batch, model: type[models.Model], field: str, key: uuid_lib.UUID) -> Any:
    """Return the row `key` of `model` in the user's posyandu; Waiting when it does not exist
    anywhere; Refused (not found) when it exists outside the scope (its data is not shown)."""
    row = batch.rows.find(model, key)
    if row is None:
        raise Waiting(field, str(key))
    place = row.pk if model is Facility else row.posyandu_id  # type: ignore[attr-defined]
    if not batch.rows.sees(place):
        raise not_found(field, key)
    return row


def _person(batch: Batch, field: str, key: uuid_lib.UUID) -> Person:
    person: Person = _scoped(batch, Person, field, key)
    seen = {person.pk}
    while person.merged_into_id is not None:  # a record merged away lands on the kept one
        person = batch.rows.known(Person.objects.get(pk=person.merged_into_id))
        if person.pk in seen:
            break
        seen.add(person.pk)
    return person


def _visit(batch: Batch, key: uuid_lib.UUID) -> Visit:
    visit: Visit = _scoped(batch, Visit, "visit", batch.alias(key) or key)
    return visit


# --- the handlers, one per event type ------------------------------------------------------


@dataclass
class Context:
    device: uuid_lib.UUID
    event: uuid_lib.UUID
    batch: Batch


Handler = Callable[[AnyUser, uuid_lib.UUID, Mapping[str, Any], Context], Outcome]


def _household_create(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    posyandu = _scoped(ctx.batch, Facility, "posyandu", uuid_value(data, "posyandu"))  # type: ignore[arg-type]
    household = registry.household_create(
        user=user,
        uuid=record,
        posyandu=posyandu,
        head_name=text_value(data, "head_name", Household),
        address=text_value(data, "address", Household),
        dusun=text_value(data, "dusun", Household),
        no_kk=text_value(data, "no_kk", Household),
        within=ctx.batch.rows,
    )
    return Outcome(household.uuid)


def _person_register(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    rows = ctx.batch.rows
    posyandu = _scoped(ctx.batch, Facility, "posyandu", uuid_value(data, "posyandu"))  # type: ignore[arg-type]
    household_key = uuid_value(data, "household", required=False)
    mother_key = uuid_value(data, "mother", required=False)
    household = _scoped(ctx.batch, Household, "household", household_key) if household_key else None
    mother = _person(ctx.batch, "mother", mother_key) if mother_key else None
    values: dict[str, Any] = {
        "user": user,
        "uuid": record,
        "posyandu": posyandu,
        "household": household,
        "mother": mother,
        "name": string_value(data, "name"),
        "sex": string_value(data, "sex"),
        "birth_date": date_value(data, "birth_date"),
        "nik": string_value(data, "nik") or None,
        "phone": text_value(data, "phone", Person),
        "has_buku_kia": flag_value(data, "has_buku_kia"),
        "within": rows,
    }
    if rows.find(Person, record) is not None:
        return Outcome(registry.person_register(**values).uuid)  # nothing new written
    note = ""
    candidates = ctx.batch.candidates(values)
    try:
        person = registry.person_register(**values, confirm_not_duplicate=True)
    except InvalidInputError as exc:
        if exc.field != "nik" or exc.code != "taken":
            raise
        # The same NIK is the same person: keep the kader's record without it, for the merge.
        nik = exc.params.get("value", values["nik"])  # as stored (the phone's, cleaned)
        note = _("NIK %(nik)s sent from the phone is already registered.") % {"nik": nik}
        candidates = list(Person.objects.filter(nik=nik))
        person = registry.person_register(**{**values, "nik": None}, confirm_not_duplicate=True)
    ctx.batch.registered(person)
    candidates = [c for c in candidates if c.pk != person.pk]
    if candidates:
        review = SyncReview.objects.create(
            kind=SyncReview.Kind.DUPLICATE,
            posyandu=person.posyandu,
            person=person,
            note=note[:200],
            device=ctx.device,
            user=user,
            event=ctx.event,
        )
        review.candidates.set(candidates)
        audit_record(
            user=user,
            action="sync.duplicate_suspected",
            instance=review,
            changes={"person": person, "candidates": [str(c.uuid) for c in candidates]},
        )
    # She counts from the day she was registered; her visits and facts mark their own days.
    return Outcome(
        person.uuid, marks=((person.posyandu_id, timezone.localdate(person.created_at)),)
    )


def plain(value: Any) -> Any:
    """Return a demographic value as the phone sends it (uuid/date as text)."""
    if isinstance(value, models.Model):
        return str(value.uuid)  # type: ignore[attr-defined]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def typed_changes(
    user: AnyUser, changes: Mapping[str, Any], batch: Batch | None = None
) -> dict[str, Any]:
    """Return person_update's arguments from the phone's JSON values."""
    batch = batch or Batch.of(user)
    typed: dict[str, Any] = {}
    for field in changes:
        if field not in registry.EDITABLE_FIELDS:
            raise Refused(
                field,
                "not_editable",
                _("'%(value)s' is not a field that can be changed here.") % {"value": field},
            )
        if field == "household":
            key = uuid_value(changes, field, required=False)
            typed[field] = _scoped(batch, Household, field, key) if key else None
        elif field == "mother":
            key = uuid_value(changes, field, required=False)
            typed[field] = _person(batch, field, key) if key else None
        elif field == "birth_date":
            typed[field] = date_value(changes, field)
        elif field in ("smoker", "has_buku_kia"):
            typed[field] = flag_value(changes, field)
        elif field == "nik":
            typed[field] = string_value(changes, field) or None
        else:  # name, sex, phone
            typed[field] = string_value(changes, field)
    return typed


def _person_update(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    # Her values as the batch holds them: read in this transaction, and replaced by every
    # write of hers in it (registration, the edit below), so they are her current values.
    person = _person(ctx.batch, "person", record)
    base = data.get("base") or {}
    changes = data.get("changes") or {}
    if not isinstance(base, dict) or not isinstance(changes, dict):
        raise Refused("data", "invalid", _("Event data: 'base' and 'changes' must be objects."))
    typed = typed_changes(user, changes, ctx.batch)
    current = {field: plain(getattr(person, field)) for field in typed}
    clash = tuple(
        field
        for field in typed
        if field in base and base[field] != current[field] and plain(typed[field]) != current[field]
    )
    # The phone's value of a clash is kept for the bidan, who may take it later: it must be
    # one person_update takes (the event is refused otherwise, naming the field).
    rows = ctx.batch.rows
    phone = {
        field: plain(registry_checks.clean_updates(user, person, {field: value}, rows)[field])
        for field, value in typed.items()
        if field in clash
    }
    apply = {field: value for field, value in typed.items() if field not in clash}
    if apply:
        registry.person_update(user=user, person=person, within=rows, **apply)
    for field in clash:
        _conflict(user, person, field, base[field], current[field], phone[field], ctx)
    counted = set(apply) & set(COUNTED_PERSON_FIELDS)
    return Outcome(person.uuid, clash, ((person.posyandu_id, _LIVE_START),) if counted else ())


def _conflict(
    user: AnyUser, person: Person, field: str, base: Any, server: Any, phone: Any, ctx: Context
) -> None:
    """Keep both values of a field edited on two sides, for a bidan to choose (audited)."""
    review = SyncReview.objects.create(
        kind=SyncReview.Kind.CONFLICT,
        posyandu=person.posyandu,
        person=person,
        field=field,
        base_value=base,
        server_value=server,
        phone_value=phone,
        device=ctx.device,
        user=user,
        event=ctx.event,
    )
    audit_record(
        user=user,
        action="sync.conflict",
        instance=review,
        changes={"person": person, "field": field, "base": base, "server": server, "phone": phone},
    )


def _visit_register(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    day: ServiceDay = _scoped(ctx.batch, ServiceDay, "service_day", uuid_value(data, "service_day"))  # type: ignore[arg-type]
    person = _person(ctx.batch, "person", uuid_value(data, "person"))  # type: ignore[arg-type]
    target = ctx.batch.alias(record)
    if target is not None:
        return Outcome(target)
    visit = visits.visit_register(
        user=user, uuid=record, service_day=day, person=person, within=ctx.batch.rows
    )
    if visit.uuid != record:
        # Another phone checked her in that day first: its visit is this one.
        alias = RecordAlias(uuid=record, kind=RecordAlias.Kind.VISIT, target=visit.uuid)
        ctx.batch.alias_add(alias)
        audit_record(
            user=user,
            action="sync.alias",
            instance=alias,
            changes={"kind": alias.kind, "target": visit.uuid, "device": ctx.device},
        )
    return Outcome(visit.uuid, marks=_visit_marks(visit))


def _visit_marks(visit: Visit) -> tuple[tuple[int, dt.date], ...]:
    return ((visit.posyandu_id, visit.date), (visit.person.posyandu_id, visit.date))


def _measurement_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, uuid_value(data, "visit"))  # type: ignore[arg-type]
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise Refused("values", "invalid", _("Event data: 'values' must be an object."))
    row = visits.measurement_record(
        user=user, uuid=record, visit=visit, values=values, within=ctx.batch.rows
    )
    return Outcome(row.uuid, marks=_visit_marks(visit))


def _immunization_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, uuid_value(data, "visit"))  # type: ignore[arg-type]
    dose = visits.immunization_record(
        user=user,
        uuid=record,
        visit=visit,
        vaccine=string_value(data, "vaccine"),
        batch=text_value(data, "batch", ImmunizationGiven),
        within=ctx.batch.rows,
    )
    return Outcome(dose.uuid, marks=_visit_marks(visit))


def _service_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, uuid_value(data, "visit"))  # type: ignore[arg-type]
    given = visits.service_record(
        user=user,
        uuid=record,
        visit=visit,
        code=string_value(data, "code"),
        quantity=quantity_value(data),  # 0 too: the service refuses it, as on the web
        note=text_value(data, "note", ServiceGiven),
        within=ctx.batch.rows,
    )
    return Outcome(given.uuid, marks=_visit_marks(visit))


def _counselling_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, uuid_value(data, "visit"))  # type: ignore[arg-type]
    topics = data.get("topics") or []
    if not isinstance(topics, list):
        raise Refused("topics", "invalid", _("Event data: 'topics' must be a list."))
    visits.counselling_record(
        user=user,
        visit=visit,
        topics=[string_value({"topics": topic}, "topics") for topic in topics],
        within=ctx.batch.rows,
    )
    return Outcome(visit.uuid, marks=_visit_marks(visit))


HANDLERS: dict[str, Handler] = {
    "household.create": _household_create,
    "person.register": _person_register,
    "person.update": _person_update,
    "visit.register": _visit_register,
    "measurement.record": _measurement_record,
    "immunization.record": _immunization_record,
    "service.record": _service_record,
    "counselling.record": _counselling_record,
}
