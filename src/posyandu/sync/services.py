"""Writes of the sync: apply a phone's events through the existing services, resolve reviews.

Each event runs in its own transaction (its receipt is written in the same one, so an
interruption at any point is resumable: an event without a receipt was not applied). No
business rule lives here: the registry and visits services check and write; this module maps
their refusals to results with a stable `code`, the `field` and an Indonesian `reason`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid as uuid_lib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyandu.accounts.scope import AnyUser, is_nakes, posyandu_for
from posyandu.audit.services import audit_record
from posyandu.pws.services import months_since, rollup_refresh_months
from posyandu.pws.signals import rollups_paused
from posyandu.regions.models import Facility
from posyandu.registry import services as registry
from posyandu.registry.errors import DuplicateSuspected, InvalidInputError
from posyandu.registry.models import Household, Person
from posyandu.sync.models import RecordAlias, SyncReceipt, SyncReview
from posyandu.visits import services as visits
from posyandu.visits.models import ServiceDay, Visit

logger = logging.getLogger(__name__)
MAX_EVENTS = 500
# A demographic change may change any live month of the PWS.
_LIVE_START = dt.date(2000, 1, 1)
FINAL = (SyncReceipt.Status.ACCEPTED, SyncReceipt.Status.REJECTED, SyncReceipt.Status.CONFLICT)
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
}


@dataclass
class Result:
    """The answer to one event (docs/adr/0008, "Upload")."""

    id: str
    status: str
    code: str = ""
    reason: str = ""
    field: str = ""
    record: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "code": self.code,
            "reason": self.reason,
            "field": self.field,
            "record": self.record,
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


def _word(field: str) -> str:
    return str(FIELD_WORDS.get(field, field))


def _not_found(field: str, value: object) -> Refused:
    return Refused(
        field,
        "not_found",
        _("%(field)s: '%(value)s' was not found.") % {"field": _word(field), "value": value},
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
                % {"field": _word(field), "value": raw},
            )
        return None
    try:
        return uuid_lib.UUID(str(raw))
    except ValueError:
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not a valid identifier.")
            % {"field": _word(field), "value": raw},
        ) from None


# Rows found during one batch (a visit is named by its check-in, measurement, services and
# counselling); emptied whenever an event fails, so a rolled-back change is never reused.
# (Per thread: a server may run requests in threads.) Persons are never kept: an edit in the
# batch must compare with her current values.
_LOCAL = threading.local()


def _batch() -> dict[tuple[type[models.Model], uuid_lib.UUID], Any]:
    if not hasattr(_LOCAL, "rows"):
        _LOCAL.rows = {}
    rows: dict[tuple[type[models.Model], uuid_lib.UUID], Any] = _LOCAL.rows
    return rows


def _scoped(user: AnyUser, model: type[models.Model], field: str, key: uuid_lib.UUID) -> Any:
    """Return the row `key` of `model` in the user's posyandu; Waiting when it does not exist
    anywhere; Refused (not found) when it exists outside the scope (its data is not shown)."""
    if model is Person:
        return _scoped_query(user, model, field, key)
    cached = _batch().get((model, key))
    if cached is not None:
        return cached
    row = _scoped_query(user, model, field, key)
    _batch()[(model, key)] = row
    return row


def _scoped_query(user: AnyUser, model: type[models.Model], field: str, key: uuid_lib.UUID) -> Any:
    rows = model._default_manager.filter(uuid=key)  # type: ignore[attr-defined]
    if model is Facility:
        scoped = rows.filter(pk__in=posyandu_for(user))
    else:
        scoped = rows.filter(posyandu__in=posyandu_for(user))
    row = scoped.first()
    if row is not None:
        return row
    if rows.exists():
        raise _not_found(field, key)
    raise Waiting(field, str(key))


def _person(user: AnyUser, field: str, key: uuid_lib.UUID) -> Person:
    person: Person = _scoped(user, Person, field, key)
    seen = {person.pk}
    while person.merged_into_id is not None:  # a record merged away lands on the kept one
        person = Person.objects.get(pk=person.merged_into_id)
        if person.pk in seen:
            break
        seen.add(person.pk)
    return person


def _visit(user: AnyUser, key: uuid_lib.UUID) -> Visit:
    cached = _batch().get((Visit, key))
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    alias = RecordAlias.objects.filter(uuid=key, kind=RecordAlias.Kind.VISIT).first()
    visit: Visit = _scoped(user, Visit, "visit", alias.target if alias else key)
    _batch()[(Visit, key)] = visit
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
            % {"field": _word(field), "value": raw},
        ) from None


# --- the handlers, one per event type ------------------------------------------------------


Handler = Callable[[AnyUser, uuid_lib.UUID, Mapping[str, Any], "Context"], Outcome]


@dataclass
class Context:
    device: uuid_lib.UUID
    event: uuid_lib.UUID


def _household_create(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    posyandu = _scoped(user, Facility, "posyandu", _uuid(data, "posyandu"))  # type: ignore[arg-type]
    household = registry.household_create(
        user=user,
        uuid=record,
        posyandu=posyandu,
        head_name=str(data.get("head_name") or ""),
        address=str(data.get("address") or ""),
        dusun=str(data.get("dusun") or ""),
        no_kk=str(data.get("no_kk") or ""),
    )
    return Outcome(household.uuid)


def _person_register(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    posyandu = _scoped(user, Facility, "posyandu", _uuid(data, "posyandu"))  # type: ignore[arg-type]
    household_key = _uuid(data, "household", required=False)
    mother_key = _uuid(data, "mother", required=False)
    household = _scoped(user, Household, "household", household_key) if household_key else None
    mother = _person(user, "mother", mother_key) if mother_key else None
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
        "phone": str(data.get("phone") or ""),
        "has_buku_kia": data.get("has_buku_kia"),
    }
    if Person.objects.filter(uuid=record).exists():
        return Outcome(registry.person_register(**values).uuid)  # nothing new written
    note = ""
    try:
        candidates = registry.duplicate_candidates(user, {**values, "nik": values["nik"]})
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
    return Outcome(person.uuid, marks=((person.posyandu_id, _LIVE_START),))


def plain(value: Any) -> Any:
    """Return a demographic value as the phone sends it (uuid/date as text)."""
    if isinstance(value, models.Model):
        return str(value.uuid)  # type: ignore[attr-defined]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def typed_changes(user: AnyUser, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return person_update's arguments from the phone's JSON values."""
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
            typed[field] = _scoped(user, Household, field, key) if key else None
        elif field == "mother":
            key = _uuid(changes, field, required=False)
            typed[field] = _person(user, field, key) if key else None
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
    person = _person(user, "person", record)
    base = data.get("base") or {}
    changes = data.get("changes") or {}
    if not isinstance(base, dict) or not isinstance(changes, dict):
        raise Refused("data", "invalid", _("Event data: 'base' and 'changes' must be objects."))
    typed = typed_changes(user, changes)
    current = {field: plain(getattr(person, field)) for field in typed}
    clash = tuple(
        field
        for field in typed
        if field in base and base[field] != current[field] and plain(typed[field]) != current[field]
    )
    apply = {field: value for field, value in typed.items() if field not in clash}
    if apply:
        registry.person_update(user=user, person=person, **apply)
    for field in clash:
        review = SyncReview.objects.create(
            kind=SyncReview.Kind.CONFLICT,
            posyandu=person.posyandu,
            person=person,
            field=field,
            base_value=base[field],
            server_value=current[field],
            phone_value=changes[field],
            device=ctx.device,
            user=user,
            event=ctx.event,
        )
        audit_record(
            user=user,
            action="sync.conflict",
            instance=review,
            changes={
                "person": person,
                "field": field,
                "base": base[field],
                "server": current[field],
                "phone": changes[field],
            },
        )
    return Outcome(person.uuid, clash, ((person.posyandu_id, _LIVE_START),) if apply else ())


