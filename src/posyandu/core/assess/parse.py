"""Parse the assessment input (ASSESS.md, "Input") into an `AssessmentInput`.

`parse_input` turns a JSON-like mapping into an `AssessmentInput`, rejecting bad input with an
InputError whose field is a dotted path (`measurements[1].weight_kg: 'abc' is not a number`).
Fields are checked in a fixed order, so an input with several faults always names the same one.

The converters say what is wrong with a value; the reader adds the field's name, and only
when something is wrong: a good input, the usual case, builds no names at all.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, Literal, TypeVar, get_type_hints

from posyandu.core.assess.model import AssessmentInput, Dose, MeasurementRecord, Person, Sex
from posyandu.core.errors import InputError

T = TypeVar("T")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROVINCE = re.compile(r"\d{2}")
# The JSON keys are the model's fields, so the parser and the model cannot drift apart.
_TOP_KEYS = frozenset(AssessmentInput._fields)
_PERSON_KEYS = frozenset(Person._fields)
_RECORD_KEYS = frozenset(MeasurementRecord._fields)
_NUMBER_KEYS = tuple(
    name for name, hint in get_type_hints(MeasurementRecord).items() if hint == float | None
)
_DOSE_KEYS = frozenset(Dose._fields)
# A pregnancy lasts at most about 42 weeks; 45 leaves room for a late-recorded count.
_MAX_GESTATIONAL_WEEKS = 45
_INF = math.inf
# The exact types whose values `_Reader.choice` may take at once (not their subclasses).
_PLAIN = frozenset({str, bool})
# Whole numbers below this convert to a finite float (above it, `_positive` says why not).
_BIG_INT = 2**1000


class _BadValueError(Exception):
    """What is wrong with a value, before the reader names its field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_Convert = Callable[[object], T]
# Where an object is: its dotted path, or (the list's path, the index) for a list item, which
# is written out only when the item is refused.
_Path = str | tuple[str, int]


def _path_text(path: _Path) -> str:
    return path if isinstance(path, str) else f"{path[0]}[{path[1]}]"


class _Reader:
    """Read typed values out of one JSON object, naming each field by its dotted path."""

    __slots__ = ("obj", "path")

    def __init__(self, obj: object, path: _Path, keys: frozenset[str]) -> None:
        if type(obj) is not dict and not isinstance(obj, Mapping):
            raise InputError(_path_text(path) or "input", f"{_show(obj)} is not an object")
        if not keys.issuperset(obj):
            for key in obj:  # the first unknown key, in the input's order
                if key not in keys:
                    raise InputError(self._join(path, str(key)), "unknown field")
        self.obj: Mapping[str, object] = obj
        self.path = path

    @staticmethod
    def _join(path: _Path, key: str) -> str:
        text = _path_text(path)
        return f"{text}.{key}" if text else key

    def name(self, key: str) -> str:
        """Return the dotted path of `key`."""
        return self._join(self.path, key)

    def get(self, key: str, convert: _Convert[T]) -> T | None:
        """Return the converted value of `key`, or None when it is missing or null."""
        value = self.obj.get(key)
        return None if value is None else self.convert(key, value, convert)

    def convert(self, key: str, value: object, convert: _Convert[T]) -> T:
        """Return `convert(value)`; raise InputError naming `key` when it is refused."""
        try:
            return convert(value)
        except _BadValueError as exc:
            raise InputError(self.name(key), exc.message) from None

    def need(self, key: str, convert: _Convert[T]) -> T:
        """Return the converted value of `key`; raise InputError when it is missing or null."""
        value = self.get(key, convert)
        if value is None:
            raise InputError(self.name(key), "is required")
        return value

    def items(self, key: str) -> tuple[str, list[object]]:
        """Return the path and the items of a list field; a missing list is empty."""
        value = self.obj.get(key)
        if value is None:
            return key, []
        if not isinstance(value, list):
            raise InputError(self.name(key), f"{_show(value)} is not a list")
        return self.name(key), value

    def date(self, key: str) -> dt.date:
        """Return the date of a required field (`need(key, _date)`, quicker when it is good)."""
        value = self.obj.get(key)
        day = _iso_date(value) if type(value) is str else None
        return self.need(key, _date) if day is None else day

    def choice(self, key: str, convert: _Convert[T], good: frozenset[object]) -> T | None:
        """Return `get(key, convert)`, at once when the value is None or one of `good`
        (values that `convert` returns as they are: the usual ones)."""
        value = self.obj.get(key)
        if value is None or (type(value) in _PLAIN and value in good):
            return value  # type: ignore[return-value]
        return self.convert(key, value, convert)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _date(value: object) -> dt.date:
    if isinstance(value, str):
        day = _iso_date(value)
        if day is not None:
            return day
    raise _BadValueError(f"{_show(value)} is not a valid date")


