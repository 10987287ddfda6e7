"""The values of a phone's upload, read and refused by name (docs/adr/0008, "Upload").

An event's data is JSON made by the phone: any field may hold any JSON value. Each reader
returns the value the services take, or refuses the event (`Refused`) with a reason in Bahasa
Indonesia naming the field and the value: a malformed value is answered for its event alone,
never stored as its Python spelling nor left to fail the batch at the database (a 500 would
stop the phone's sync for good). A malformed envelope (the device, the list of events, an
event's `id`, `type`, `record`, `seq` or `at`) refuses the whole batch (`BatchError`, 422),
in words too.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuid_lib
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    "name": gettext_lazy("Name"),
    "sex": gettext_lazy("Sex"),
    "nik": gettext_lazy("NIK"),
    "smoker": gettext_lazy("Smokes"),
    "has_buku_kia": gettext_lazy("Has a Buku KIA (mother and child health book)"),
    "vaccine": gettext_lazy("Vaccine"),
    "code": gettext_lazy("Code"),
    "topics": gettext_lazy("Topics talked about"),
    "device": gettext_lazy("Device"),
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


def word(field: str) -> str:
    """Return the words of a field a reason names."""
    return str(FIELD_WORDS.get(field, field))


def shown(raw: Any) -> str:
    """Return a value the phone sent as a reason quotes it: as JSON when it is not text (a
    list reads `["A", "B"]`, not Python's spelling), cut short."""
    if isinstance(raw, str):
        return raw[:40]
    try:
        return json.dumps(raw, ensure_ascii=False)[:40]
    except (TypeError, ValueError):
        return str(raw)[:40]


def not_found(field: str, value: object) -> Refused:
    """Return the refusal of a uuid outside the user's posyandu (or of a record gone)."""
    return Refused(
        field,
        "not_found",
        _("%(field)s: '%(value)s' was not found.") % {"field": word(field), "value": value},
    )


def uuid_value(
    data: Mapping[str, Any], field: str, *, required: bool = True
) -> uuid_lib.UUID | None:
    """Return the uuid `field` of the event (None when not sent and not required)."""
    raw = data.get(field)
    if raw is None or raw == "":
        if required:
            raise Refused(
                field,
                "required",
                _("%(field)s: no value was sent ('%(value)s').")
                % {"field": word(field), "value": raw},
            )
        return None
    if isinstance(raw, uuid_lib.UUID):
        return raw
    try:
        if not isinstance(raw, str):
            raise ValueError(raw)
        return uuid_lib.UUID(raw)
    except ValueError:
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not a valid identifier.")
            % {"field": word(field), "value": shown(raw)},
        ) from None


def date_value(data: Mapping[str, Any], field: str) -> dt.date:
    """Return the date `field` of the event (YYYY-MM-DD)."""
    raw = data.get(field)
    try:
        if not isinstance(raw, str):  # 20240101 is no date the phone writes
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not a date (YYYY-MM-DD).")
            % {"field": word(field), "value": shown(raw)},
        ) from None


def string_value(data: Mapping[str, Any], field: str) -> str:
    """Return the text `field` of the event ("" when not sent); refused when it is not text
    (a number or a list must not be stored as its Python spelling)."""
    raw = data.get(field)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not text.") % {"field": word(field), "value": shown(raw)},
        )
    return raw


def text_value(data: Mapping[str, Any], field: str, model: type[models.Model]) -> str:
    """Return the text `field` of the event, refused when longer than the column that keeps it
    (a too-long value must not fail the whole batch at the database)."""
    value = string_value(data, field)
    limit = getattr(model._meta.get_field(field), "max_length", None)
    if limit is not None and len(value) > limit:
        raise Refused(
            field,
            "too_long",
            _("%(field)s: '%(value)s…' is longer than %(limit)d characters.")
            % {"field": word(field), "value": value[:20], "limit": limit},
        )
    return value


def flag_value(data: Mapping[str, Any], field: str) -> bool | None:
    """Return the yes/no `field` of the event (None when not sent: not known)."""
    raw = data.get(field)
    if raw is None or raw == "":
        return None
    if not isinstance(raw, bool):
        raise Refused(
            field,
            "invalid",
            _("%(field)s: '%(value)s' is not yes or no.")
            % {"field": word(field), "value": shown(raw)},
        )
    return raw


def quantity_value(data: Mapping[str, Any]) -> int | None:
    """Return the `quantity` of the event as sent (None when not sent): a fraction is
    refused, never cut to a whole number; 0 is passed on, for the service to refuse it."""
    raw = data.get("quantity")
    if raw is None or raw == "":
        return None
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        try:
            return int(raw)  # "2.7" is refused below
        except ValueError:
            pass
    raise Refused(
        "quantity",
        "invalid",
        _("Quantity: '%(value)s' is not a whole number.") % {"value": shown(raw)},
    )


# --- the envelope of the events: refused for the whole batch -------------------------------


class BatchError(ValueError):
    """The batch itself is malformed (not one of its events): answered with 422."""


# `seq` is kept in a signed 64-bit column.
SEQ_LIMIT = 2**63


def envelope(raw: Any, index: int) -> dict[str, Any]:
    """Return the event (the `index`th of its batch) with its `seq` (an int) and `at` (an
    aware datetime or None) read; BatchError when its envelope is malformed."""
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
        seq = _seq(raw["seq"])
    except (ValueError, TypeError, OverflowError):
        raise BatchError(
            _("Event %(n)s: 'id', 'record' or 'seq' is not valid (%(value)s).")
            % {
                "n": index + 1,
                "value": ", ".join(shown(raw[key]) for key in ("id", "record", "seq")),
            }
        ) from None
    return {**raw, "seq": seq, "at": _at(raw.get("at"), index)}


def _seq(raw: Any) -> int:
    """Return the event's `seq`: a whole number from 0 to below SEQ_LIMIT (ValueError,
    TypeError or OverflowError otherwise; 2.5 is not cut to 2)."""
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise ValueError(raw)
    if not isinstance(raw, int | float | str):
        raise TypeError(raw)
    seq = int(raw)  # OverflowError for an infinite float
    if not 0 <= seq < SEQ_LIMIT:
        raise ValueError(raw)
    return seq


def _at(raw: Any, index: int) -> dt.datetime | None:
    """Return the phone's time of the event (None when not sent); one without a time zone is
    taken as the server's local time."""
    if raw is None or raw == "":
        return None
    try:
        if not isinstance(raw, str):
            raise TypeError(raw)
        moment = parse_datetime(raw)  # ValueError for 2026-02-30T10:00:00
        if moment is None:
            raise ValueError(raw)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment.astimezone(dt.UTC)  # as stored: OverflowError at the ends of time
    except (ValueError, TypeError, OverflowError):
        raise BatchError(
            _("Event %(n)s: 'at' is not a date and time (%(value)s).")
            % {"n": index + 1, "value": shown(raw)}
        ) from None
    return moment


def device_value(raw: Any) -> uuid_lib.UUID:
    """Return the uploading phone's uuid; BatchError when it is not one."""
    if isinstance(raw, uuid_lib.UUID):
        return raw
    try:
        if not isinstance(raw, str):
            raise TypeError(raw)
        return uuid_lib.UUID(raw)
    except (ValueError, TypeError):
        raise BatchError(
            _("%(field)s: '%(value)s' is not a valid identifier.")
            % {"field": word("device"), "value": shown(raw)}
        ) from None