def _visit_register(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    day: ServiceDay = _scoped(user, ServiceDay, "service_day", _uuid(data, "service_day"))  # type: ignore[arg-type]
    person = _person(user, "person", _uuid(data, "person"))  # type: ignore[arg-type]
    alias = RecordAlias.objects.filter(uuid=record, kind=RecordAlias.Kind.VISIT).first()
    if alias is not None:
        return Outcome(alias.target)
    visit = visits.visit_register(user=user, uuid=record, service_day=day, person=person)
    if visit.uuid != record:
        # Another phone checked her in that day first: its visit is this one.
        alias = RecordAlias.objects.create(
            uuid=record, kind=RecordAlias.Kind.VISIT, target=visit.uuid
        )
        audit_record(
            user=user,
            action="sync.alias",
            instance=alias,
            changes={"kind": alias.kind, "target": visit.uuid, "device": ctx.device},
        )
    _batch()[(Visit, record)] = visit
    return Outcome(visit.uuid, marks=_visit_marks(visit))


def _visit_marks(visit: Visit) -> tuple[tuple[int, dt.date], ...]:
    return ((visit.posyandu_id, visit.date), (visit.person.posyandu_id, visit.date))


def _measurement_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(user, _uuid(data, "visit"))  # type: ignore[arg-type]
    values = data.get("values") or {}
    if not isinstance(values, dict):
        raise Refused("values", "invalid", _("Event data: 'values' must be an object."))
    row = visits.measurement_record(user=user, uuid=record, visit=visit, values=values)
    return Outcome(row.uuid, marks=_visit_marks(visit))


def _immunization_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(user, _uuid(data, "visit"))  # type: ignore[arg-type]
    dose = visits.immunization_record(
        user=user,
        uuid=record,
        visit=visit,
        vaccine=str(data.get("vaccine") or ""),
        batch=str(data.get("batch") or ""),
    )
    return Outcome(dose.uuid, marks=_visit_marks(visit))


def _service_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(user, _uuid(data, "visit"))  # type: ignore[arg-type]
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
        note=str(data.get("note") or ""),
    )
    return Outcome(given.uuid, marks=_visit_marks(visit))