# Room for every day of a century (birth dates too): ~5 MB when full.
@lru_cache(maxsize=1 << 15)
def _iso_date(text: str) -> dt.date | None:
    """Return the date of 'YYYY-MM-DD', or None (records share their days: read each once)."""
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def _positive(value: object) -> float:
    if type(value) is float and 0.0 < value < _INF:  # the usual case, checked first
        return value
    # bool is an int in Python, but `true` is not a number in a form.
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise _BadValueError(f"{_show(value)} is not a number")
    if value <= 0:
        raise _BadValueError(f"must be above 0, got {_show(value)}")
    try:
        return float(value)
    except OverflowError:  # a JSON whole number of hundreds of digits
        raise _BadValueError(f"{_show(value)} is too large") from None


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _BadValueError(f"{_show(value)} is not true or false")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise _BadValueError(f"{_show(value)} is not a string")
    return value


def _one_of(options: Mapping[str, T]) -> _Convert[T]:
    """Return a converter that accepts exactly the keys of `options`."""
    listed = " or ".join(repr(c) for c in options)

    def convert(value: object) -> T:
        if not isinstance(value, str) or value not in options:
            raise _BadValueError(f"{_show(value)} is not {listed}")
        return options[value]

    return convert


_SEX: _Convert[Sex] = _one_of({"M": "M", "F": "F"})
# The values the converters below return as they are (`_Reader.choice`).
_MEASURES: frozenset[object] = frozenset({"l", "h"})
_GLUCOSE_KINDS: frozenset[object] = frozenset({"random", "fasting"})
_BOOLS: frozenset[object] = frozenset({True, False})
_MEASURE: _Convert[Literal["l", "h"]] = _one_of({"l": "l", "h": "h"})
_GLUCOSE_KIND: _Convert[Literal["random", "fasting"]] = _one_of(
    {"random": "random", "fasting": "fasting"}
)


def _province(value: object) -> str:
    if not isinstance(value, str) or not _PROVINCE.fullmatch(value):
        raise _BadValueError(f"{_show(value)} is not a 2-digit province code")
    return value


