"""Judge the screening values of the adult and pregnancy cards: BMI, waist, BP, glucose, Hb, LiLA.

The rule (ASSESS.md, "Adults"; Permenkes 41/2014 for BMI, P2PTM Kemenkes for waist, blood
pressure and glucose, WHO 2011 as used by Kemenkes for haemoglobin, Buku KIA for KEK):

    BMI classes from 19 y; waist, blood pressure and glucose from 15 y; pregnant women are
    excluded from BMI and waist.
    - BMI, computed from weight and height and rounded to 1 decimal first: bmi.severe_thinness
      < 17.0 <= bmi.thinness <= 18.4 < normal <= 25.0 < bmi.overweight <= 27.0 < bmi.obese
    - waist: waist.central_obesity at >= 90 cm (men), >= 80 cm (women)
    - blood pressure: bp.high at systolic >= 140 or diastolic >= 90; bp.low at systolic < 90
      or diastolic < 60
    - glucose: glucose.high at random >= 200 or fasting >= 126 mg/dL; glucose.low < 70
    - haemoglobin (WHO): anaemia below 11.0 (6-59 months, pregnant women), 11.5 (5-11 y),
      12.0 (12-14 y, non-pregnant women >= 15 y), 13.0 (men >= 15 y): hb.anaemia_mild,
      hb.anaemia_moderate (< 10.0 for the 11.0 groups, < 11.0 otherwise), hb.anaemia_severe
      (< 7.0 for the 11.0 groups, < 8.0 otherwise)
    - pregnant women and WUS: muac.chronic_energy_deficiency (KEK) at LiLA < 23.5 cm
    - a blood pressure with one value is judged on that value; glucose with no kind is
      random; haemoglobin is not classified under 6 months; pregnancy's cut-offs apply at
      any age

Each value comes from the latest measurement record on or before as_of that holds it, with
the age on that record's date. Every number is the `adult_thresholds` and `anaemia` rule
families (data/rules/adult_thresholds.toml, anaemia.toml).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from posyandu.core.assess.model import Finding, MeasurementRecord, Person, latest_record
from posyandu.core.assess.stages import age_within, in_stage
from posyandu.core.dates import Age
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

_Values = Callable[[Person, MeasurementRecord, Mapping[str, Any]], Mapping[str, float | None]]
# Exact decimal arithmetic, independent of the caller's decimal context.
_DECIMAL = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_UP)


def adult_findings(
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    *,
    thresholds: RuleVersion,
    anaemia: RuleVersion,
    stages: RuleVersion,
) -> list[Finding]:
    """Return the BMI, waist, blood pressure, glucose, haemoglobin and KEK findings."""
    found = [
        bmi_finding(person, records, as_of, thresholds),
        *(threshold_finding(name, person, records, as_of, thresholds, stages) for name in _READERS),
        hb_finding(person, records, as_of, anaemia),
    ]
    return [finding for finding in found if finding is not None]


def bmi(weight_kg: float, height_cm: float, decimals: int) -> Decimal:
    """Return weight / height² in kg/m², rounded half up to `decimals` (16.96 -> 17.0)."""
    metres = _DECIMAL.divide(Decimal(str(height_cm)), Decimal(100))
    value = _DECIMAL.divide(Decimal(str(weight_kg)), _DECIMAL.multiply(metres, metres))
    return value.quantize(Decimal(1).scaleb(-decimals), context=_DECIMAL)


def bmi_class(value: Decimal, thresholds: RuleVersion) -> str:
    """Return the Kemenkes BMI class of a rounded BMI: the first band whose bound holds."""
    for band in _section(thresholds, "bmi")["bands"]:
        # Bounds go through str() so 18.4 is the decimal 18.4, not the float just below it.
        if "below" in band and value < Decimal(str(band["below"])):
            return str(band["class"])
        if "up_to" in band and value <= Decimal(str(band["up_to"])):
            return str(band["class"])
        if "below" not in band and "up_to" not in band:
            return str(band["class"])
    raise RulesError(f"rules {thresholds.family} {thresholds.version}: no BMI band for {value}")


def bmi_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, thresholds: RuleVersion
) -> Finding | None:
    """Return the BMI finding, None when BMI is normal, not applicable or not measured."""
    section = _section(thresholds, "bmi")
    record = latest_record(
        records, as_of, lambda r: r.weight_kg is not None and r.lenhei_cm is not None
    )
    if record is None or not _applies(section, person, record.date, None):
        return None
    weight_kg, height_cm = record.weight_kg, record.lenhei_cm
    if weight_kg is None or height_cm is None:  # never: the record was chosen for them
        return None
    value = bmi(weight_kg, height_cm, int(section["decimals"]))
    code = bmi_class(value, thresholds)
    return None if code == "normal" else Finding(f"bmi.{code}", _cite(thresholds, section))


def threshold_finding(
    name: str,
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    thresholds: RuleVersion,
    stages: RuleVersion,
) -> Finding | None:
    """Return the finding of section `name` (waist, blood_pressure, glucose, kek), if any."""
    section = _section(thresholds, name)
    holds, values = _READERS[name]
    record = latest_record(records, as_of, holds)
    if record is None or not _applies(section, person, record.date, stages):
        return None
    for rule in section["classes"]:
        if _class_holds(rule, values(person, record, section)):
            return Finding(str(rule["finding"]), _cite(thresholds, section))
    return None


def hb_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, anaemia: RuleVersion
) -> Finding | None:
    """Return the anaemia finding of the latest haemoglobin, by the person's group then."""
    record = latest_record(records, as_of, lambda r: r.hb_g_dl is not None)
    if record is None or record.hb_g_dl is None:
        return None
    group = _hb_group(person, Age.between(person.birth_date, record.date), anaemia)
    if group is None:
        return None
    for severity in ("severe", "moderate", "mild"):
        if record.hb_g_dl < float(group[f"{severity}_below"]):
            return Finding(f"hb.anaemia_{severity}", anaemia.citation)
    return None


