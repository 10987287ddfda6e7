"""Build the growth section of an assessment: z-scores, classes, MUAC and oedema.

The rule (ASSESS.md, "Output" and "Growth classes"; Permenkes 2/2020 Standar Antropometri Anak,
WHO Child Growth Standards 2006 and Growth Reference 2007):

    Each indicator uses the latest measurement record on or before as_of that holds all of
    its inputs (weight and length/height from the same record for wfh and bfa), with the age
    on that record's date; records after as_of are ignored. Growth uses WHO 2006 and the
    0-59-month classes while the age in completed months is under 60, WHO 2007 and the
    5-18-year classes from 60 months. Weight-for-age has no class from 60 months: its z is
    reported, its class is null. MUAC is classified for 6-59 months only. An indicator that
    cannot be computed (missing measurement, out of range, oedema for the weight-based ones)
    is absent from growth. Each non-normal class is a finding <indicator>.<class>. Bilateral
    pitting oedema in a child is child.oedema.

The section is built for children only (up to `child_max_years` of the `stages` family, 18
completed years): an adult is judged by the adult thresholds, not by old childhood records.
The classes are the `growth_classes` rule family, applied by `posyandu.core.growth.classify`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from posyandu.core.assess.model import (
    Finding,
    GrowthStatus,
    MeasurementRecord,
    Person,
    latest_first,
)
from posyandu.core.assess.stages import is_child
from posyandu.core.dates import DAYS_PER_MONTH, Age, completed_months
from posyandu.core.growth import (
    ChildMeasurement,
    child_z_2006_many,
    child_z_2007_many,
    muac_class,
    z_class,
)
from posyandu.core.growth.classify import GrowthClassRules, growth_class_rules
from posyandu.core.rulebook import RuleVersion

# WHO 2006 standards below this age in completed months, the 2007 reference from it.
_WHO2007_FROM_MONTHS = 60
# On a fifth birthday 1,826 days after birth (60 completed months, but 59.99 WHO months) the
# 2007 reference has no row yet; its first whole day, 1,827 days (60.02 months), stands in
# for that one day so the child is not left without a status (docs/adr/0005).
_WHO2007_FIRST_DAY = math.ceil(_WHO2007_FROM_MONTHS * DAYS_PER_MONTH)

# Each z-score indicator and the inputs a record must hold for it (weight and length/height
# from one record for wfh and bfa), as `_latest_per_input` names them.
_INDICATORS: Mapping[str, str] = {
    "wfa": "weight",
    "hfa": "lenhei",
    "wfh": "weight+lenhei",
    "bfa": "weight+lenhei",
    "hcfa": "headc",
}


class GrowthSection(NamedTuple):
    """The growth indicators that could be computed, and the findings they raise."""

    indicators: dict[str, GrowthStatus]  # a new dict per section (the Assessment wraps it)
    findings: tuple[Finding, ...]


class GrowthPlan(NamedTuple):
    """A child's growth section before scoring: the records to score and what reads them.

    Planning and finishing are split so that many children can be scored in one call of
    the WHO engines (`score_plans`); `growth_section` does all three for one child.
    """

    rules: GrowthClassRules
    to_score: tuple[ChildMeasurement, ...]  # one per distinct record, first use first
    references: tuple[bool, ...]  # per entry of to_score: True for the 2007 reference
    indicators: tuple[tuple[str, int], ...]  # (indicator, index into to_score)
    muac: tuple[float, int] | None  # (MUAC cm, completed months on its record's date)
    oedema: bool  # the latest oedema record says bilateral pitting oedema


def growth_section(
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    *,
    classes_version: str,
    stages: RuleVersion,
) -> GrowthSection:
    """Return the growth indicators and findings of a child on `as_of` (empty for adults)."""
    plan = plan_growth(person, records, as_of, classes_version=classes_version, stages=stages)
    if plan is None:
        return GrowthSection({}, ())
    return finish_growth(plan, score_plans([plan])[0])


def plan_growth(
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    *,
    classes_version: str,
    stages: RuleVersion,
) -> GrowthPlan | None:
    """Return what a child's growth section needs scored on `as_of`, or None for an adult."""
    if not is_child(Age.between(person.birth_date, as_of), stages):
        return None
    return plan_growth_in(person, latest_first(records, as_of), as_of, classes_version)


def plan_growth_in(
    person: Person, recent: Sequence[MeasurementRecord], as_of: dt.date, classes_version: str
) -> GrowthPlan:
    """Return the plan of a child from `recent`, the records on or before as_of latest first
    (`latest_first`), for callers that already have them in that order."""
    rules = growth_class_rules(as_of, classes_version)
    latest = _latest_per_input(recent)
    to_score: list[ChildMeasurement] = []
    references: list[bool] = []
    indicators: list[tuple[str, int]] = []
    index_of: dict[int, int] = {}  # by id of a record (alive in `latest`): its to_score index
    for name, inputs in _INDICATORS.items():
        record = latest[inputs]
        if record is None:
            continue
        index = index_of.get(id(record))
        if index is None:
            index = index_of[id(record)] = len(to_score)
            is_2007, child = _child(person, record)
            to_score.append(child)
            references.append(is_2007)
        indicators.append((name, index))
    muac, oedema = latest["muac"], latest["oedema"]
    return GrowthPlan(
        rules,
        tuple(to_score),
        tuple(references),
        tuple(indicators),
        None if muac is None else _muac(person, muac),
        oedema is not None and oedema.oedema is True,
    )


