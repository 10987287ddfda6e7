"""The assessment's input and output: frozen dataclasses, the parser and the JSON form.

The shapes are the contract of ASSESS.md ("Input", "Output"). `parse_input` turns a JSON-like
mapping into an `AssessmentInput`, rejecting bad input with an InputError whose field is a
dotted path (`measurements[1].weight_kg: 'abc' is not a number`); `assessment_to_dict` gives
the Assessment back as the JSON of the contract.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Any, Literal, TypeVar

from posyandu.core.assess.immunisation import DueDose
from posyandu.core.assess.packages import ServiceDue
from posyandu.core.dates import Age
from posyandu.core.errors import InputError

Sex = Literal["M", "F"]
T = TypeVar("T")


@dataclass(frozen=True)
class Person:
    """Who is assessed; every field but sex and birth date may be unknown (None)."""

    sex: Sex
    birth_date: dt.date
    pregnant: bool | None = None
    gestational_weeks: int | None = None
    delivery_date: dt.date | None = None
    smoker: bool | None = None
    province_code: str | None = None

    @property
    def is_pregnant(self) -> bool:
        """Return True only when pregnancy is recorded; unknown is not pregnant."""
        return self.pregnant is True


@dataclass(frozen=True)
class MeasurementRecord:
    """What was measured on one day; a value not taken is None."""

    date: dt.date
    weight_kg: float | None = None
    length_cm: float | None = None
    height_cm: float | None = None
    measure: Literal["l", "h"] | None = None
    headc_cm: float | None = None
    muac_cm: float | None = None
    oedema: bool | None = None
    waist_cm: float | None = None
    sbp_mmhg: float | None = None
    dbp_mmhg: float | None = None
    glucose_mg_dl: float | None = None
    glucose_kind: Literal["random", "fasting"] | None = None
    hb_g_dl: float | None = None

    @property
    def lenhei_cm(self) -> float | None:
        """Return the length or height, whichever field holds it (the parser allows one)."""
        return self.length_cm if self.length_cm is not None else self.height_cm


@dataclass(frozen=True)
class Dose:
    """One immunisation given."""

    vaccine: str
    date: dt.date


@dataclass(frozen=True)
class AssessmentInput:
    """One person on one day, with everything recorded about them."""

    as_of: dt.date
    person: Person
    id: str | None = None
    measurements: tuple[MeasurementRecord, ...] = ()
    immunizations: tuple[Dose, ...] = ()
    symptoms: tuple[str, ...] = ()


@dataclass(frozen=True)
class GrowthStatus:
    """One growth indicator: its z-score (for MUAC, its value in cm) and its class."""

    value: float
    class_code: str | None


@dataclass(frozen=True)
class Finding:
    """A finding code with the citation of the rule that raised it."""

    code: str
    basis: str


@dataclass(frozen=True)
class Assessment:
    """What a kader and a nakes must see for one person on one day (ASSESS.md, "Output")."""

    id: str | None
    as_of: dt.date
    age: Age
    stages: tuple[str, ...]
    growth: Mapping[str, GrowthStatus]
    weight_trend: str | None
    findings: tuple[str, ...]
    immunizations_due: tuple[DueDose, ...]
    services_due: tuple[ServiceDue, ...]
    refer: bool
    referral_reasons: tuple[str, ...]
    basis: Mapping[str, str]
    rules_version: str

    def __post_init__(self) -> None:
        # Freeze the mappings too, so an Assessment cannot be edited after the fact.
        object.__setattr__(self, "growth", MappingProxyType(dict(self.growth)))
        object.__setattr__(self, "basis", MappingProxyType(dict(self.basis)))


def latest_record(
    records: Iterable[MeasurementRecord],
    as_of: dt.date,
    holds: Callable[[MeasurementRecord], bool],
) -> MeasurementRecord | None:
    """Return the latest record on or before `as_of` that `holds` its inputs, else None.

    Two records of the same day: the later one in the input wins, as a correction would.
    """
    chosen: MeasurementRecord | None = None
    for record in records:
        if (
            record.date <= as_of
            and holds(record)
            and (chosen is None or record.date >= chosen.date)
        ):
            chosen = record
    return chosen


def latest_first(records: Iterable[MeasurementRecord], as_of: dt.date) -> list[MeasurementRecord]:
    """Return the records on or before `as_of`, latest first (of one day, the later in the input
    first): the first of them that holds an indicator's inputs is its `latest_record`.

    For rules that look up several indicators in one history: sort once, then take the first.
    """
    recent = [record for record in records if record.date <= as_of]
    recent.reverse()
    recent.sort(key=_record_date, reverse=True)  # stable: same-day records stay later-first
    return recent


def _record_date(record: MeasurementRecord) -> dt.date:
    return record.date


# --- parsing -------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_PROVINCE = re.compile(r"\d{2}")
# The JSON keys are the dataclass fields, so the parser and the model cannot drift apart.
_TOP_KEYS = tuple(f.name for f in fields(AssessmentInput))
_PERSON_KEYS = tuple(f.name for f in fields(Person))
_RECORD_KEYS = tuple(f.name for f in fields(MeasurementRecord))
_NUMBER_KEYS = tuple(f.name for f in fields(MeasurementRecord) if f.type == "float | None")
_DOSE_KEYS = tuple(f.name for f in fields(Dose))
# A pregnancy lasts at most about 42 weeks; 45 leaves room for a late-recorded count.
_MAX_GESTATIONAL_WEEKS = 45


class _Reader:
    """Read typed values out of one JSON object, naming each field by its dotted path."""

    def __init__(self, obj: object, path: str, keys: Sequence[str]) -> None:
        if not isinstance(obj, Mapping):
            raise InputError(path or "input", f"{_show(obj)} is not an object")
        for key in obj:
            if key not in keys:
                raise InputError(self._join(path, str(key)), "unknown field")
        self.obj: Mapping[str, object] = obj
        self.path = path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def name(self, key: str) -> str:
        """Return the dotted path of `key`."""
        return self._join(self.path, key)

    def get(self, key: str, convert: Callable[[str, object], T]) -> T | None:
        """Return the converted value of `key`, or None when it is missing or null."""
        value = self.obj.get(key)
        return None if value is None else convert(self.name(key), value)

    def need(self, key: str, convert: Callable[[str, object], T]) -> T:
        """Return the converted value of `key`; raise InputError when it is missing or null."""
        value = self.get(key, convert)
        if value is None:
            raise InputError(self.name(key), "is required")
        return value

    def items(self, key: str) -> list[tuple[str, object]]:
        """Return the (path, item) pairs of a list field; a missing list is empty."""
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise InputError(self.name(key), f"{_show(value)} is not a list")
        return [(f"{self.name(key)}[{i}]", item) for i, item in enumerate(value)]


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _date(name: str, value: object) -> dt.date:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(name, f"{_show(value)} is not a valid date")


def _positive(name: str, value: object) -> float:
    # bool is an int in Python, but `true` is not a number in a form.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(name, f"{_show(value)} is not a number")
    if value <= 0:
        raise InputError(name, f"must be above 0, got {_show(value)}")
    return float(value)


def _bool(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InputError(name, f"{_show(value)} is not true or false")
    return value


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise InputError(name, f"{_show(value)} is not a string")
    return value


def _one_of(options: Mapping[str, T]) -> Callable[[str, object], T]:
    """Return a converter that accepts exactly the keys of `options`."""

    def convert(name: str, value: object) -> T:
        if not isinstance(value, str) or value not in options:
            listed = " or ".join(repr(c) for c in options)
            raise InputError(name, f"{_show(value)} is not {listed}")
        return options[value]

    return convert


_SEX: Mapping[str, Sex] = {"M": "M", "F": "F"}
_MEASURE: Mapping[str, Literal["l", "h"]] = {"l": "l", "h": "h"}
_GLUCOSE_KIND: Mapping[str, Literal["random", "fasting"]] = {
    "random": "random",
    "fasting": "fasting",
}


def _province(name: str, value: object) -> str:
    if not isinstance(value, str) or not _PROVINCE.fullmatch(value):
        raise InputError(name, f"{_show(value)} is not a 2-digit province code")
    return value


def _weeks(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, f"{_show(value)} is not a whole number")
    if not 0 <= value <= _MAX_GESTATIONAL_WEEKS:
        raise InputError(name, f"must be 0 to {_MAX_GESTATIONAL_WEEKS}, got {value}")
    return value


def parse_input(obj: Mapping[str, Any]) -> AssessmentInput:
    """Return the AssessmentInput of a JSON-like mapping; raise InputError naming the field."""
    top = _Reader(obj, "", _TOP_KEYS)
    as_of = top.need("as_of", _date)
    person = _parse_person(top.obj.get("person"), as_of)
    measurements = tuple(
        _parse_record(path, item, person.birth_date) for path, item in top.items("measurements")
    )
    doses = tuple(_parse_dose(path, item) for path, item in top.items("immunizations"))
    symptoms = tuple(_text(path, item) for path, item in top.items("symptoms"))
    return AssessmentInput(
        as_of=as_of,
        person=person,
        id=top.get("id", _text),
        measurements=measurements,
        immunizations=doses,
        symptoms=symptoms,
    )


def _parse_person(obj: object, as_of: dt.date) -> Person:
    if obj is None:
        raise InputError("person", "is required")
    r = _Reader(obj, "person", _PERSON_KEYS)
    sex = r.need("sex", _one_of(_SEX))
    birth_date = r.need("birth_date", _date)
    if birth_date > as_of:
        raise InputError(r.name("birth_date"), f"{birth_date.isoformat()} is after as_of")
    person = Person(
        sex=sex,
        birth_date=birth_date,
        pregnant=r.get("pregnant", _bool),
        gestational_weeks=r.get("gestational_weeks", _weeks),
        delivery_date=r.get("delivery_date", _date),
        smoker=r.get("smoker", _bool),
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


def _parse_record(path: str, obj: object, birth_date: dt.date) -> MeasurementRecord:
    r = _Reader(obj, path, _RECORD_KEYS)
    day = r.need("date", _date)
    if day < birth_date:
        raise InputError(r.name("date"), f"{day.isoformat()} is before person.birth_date")
    numbers = {key: r.get(key, _positive) for key in _NUMBER_KEYS}
    if numbers["length_cm"] is not None and numbers["height_cm"] is not None:
        # One record is one measurement; two values would leave the z-score to a guess.
        raise InputError(r.name("height_cm"), "give length_cm or height_cm, not both")
    sbp, dbp = numbers["sbp_mmhg"], numbers["dbp_mmhg"]
    if sbp is not None and dbp is not None and dbp >= sbp:
        raise InputError(r.name("dbp_mmhg"), f"must be below sbp_mmhg ({sbp:g}), got {dbp:g}")
    return MeasurementRecord(
        date=day,
        measure=r.get("measure", _one_of(_MEASURE)),
        oedema=r.get("oedema", _bool),
        glucose_kind=r.get("glucose_kind", _one_of(_GLUCOSE_KIND)),
        **numbers,
    )


def _parse_dose(path: str, obj: object) -> Dose:
    r = _Reader(obj, path, _DOSE_KEYS)
    return Dose(vaccine=r.need("vaccine", _text), date=r.need("date", _date))


# --- the JSON form ---------------------------------------------------------------------------


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """Return the Assessment as the JSON object of ASSESS.md ("Output"), plus its services,
    the basis of each finding and the rules version used."""
    a = assessment
    return {
        "id": a.id,
        "age": {"days": a.age.days, "months": a.age.months, "years": a.age.years},
        "stages": list(a.stages),
        "growth": {
            name: {"value" if name == "muac" else "z": status.value, "class": status.class_code}
            for name, status in a.growth.items()
        },
        "weight_trend": a.weight_trend,
        "findings": list(a.findings),
        "immunizations_due": [
            {"vaccine": d.vaccine, "status": d.status, "due_date": d.due_date.isoformat()}
            for d in a.immunizations_due
        ],
        "refer": a.refer,
        "referral_reasons": list(a.referral_reasons),
        "services_due": [
            {"code": s.code, "label": s.label, "by": s.by, "stages": list(s.stages)}
            for s in a.services_due
        ],
        "basis": dict(a.basis),
        "rules_version": a.rules_version,
    }