def _counselling_record(
    user: AnyUser, record: uuid_lib.UUID, data: Mapping[str, Any], ctx: Context
) -> Outcome:
    visit = _visit(user, _uuid(data, "visit"))  # type: ignore[arg-type]
    topics = data.get("topics") or []
    if not isinstance(topics, list):
        raise Refused("topics", "invalid", _("Event data: 'topics' must be a list."))
    visits.counselling_record(user=user, visit=visit, topics=[str(t) for t in topics])
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


# --- errors → results -------------------------------------------------------------------------


def _refusal(exc: Exception, event: Mapping[str, Any]) -> Refused:
    """Return the refusal of a service's error, in words naming the field and the value."""
    if isinstance(exc, Refused):
        return exc
    if isinstance(exc, InvalidInputError):
        return Refused(exc.field, exc.code, exc.message)
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
        else:
            field, errors = "data", exc.error_list
        error = errors[0]
        message = str(error.message)
        if error.params:
            message = message % error.params
        return Refused(field, error.code or "invalid", message)
    if isinstance(exc, PermissionDenied):
        said = exc.args[0] if exc.args and isinstance(exc.args[0], Promise) else None
        what = str(said) if said is not None else _("This is outside your area.")
        return Refused(
            "record",
            "forbidden",
            _("%(message)s (%(type)s '%(value)s')")
            % {"message": what, "type": event.get("type"), "value": event.get("record")},
        )
    if isinstance(exc, DuplicateSuspected):
        return Refused("person", "duplicate", exc.message)
    raise exc


# --- the batch --------------------------------------------------------------------------------


class BatchError(ValueError):
    """The batch itself is malformed (not one of its events): answered with 422."""


def _check_event(raw: Any, index: int) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BatchError(_("Event %(n)s is not an object.") % {"n": index + 1})
    for key in ("id", "type", "record", "seq"):
        if raw.get(key) in (None, ""):
            raise BatchError(
                _("Event %(n)s: '%(field)s' is missing.") % {"n": index + 1, "field": key}
            )
    try:
        uuid_lib.UUID(str(raw["id"]))
        uuid_lib.UUID(str(raw["record"]))
        int(raw["seq"])
    except (ValueError, TypeError):
        raise BatchError(
            _("Event %(n)s: 'id', 'record' or 'seq' is not valid (%(value)s).")
            % {"n": index + 1, "value": f"{raw['id']}, {raw['record']}, {raw['seq']}"}
        ) from None
    return raw