def _weeks(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadValueError(f"{_show(value)} is not a whole number")
    if not 0 <= value <= _MAX_GESTATIONAL_WEEKS:
        raise _BadValueError(f"must be 0 to {_MAX_GESTATIONAL_WEEKS}, got {value}")
    return value


def parse_input(obj: Mapping[str, Any]) -> AssessmentInput:
    """Return the AssessmentInput of a JSON-like mapping; raise InputError naming the field."""
    top = _Reader(obj, "", _TOP_KEYS)
    as_of = top.date("as_of")
    person = _parse_person(top.obj.get("person"), as_of)
    birth_date = person.birth_date
    # Lists made by comprehension, then frozen: quicker than tuple() over a generator.
    name, items = top.items("measurements")
    records = [_parse_record((name, i), item, birth_date) for i, item in enumerate(items)]
    name, items = top.items("immunizations")
    doses = [_parse_dose((name, i), item) for i, item in enumerate(items)]
    name, items = top.items("symptoms")
    symptoms = [_symptom((name, i), item) for i, item in enumerate(items)]
    record_id = top.obj.get("id")
    return AssessmentInput(
        as_of=as_of,
        person=person,
        id=record_id if type(record_id) is str else top.get("id", _text),
        measurements=tuple(records),
        immunizations=tuple(doses),
        symptoms=tuple(symptoms),
    )


def _symptom(path: _Path, item: object) -> str:
    if type(item) is str:
        return item
    try:
        return _text(item)
    except _BadValueError as exc:
        raise InputError(_path_text(path), exc.message) from None


def _parse_person(obj: object, as_of: dt.date) -> Person:
    if obj is None:
        raise InputError("person", "is required")
    r = _Reader(obj, "person", _PERSON_KEYS)
    sex = r.need("sex", _SEX)
    birth_date = r.date("birth_date")
    if birth_date > as_of:
        raise InputError(r.name("birth_date"), f"{birth_date.isoformat()} is after as_of")
    person = Person(
        sex=sex,
        birth_date=birth_date,
        pregnant=r.choice("pregnant", _bool, _BOOLS),
        gestational_weeks=r.get("gestational_weeks", _weeks),
        delivery_date=r.get("delivery_date", _date),
        smoker=r.choice("smoker", _bool, _BOOLS),
        province_code=r.get("province_code", _province),
    )
    _check_person(r, person)
    return person


def _check_person(r: _Reader, person: Person) -> None:
    if person.sex == "M" and (person.pregnant or person.delivery_date is not None):
        key = "pregnant" if person.pregnant else "delivery_date"
        raise InputError(r.name(key), "is given for a person of sex 'M'")
    if person.delivery_date is not None and person.delivery_date < person.birth_date:
        raise InputError(r.name("delivery_date"), "is before person.birth_date")


def _parse_record(path: _Path, obj: object, birth_date: dt.date) -> MeasurementRecord:
    r = _Reader(obj, path, _RECORD_KEYS)
    day = r.date("date")
    if day < birth_date:
        raise InputError(r.name("date"), f"{day.isoformat()} is before person.birth_date")
    numbers = _numbers(r)
    if numbers["length_cm"] is not None and numbers["height_cm"] is not None:
        # One record is one measurement; two values would leave the z-score to a guess.
        raise InputError(r.name("height_cm"), "give length_cm or height_cm, not both")
    sbp, dbp = numbers["sbp_mmhg"], numbers["dbp_mmhg"]
    if sbp is not None and dbp is not None and dbp >= sbp:
        raise InputError(r.name("dbp_mmhg"), f"must be below sbp_mmhg ({sbp:g}), got {dbp:g}")
    return MeasurementRecord(
        date=day,
        measure=r.choice("measure", _MEASURE, _MEASURES),
        oedema=r.choice("oedema", _bool, _BOOLS),
        glucose_kind=r.choice("glucose_kind", _GLUCOSE_KIND, _GLUCOSE_KINDS),
        **numbers,
    )


def _numbers(r: _Reader) -> dict[str, float | None]:
    """Return every number field of a record, None where missing, in the fields' order."""
    get = r.obj.get
    numbers: dict[str, float | None] = {}
    for key in _NUMBER_KEYS:
        value = get(key)
        if value is None or (type(value) is float and 0.0 < value < _INF):
            numbers[key] = value
        elif type(value) is int and 0 < value < _BIG_INT:  # a whole number, as typed
            numbers[key] = float(value)
        else:
            numbers[key] = r.convert(key, value, _positive)
    return numbers


def _parse_dose(path: _Path, obj: object) -> Dose:
    r = _Reader(obj, path, _DOSE_KEYS)
    vaccine = r.obj.get("vaccine")
    if type(vaccine) is not str:
        vaccine = r.need("vaccine", _text)
    return Dose(vaccine=vaccine, date=r.date("date"))
