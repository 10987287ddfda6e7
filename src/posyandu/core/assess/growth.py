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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from posyandu.core.assess.model import (
    Finding,
    GrowthStatus,
    MeasurementRecord,
    Person,
    latest_record,
)
from posyandu.core.assess.stages import is_child
from posyandu.core.dates import DAYS_PER_MONTH, Age
from posyandu.core.growth import (
    ChildMeasurement,
    GrowthZ,
    child_zscores_2006,
    child_zscores_2007,
    classify_muac,
    classify_z,
)
from posyandu.core.growth.classify import growth_class_rules
from posyandu.core.rulebook import RuleVersion

# WHO 2006 standards below this age in completed months, the 2007 reference from it.
_WHO2007_FROM_MONTHS = 60
# On a fifth birthday 1,826 days after birth (60 completed months, but 59.99 WHO months) the
# 2007 reference has no row yet; its first whole day, 1,827 days (60.02 months), stands in
# for that one day so the child is not left without a status (docs/adr/0005).
_WHO2007_FIRST_DAY = math.ceil(_WHO2007_FROM_MONTHS * DAYS_PER_MONTH)

# Each z-score indicator and the inputs a record must hold for it.
_INDICATORS: Mapping[str, Callable[[MeasurementRecord], bool]] = {
    "wfa": lambda r: r.weight_kg is not None,
    "hfa": lambda r: r.lenhei_cm is not None,
    "wfh": lambda r: r.weight_kg is not None and r.lenhei_cm is not None,
    "bfa": lambda r: r.weight_kg is not None and r.lenhei_cm is not None,
    "hcfa": lambda r: r.headc_cm is not None,
}


@dataclass(frozen=True)
class GrowthSection:
    """The growth indicators that could be computed, and the findings they raise."""

    indicators: Mapping[str, GrowthStatus]
    findings: tuple[Finding, ...]


def growth_section(
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    *,
    classes_version: str,
    stages: RuleVersion,
) -> GrowthSection:
    """Return the growth indicators and findings of a child on `as_of` (empty for adults)."""
    if not is_child(Age.between(person.birth_date, as_of), stages):
        return GrowthSection({}, ())
    citation = growth_class_rules(as_of, classes_version).citation
    indicators: dict[str, GrowthStatus] = {}
    scored: dict[MeasurementRecord, GrowthZ] = {}
    for name, holds in _INDICATORS.items():
        record = latest_record(records, as_of, holds)
        if record is None:
            continue
        if record not in scored:
            scored[record] = _zscores(person, record)
        status = _z_status(name, scored[record], as_of, classes_version)
        if status is not None:
            indicators[name] = status
    muac = _muac_status(person, records, as_of, classes_version)
    if muac is not None:
        indicators["muac"] = muac
    findings = [
        Finding(f"{name}.{status.class_code}", citation)
        for name, status in indicators.items()
        if status.class_code not in (None, "normal")
    ]
    oedema = latest_record(records, as_of, lambda r: r.oedema is not None)
    if oedema is not None and oedema.oedema:
        findings.append(Finding("child.oedema", citation))
    return GrowthSection(indicators, tuple(findings))


def _zscores(person: Person, record: MeasurementRecord) -> GrowthZ:
    """Score one record at the child's age on the record's date, with the fitting reference."""
    age = Age.between(person.birth_date, record.date)
    child = ChildMeasurement(
        sex=1 if person.sex == "M" else 2,
        age_days=age.days,
        weight_kg=record.weight_kg,
        lenhei_cm=record.lenhei_cm,
        # No recorded method is left to WHO's default by age, not read from the field name:
        # the contract lets length_cm and height_cm carry either.
        measure=record.measure,
        oedema=record.oedema is True,
        headc_cm=record.headc_cm,
    )
    if age.months < _WHO2007_FROM_MONTHS:
        return child_zscores_2006(child)
    if age.days < _WHO2007_FIRST_DAY:
        child = dataclasses.replace(child, age_days=_WHO2007_FIRST_DAY)
    return child_zscores_2007(child)


def _z_status(
    name: str, scores: GrowthZ, as_of: dt.date, classes_version: str
) -> GrowthStatus | None:
    z: float | None = getattr(scores, name)
    if z is None:
        return None
    return GrowthStatus(z, classify_z(name, z, scores.age_group, as_of, classes_version))


def _muac_status(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, classes_version: str
) -> GrowthStatus | None:
    """Return the MUAC and its class when the record was taken at 6-59 months, else None."""
    record = latest_record(records, as_of, lambda r: r.muac_cm is not None)
    if record is None or record.muac_cm is None:
        return None
    months = Age.between(person.birth_date, record.date).months
    code = classify_muac(record.muac_cm, float(months), as_of, classes_version)
    # Outside 6-59 months MUAC has no class, so it is no growth indicator (adults: KEK).
    return None if code is None else GrowthStatus(record.muac_cm, code)
