"""The event handlers of the sync: resolve the uuids an event names, call the service it means.

No business rule lives here: the registry and visits services check and write. A handler
resolves the phone's uuids through the batch (`Batch`), which reads the rows the whole upload
names once (`Batch.prefetch`) and keeps what its events write, so the events after one find
them without a query. A uuid that exists nowhere means the event must wait (`Waiting`); one
outside the user's posyandu is refused as not found, without showing its data.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyandu.accounts.scope import AnyUser
from posyandu.audit.services import audit_record
from posyandu.pws.signals import COUNTED_PERSON_FIELDS
from posyandu.regions.models import Facility
from posyandu.registry import services as registry
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.models import Household, Person
from posyandu.sync.batch import Batch
from posyandu.sync.models import RecordAlias, SyncReview
from posyandu.visits import services as visits
from posyandu.visits.models import ImmunizationGiven, ServiceDay, ServiceGiven, Visit

# A demographic change may change any live month of the PWS.
_LIVE_START = dt.date(2000, 1, 1)
# Words of the fields a reason may name (the services name most of them already).
FIELD_WORDS: dict[str, Promise] = {
    "posyandu": gettext_lazy("Posyandu"),
    "household": gettext_lazy("Household"),
    "mother": gettext_lazy("Mother"),
    "person": gettext_lazy("Person"),
    "service_day": gettext_lazy("Service day"),
    "visit": gettext_lazy("Visit"),
    "birth_date": gettext_lazy("Date of birth"),
    "type": gettext_lazy("Event type"),
    "data": gettext_lazy("Event data"),
    "head_name": gettext_lazy("Head of household"),
    "address": gettext_lazy("Address"),
    "dusun": gettext_lazy("Dusun"),
    "no_kk": gettext_lazy("KK number"),
    "phone": gettext_lazy("Phone"),
    "batch": gettext_lazy("Vaccine lot number"),
    "note": gettext_lazy("Note"),
}


class Refused(Exception):  # noqa: N818 - a result status, not a crash
    """The event cannot be applied: `field`, `code` and the `reason` in words."""

    def __init__(self, field: str, code: str, reason: str) -> None:
        super().__init__(f"{field}: {code}")
        self.field, self.code, self.reason = field, code, reason


class Waiting(Exception):  # noqa: N818 - a result status, not a crash
    """A record the event names is not on the server (yet)."""

    def __init__(self, field: str, value: str) -> None:
        super().__init__(f"{field}: {value}")
        self.field, self.value = field, value


@dataclass
class Outcome:
    """What a handler did: the server's uuid of the record, and conflicting fields if any."""

    record: uuid_lib.UUID
    conflicts: tuple[str, ...] = ()
    # (posyandu id, earliest day) whose PWS rollups the event changed (refreshed per batch).
    marks: tuple[tuple[int, dt.date], ...] = ()


def word(field: str) -> str:
    """Return the words of a field a reason names."""
    return str(FIELD_WORDS.get(field, field))


def not_found(field: str, value: object) -> Refused:
    """Return the refusal of a uuid outside the user's posyandu (or of a record gone)."""
    return Refused(
        field,
        "not_found",
        _("%(field)s: '%(value)s' was not found.") % {"field": word(field), "value": value},
    )


# --- resolving the uuids an event names ------------------------------------------------------


def _uuid(data: Mapping[str, Any], field: str, *, required: bool = True) -> uuid_lib.UUID | None:
    raw = data.get(field)
    if raw in (None, ""):
        if required:
            raise Refused(
                field,
                "required",
                _("%(field)s: no value was sent ('%(value)s').")
                % {"field": word(field), "value": raw},
            )
        return None
    try:
        return uuid_lib.UUID(str(raw))
    except ValueError:
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not a valid identifier.")
            % {"field": word(field), "value": raw},
        ) from None


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


def _date(data: Mapping[str, Any], field: str) -> dt.date:
    raw = data.get(field)
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not a date (YYYY-MM-DD).")
            % {"field": word(field), "value": raw},
        ) from None


def _text(data: Mapping[str, Any], field: str, model: type[models.Model]) -> str:
    """Return the text `field` of the event, refused when longer than the column that keeps it
    (a too-long value must not fail the whole batch at the database)."""
    value = str(data.get(field) or "")
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit is not None and len(value) > limit:
        raise Refused(
            field,
            "too_long",
            _("%(field)s: '%(value)s…' is longer than %(limit)d characters.")
            % {"field": word(field), "value": value[:20], "limit": limit},
        )
    return value


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
    posyandu = _scoped(ctx.batch, Facility, "posyandu", _uuid(data, "posyandu"))  # type: ignore[arg-type]
    household = registry.household_create(
        user=user,
        uuid=record,
        posyandu=posyandu,
        head_name=_text(data, "head_name", Household),
        address=_text(data, "address", Household),
        dusun=_text(data, "dusun", Household),
        no_kk=_text(data, "no_kk", Household),
        within=ctx.batch.rows,
    )
    return Outcome(household.uuid)