def events_ingest(
    *, user: AnyUser, device: uuid_lib.UUID, events: Sequence[Any]
) -> list[dict[str, Any]]:
    """Apply a phone's events in `seq` order; return one result per event, in the given order.

    Raises BatchError (nothing applied) for more than MAX_EVENTS events or a malformed one.
    """
    if len(events) > MAX_EVENTS:
        raise BatchError(
            _("Too many events: %(count)s sent, at most %(max)s per batch.")
            % {"count": len(events), "max": MAX_EVENTS}
        )
    checked = [_check_event(raw, i) for i, raw in enumerate(events)]
    order = sorted(range(len(checked)), key=lambda i: int(checked[i]["seq"]))
    seen = {
        str(r.event): r
        for r in SyncReceipt.objects.filter(event__in=[str(e["id"]) for e in checked])
    }
    results: dict[int, Result] = {}
    marks: dict[int, dt.date] = {}
    _batch().clear()
    # The PWS rollups are refreshed once per batch, not after every event's commit.
    with rollups_paused():
        _apply_all(user, device, checked, order, seen, results, marks)
    _refresh_rollups(marks)
    return [results[i].as_dict() for i in range(len(checked))]


def _apply_all(
    user: AnyUser,
    device: uuid_lib.UUID,
    checked: list[dict[str, Any]],
    order: list[int],
    seen: dict[str, SyncReceipt],
    results: dict[int, Result],
    marks: dict[int, dt.date],
) -> None:
    try:
        for i in order:
            event = checked[i]
            first = seen.get(str(uuid_lib.UUID(str(event["id"]))))
            if first is not None and first.status in FINAL:
                results[i] = _answer(first, duplicate=True)
                continue
            results[i] = _apply(user, device, event, first, marks)
            if results[i].status not in ("accepted", "conflict"):
                _batch().clear()
    finally:
        _batch().clear()


def _refresh_rollups(marks: Mapping[int, dt.date]) -> None:
    """Refresh each marked posyandu's live months (robust: the events are committed)."""
    if not marks:
        return
    today = timezone.localdate()
    places = Facility.objects.select_related("region").in_bulk(list(marks))
    for pk, since in sorted(marks.items()):
        try:
            rollup_refresh_months(posyandu=places[pk], months=months_since(since, today))
        except Exception:  # the next write or `pws_rebuild` repairs the rollup
            logger.exception("PWS refresh of posyandu %s after a sync batch failed", pk)


def _answer(receipt: SyncReceipt, *, duplicate: bool = False) -> Result:
    return Result(
        id=str(receipt.event),
        status="duplicate" if duplicate else receipt.status,
        code=receipt.code,
        reason=receipt.reason,
        field=receipt.field,
        record=str(receipt.result_record) if receipt.result_record else None,
    )


def _apply(
    user: AnyUser,
    device: uuid_lib.UUID,
    event: Mapping[str, Any],
    waiting: SyncReceipt | None,
    marks: dict[int, dt.date],
) -> Result:
    event_id = uuid_lib.UUID(str(event["id"]))
    record = uuid_lib.UUID(str(event["record"]))
    data = event.get("data") or {}
    receipt = waiting or SyncReceipt(event=event_id)
    receipt.device, receipt.user, receipt.type = device, user, str(event["type"])[:40]
    receipt.record, receipt.seq = record, int(event["seq"])
    receipt.at = parse_datetime(str(event.get("at") or "")) if event.get("at") else None
    handler = HANDLERS.get(str(event["type"]))
    try:
        if handler is None:
            raise Refused(
                "type",
                "unknown_type",
                _("Event type: '%(value)s' is not known.") % {"value": event["type"]},
            )
        if not isinstance(data, dict):
            raise Refused(
                "data",
                "invalid",
                _("Event data: '%(value)s' is not an object.") % {"value": str(data)[:40]},
            )
        with transaction.atomic():
            outcome = handler(user, record, data, Context(device, event_id))
            if outcome.conflicts:
                _fill(
                    receipt,
                    SyncReceipt.Status.CONFLICT,
                    "conflict",
                    _("Changed on the server meanwhile; a bidan will choose: %(fields)s.")
                    % {"fields": ", ".join(_word(f) for f in outcome.conflicts)},
                    ",".join(outcome.conflicts),
                    outcome.record,
                    data,
                )
            else:
                _fill(receipt, SyncReceipt.Status.ACCEPTED, "", "", "", outcome.record, None)
            receipt.save()
        for pk, day in outcome.marks:
            marks[pk] = min(day, marks.get(pk, day))
        return _answer(receipt)
    except IntegrityError:
        # The same event was applied by another request meanwhile: answer its result.
        other = SyncReceipt.objects.filter(event=event_id).first()
        if other is None or other.status not in FINAL:
            raise
        return _answer(other, duplicate=True)
    except Waiting as exc:
        _fill(
            receipt,
            SyncReceipt.Status.WAITING,
            "waiting",
            _("%(field)s: '%(value)s' is not on the server yet; it will be sent again.")
            % {"field": _word(exc.field), "value": exc.value},
            exc.field,
            None,
            data,
        )
    except (
        Refused,
        InvalidInputError,
        ValidationError,
        PermissionDenied,
        DuplicateSuspected,
        ObjectDoesNotExist,
    ) as exc:
        if isinstance(exc, ObjectDoesNotExist):
            exc = _not_found("record", record)
        refused = _refusal(exc, event)
        _fill(
            receipt,
            SyncReceipt.Status.REJECTED,
            refused.code,
            refused.reason,
            refused.field,
            None,
            None,
        )
    try:
        with transaction.atomic():
            receipt.save()
    except IntegrityError:  # the same event arrived by another request meanwhile
        return _answer(SyncReceipt.objects.get(event=event_id), duplicate=True)
    return _answer(receipt)


