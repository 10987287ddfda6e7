"""The assessment's input and output: immutable NamedTuples, and the JSON form.

The shapes are the contract of ASSESS.md ("Input", "Output"). `parse_input` (in `parse`) turns
a JSON-like mapping into an `AssessmentInput`; `assessment_to_dict` gives the Assessment back
as the JSON of the contract.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal, NamedTuple, TypeVar

from posyandu.core.assess.immunisation import DueDose
from posyandu.core.assess.packages import ServiceDue
from posyandu.core.dates import Age

Sex = Literal["M", "F"]
T = TypeVar("T")

# Every type here is a NamedTuple rather than a frozen dataclass: as immutable, and made in one
# C call where a frozen dataclass sets each field through object.__setattr__ (measured: the
# Assessment was about a tenth of a batch's time, making the inputs two thirds of parse_input's).


class Person(NamedTuple):
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


class MeasurementRecord(NamedTuple):
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


class Dose(NamedTuple):
    """One immunisation given."""

    vaccine: str
    date: dt.date


class AssessmentInput(NamedTuple):
    """One person on one day, with everything recorded about them."""

    as_of: dt.date
    person: Person
    id: str | None = None
    measurements: tuple[MeasurementRecord, ...] = ()
    immunizations: tuple[Dose, ...] = ()
    symptoms: tuple[str, ...] = ()


class GrowthStatus(NamedTuple):
    """One growth indicator: its z-score (for MUAC, its value in cm) and its class."""

    value: float
    class_code: str | None


class Finding(NamedTuple):
    """A finding code with the citation of the rule that raised it."""

    code: str
    basis: str


class Assessment(NamedTuple):
    """What a kader and a nakes must see for one person on one day (ASSESS.md, "Output").

    `growth` and `basis` are read-only mappings (`frozen_mapping`), so an Assessment cannot
    be edited after the fact.
    """

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


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_mapping(mapping: dict[str, T]) -> Mapping[str, T]:
    """Return a read-only view of `mapping`, a dict its caller no longer holds (one shared
    empty one: most have no findings)."""
    return MappingProxyType(mapping) if mapping else _EMPTY


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


_record_date = operator.attrgetter("date")  # a sort key called in C, not a Python call per record


# --- the JSON form ---------------------------------------------------------------------------


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """Return the Assessment as the JSON object of ASSESS.md ("Output"), plus its services,
    the basis of each finding and the rules version used."""
    return {
        **_head(assessment),
        "services_due": _services(assessment.services_due),
        **_tail(assessment),
    }


def assessment_to_json(assessment: Assessment) -> str:
    """Return `json.dumps(assessment_to_dict(assessment), ensure_ascii=False)`, the same text.

    For batches: the services list, long and shared by many people, is encoded once per
    list object (assessments of the same kind of person share it) rather than per person.
    """
    head = _JSON.encode(_head(assessment))
    tail = _JSON.encode(_tail(assessment))
    services = _services_json(assessment.services_due)
    return f'{head[:-1]}, "services_due": {services}, {tail[1:]}'


def _head(a: Assessment) -> dict[str, Any]:
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
    }


def _services(services: Sequence[ServiceDue]) -> list[dict[str, Any]]:
    return [
        {"code": s.code, "label": s.label, "by": s.by, "stages": list(s.stages)} for s in services
    ]


def _tail(a: Assessment) -> dict[str, Any]:
    return {"basis": dict(a.basis), "rules_version": a.rules_version}


# json.dumps(..., ensure_ascii=False) without making a new encoder for every call.
_JSON = json.JSONEncoder(ensure_ascii=False)
# JSON of recent services lists, by id; each entry holds its list, so the id stays its own.
_SERVICES_JSON: dict[int, tuple[Sequence[ServiceDue], str]] = {}
_SERVICES_JSON_LIMIT = 4096


def _services_json(services: Sequence[ServiceDue]) -> str:
    held = _SERVICES_JSON.get(id(services))
    if held is not None and held[0] is services:
        return held[1]
    text = _JSON.encode(_services(services))
    if len(_SERVICES_JSON) >= _SERVICES_JSON_LIMIT:
        _SERVICES_JSON.clear()
    _SERVICES_JSON[id(services)] = (services, text)
    return text