def _latest_per_input(recent: Sequence[MeasurementRecord]) -> dict[str, MeasurementRecord | None]:
    """Return the first record of `recent` (so the latest) holding each input set, or None.

    One pass for all of them: weight, length/height, both from one record, head
    circumference, MUAC and an oedema answer.
    """
    weight = lenhei = both = headc = muac = oedema = None
    for r in recent:
        has_weight = r.weight_kg is not None
        has_lenhei = r.length_cm is not None or r.height_cm is not None
        if weight is None and has_weight:
            weight = r
        if lenhei is None and has_lenhei:
            lenhei = r
        if both is None and has_weight and has_lenhei:
            both = r
        if headc is None and r.headc_cm is not None:
            headc = r
        if muac is None and r.muac_cm is not None:
            muac = r
        if oedema is None and r.oedema is not None:
            oedema = r
    return {
        "weight": weight,
        "lenhei": lenhei,
        "weight+lenhei": both,
        "headc": headc,
        "muac": muac,
        "oedema": oedema,
    }


Scores = Sequence[Mapping[str, float | None]]  # per record of a plan: {indicator: z or None}


def score_plans(plans: Sequence[GrowthPlan]) -> list[Scores]:
    """Score the records of every plan with one WHO 2006 and one WHO 2007 call in all."""
    batches: tuple[list[ChildMeasurement], list[ChildMeasurement]] = ([], [])
    for plan in plans:
        for is_2007, child in zip(plan.references, plan.to_score, strict=True):
            batches[is_2007].append(child)
    scored = (iter(child_z_2006_many(batches[0])), iter(child_z_2007_many(batches[1])))
    return [[next(scored[is_2007]) for is_2007 in plan.references] for plan in plans]


def finish_growth(plan: GrowthPlan, scores: Scores) -> GrowthSection:
    """Return the growth section of a plan, given the scores of its records in order."""
    rules = plan.rules
    indicators: dict[str, GrowthStatus] = {}
    for name, index in plan.indicators:
        z = scores[index].get(name)
        if z is not None:
            indicators[name] = GrowthStatus(z, _z_class(rules, name, z, plan.references[index]))
    if plan.muac is not None:
        muac_cm, months = plan.muac
        code = muac_class(rules, muac_cm, float(months))
        # Outside 6-59 months MUAC has no class, so it is no growth indicator (adults: KEK).
        if code is not None:
            indicators["muac"] = GrowthStatus(muac_cm, code)
    findings = [
        Finding(f"{name}.{status.class_code}", rules.citation)
        for name, status in indicators.items()
        if status.class_code not in (None, "normal")
    ]
    if plan.oedema:
        findings.append(Finding("child.oedema", rules.citation))
    return GrowthSection(indicators, tuple(findings))


# The class of each z-score seen, by (rules version, indicator, 2007 reference?, z). The WHO
# engines give z to 2 decimals, so the children of a batch share a few thousand of them.
_Z_CLASSES: dict[tuple[str, str, bool, float], str | None] = {}
_Z_CLASSES_LIMIT = 1 << 16  # entries before the memo starts afresh (a bound on memory)


def _z_class(rules: GrowthClassRules, name: str, z: float, is_2007: bool) -> str | None:
    """Return `z_class` of one z-score, worked out once per distinct key."""
    key = (rules.version, name, is_2007, z)
    try:
        return _Z_CLASSES[key]
    except KeyError:
        pass
    if len(_Z_CLASSES) >= _Z_CLASSES_LIMIT:
        _Z_CLASSES.clear()
    code = _Z_CLASSES[key] = z_class(rules, name, z, "5-18y" if is_2007 else "0-59m")
    return code


def _child(person: Person, record: MeasurementRecord) -> tuple[bool, ChildMeasurement]:
    """Return (2007 reference?, the child as measured on the record's date) for scoring."""
    days = (record.date - person.birth_date).days
    child = ChildMeasurement(
        sex=1 if person.sex == "M" else 2,
        age_days=days,
        weight_kg=record.weight_kg,
        lenhei_cm=record.lenhei_cm,
        # No recorded method is left to WHO's default by age, not read from the field name:
        # the contract lets length_cm and height_cm carry either.
        measure=record.measure,
        oedema=record.oedema is True,
        headc_cm=record.headc_cm,
    )
    if completed_months(person.birth_date, record.date) < _WHO2007_FROM_MONTHS:
        return False, child
    if days < _WHO2007_FIRST_DAY:
        child = dataclasses.replace(child, age_days=_WHO2007_FIRST_DAY)
    return True, child


def _muac(person: Person, record: MeasurementRecord) -> tuple[float, int] | None:
    """Return the record's MUAC and the completed months on its date."""
    if record.muac_cm is None:
        return None
    return record.muac_cm, completed_months(person.birth_date, record.date)