def _fill(
    receipt: SyncReceipt,
    status: str,
    code: str,
    reason: str,
    field: str,
    result: uuid_lib.UUID | None,
    data: Any,
) -> None:
    receipt.status, receipt.code, receipt.reason, receipt.field = status, code, reason, field[:80]
    receipt.result_record, receipt.data = result, data


# --- the bidan's review -----------------------------------------------------------------------


def _require_reviewer(user: AnyUser, review: SyncReview) -> None:
    if not is_nakes(user) or not posyandu_for(user).filter(pk=review.posyandu_id).exists():
        raise PermissionDenied("only a health worker of this posyandu may resolve this")


def conflict_resolve(*, user: AnyUser, review: SyncReview, keep: str) -> SyncReview:
    """Resolve a conflicting edit: keep the server's value or take the phone's (through
    person_update); resolving again changes nothing."""
    if keep not in (SyncReview.Resolution.SERVER, SyncReview.Resolution.PHONE):
        raise Refused(
            "keep", "invalid", _("Choice: '%(value)s' is not server or phone.") % {"value": keep}
        )
    with transaction.atomic():
        review = SyncReview.objects.select_for_update().get(pk=review.pk)
        _require_reviewer(user, review)
        if review.kind != SyncReview.Kind.CONFLICT:
            raise Refused("review", "kind", _("This item is not a conflicting edit."))
        if review.resolved_at is not None:
            return review
        chosen = review.server_value if keep == SyncReview.Resolution.SERVER else review.phone_value
        if keep == SyncReview.Resolution.PHONE:
            typed = typed_changes(user, {review.field: review.phone_value})
            registry.person_update(user=user, person=review.person, **typed)
        review.resolution, review.resolved_value = keep, chosen
        review.resolved_by, review.resolved_at = user, timezone.now()
        review.save(
            update_fields=[
                "resolution",
                "resolved_value",
                "resolved_by",
                "resolved_at",
                "updated_at",
            ]
        )
        audit_record(
            user=user,
            action="sync.conflict_resolve",
            instance=review,
            changes={"field": review.field, "keep": keep, "value": chosen},
        )
    return review


def duplicate_dismiss(*, user: AnyUser, review: SyncReview) -> SyncReview:
    """Close a possible-duplicate item the bidan found to be two persons (or merged)."""
    with transaction.atomic():
        review = SyncReview.objects.select_for_update().get(pk=review.pk)
        _require_reviewer(user, review)
        if review.resolved_at is not None:
            return review
        review.resolution = SyncReview.Resolution.DISMISSED
        review.resolved_by, review.resolved_at = user, timezone.now()
        review.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
        audit_record(
            user=user, action="sync.duplicate_dismiss", instance=review, changes={"dismissed": True}
        )
    return review