def _person_register(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    rows = ctx.batch.rows
    posyandu = _scoped(ctx.batch, Facility, "posyandu", _uuid(data, "posyandu"))  # type: ignore[arg-type]
    household_key = _uuid(data, "household", required=False)
    mother_key = _uuid(data, "mother", required=False)
    household = _scoped(ctx.batch, Household, "household", household_key) if household_key else None
    mother = _person(ctx.batch, "mother", mother_key) if mother_key else None
    values: dict[str, Any] = {
        "user": user,
        "uuid": record,
        "posyandu": posyandu,
        "household": household,
        "mother": mother,
        "name": str(data.get("name") or ""),
        "sex": str(data.get("sex") or ""),
        "birth_date": _date(data, "birth_date"),
        "nik": data.get("nik") or None,
        "phone": _text(data, "phone", Person),
        "has_buku_kia": data.get("has_buku_kia"),
        "within": rows,
    }
    if rows.find(Person, record) is not None:
        return Outcome(registry.person_register(**values).uuid)  # nothing new written
    note = ""
    try:
        candidates = ctx.batch.candidates(values)
    except Exception:
        candidates = []
    try:
        person = registry.person_register(**values, confirm_not_duplicate=True)
    except InvalidInputError as exc:
        if exc.field != "nik" or exc.code != "taken":
            raise
        # The same NIK is the same person: keep the kader's record without it, for the merge.
        note = _("NIK %(nik)s sent from the phone is already registered.") % {"nik": values["nik"]}
        candidates = list(Person.objects.filter(nik=values["nik"]))
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
    for field, raw in changes.items():
        if field not in registry.EDITABLE_FIELDS:
            raise Refused(
                field,
                "not_editable",
                _("'%(value)s' is not a field that can be changed here.") % {"value": field},
            )
        if field == "household":
            key = _uuid(changes, field, required=False)
            typed[field] = _scoped(batch, Household, field, key) if key else None
        elif field == "mother":
            key = _uuid(changes, field, required=False)
            typed[field] = _person(batch, field, key) if key else None
        elif field == "birth_date":
            typed[field] = _date(changes, field)
        elif field in ("name", "phone", "sex"):
            typed[field] = str(raw or "")
        else:
            typed[field] = raw if raw != "" else None
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
    apply = {field: value for field, value in typed.items() if field not in clash}
    if apply:
        registry.person_update(user=user, person=person, within=ctx.batch.rows, **apply)
    for field in clash:
        _conflict(user, person, field, base[field], current[field], changes[field], ctx)
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
    day: ServiceDay = _scoped(ctx.batch, ServiceDay, "service_day", _uuid(data, "service_day"))  # type: ignore[arg-type]
    person = _person(ctx.batch, "person", _uuid(data, "person"))  # type: ignore[arg-type]
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
    visit = _visit(ctx.batch, _uuid(data, "visit"))  # type: ignore[arg-type]
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
    visit = _visit(ctx.batch, _uuid(data, "visit"))  # type: ignore[arg-type]
    dose = visits.immunization_record(
        user=user,
        uuid=record,
        visit=visit,
        vaccine=str(data.get("vaccine") or ""),
        batch=_text(data, "batch", ImmunizationGiven),
        within=ctx.batch.rows,
    )
    return Outcome(dose.uuid, marks=_visit_marks(visit))


def _service_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, _uuid(data, "visit"))  # type: ignore[arg-type]
    quantity = data.get("quantity")
    if quantity not in (None, ""):
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            raise Refused(
                "quantity",
                "invalid",
                _("Quantity: '%(value)s' is not a whole number.") % {"value": quantity},
            ) from None
    given = visits.service_record(
        user=user,
        uuid=record,
        visit=visit,
        code=str(data.get("code") or ""),
        quantity=quantity or None,
        note=_text(data, "note", ServiceGiven),
        within=ctx.batch.rows,
    )
    return Outcome(given.uuid, marks=_visit_marks(visit))


def _counselling_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(ctx.batch, _uuid(data, "visit"))  # type: ignore[arg-type]
    topics = data.get("topics") or []
    if not isinstance(topics, list):
        raise Refused("topics", "invalid", _("Event data: 'topics' must be a list."))
    visits.counselling_record(
        user=user, visit=visit, topics=[str(t) for t in topics], within=ctx.batch.rows
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