def _hb_group(person: Person, age: Age, anaemia: RuleVersion) -> Mapping[str, Any] | None:
    group: Mapping[str, Any]
    for group in anaemia.data["groups"]:
        if group.get("pregnant"):
            if person.is_pregnant:
                return group
        elif group.get("sex") in (None, person.sex) and age_within(group, age, anaemia):
            return group
    return None


def _applies(
    section: Mapping[str, Any], person: Person, on: dt.date, stages: RuleVersion | None
) -> bool:
    """Return whether a section's threshold applies to `person` on the record's day `on`."""
    if person.is_pregnant:
        if section.get("exclude_pregnant"):
            return False
        if section.get("pregnant_any_age"):
            return True
    from_age = section.get("from_age_years")
    if from_age is not None and Age.between(person.birth_date, on).years < int(from_age):
        return False
    stage = section.get("in_stage")
    if stage is not None:
        if stages is None:
            raise RulesError(f"a section with in_stage {stage!r} needs the stages rules")
        return in_stage(str(stage), person, on, stages)
    return True


def _class_holds(rule: Mapping[str, Any], values: Mapping[str, float | None]) -> bool:
    """Return whether any recorded input reaches an `at_least` bound or falls `below` one."""
    at_least: Mapping[str, float] = rule.get("at_least", {})
    below: Mapping[str, float] = rule.get("below", {})
    for key, value in values.items():
        if value is None:
            continue
        if key in at_least and value >= float(at_least[key]):
            return True
        if key in below and value < float(below[key]):
            return True
    return False


def _section(thresholds: RuleVersion, name: str) -> Mapping[str, Any]:
    section = thresholds.data.get(name)
    if not isinstance(section, Mapping):
        raise RulesError(f"rules {thresholds.family} {thresholds.version}: no [{name}] section")
    return section


def _cite(thresholds: RuleVersion, section: Mapping[str, Any]) -> str:
    return f"{section['basis']} ({thresholds.family} {thresholds.version})"


def _waist(
    person: Person, record: MeasurementRecord, _: Mapping[str, Any]
) -> dict[str, float | None]:
    return {person.sex: record.waist_cm}


def _blood_pressure(
    _person: Person, record: MeasurementRecord, _section: Mapping[str, Any]
) -> dict[str, float | None]:
    # A reading with one value is judged on that value: the other is simply not compared.
    return {"sbp_mmhg": record.sbp_mmhg, "dbp_mmhg": record.dbp_mmhg}


def _glucose(
    _person: Person, record: MeasurementRecord, section: Mapping[str, Any]
) -> dict[str, float | None]:
    return {record.glucose_kind or str(section["default_kind"]): record.glucose_mg_dl}


def _kek(
    _person: Person, record: MeasurementRecord, _: Mapping[str, Any]
) -> dict[str, float | None]:
    return {"muac_cm": record.muac_cm}


_READERS: Mapping[str, tuple[Callable[[MeasurementRecord], bool], _Values]] = {
    "waist": (lambda r: r.waist_cm is not None, _waist),
    "blood_pressure": (lambda r: r.sbp_mmhg is not None or r.dbp_mmhg is not None, _blood_pressure),
    "glucose": (lambda r: r.glucose_mg_dl is not None, _glucose),
    "kek": (lambda r: r.muac_cm is not None, _kek),
}
