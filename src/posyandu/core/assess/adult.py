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
import math
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from posyandu.core.assess.adult_tables import (
    VALUE_SECTIONS,
    HbGroup,
    Section,
    Thresholds,
    hb_groups,
    thresholds_table,
)
from posyandu.core.assess.model import Finding, MeasurementRecord, Person, latest_first
from posyandu.core.assess.stages import in_stage
from posyandu.core.dates import Age, completed_months
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

# Exact decimal arithmetic, independent of the caller's decimal context.
_DECIMAL = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_UP)


class _Who(NamedTuple):
    """The person on as_of, read once for all the sections."""

    person: Person
    pregnant: bool
    years: int  # completed years on as_of
    years_on: dict[dt.date, int]  # completed years by day (as_of first), each worked out once


# What each value section reads from a record: {input key: value}, a missing one None.
_Read = tuple[tuple[str, float | None], ...]  # (input key, value or None) pairs
_Values = Callable[[Person, MeasurementRecord, Section], _Read]


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
    return adult_findings_in(
        person,
        latest_first(records, as_of),
        as_of,
        thresholds=thresholds,
        anaemia=anaemia,
        stages=stages,
    )


def adult_findings_in(
    person: Person,
    recent: Sequence[MeasurementRecord],
    as_of: dt.date,
    *,
    thresholds: RuleVersion,
    anaemia: RuleVersion,
    stages: RuleVersion,
    age: Age | None = None,
) -> list[Finding]:
    """Return the findings of `adult_findings` from `recent`, the records on or before as_of
    latest first (`latest_first`), for callers that already have them in that order;
    `age`, when the caller has it, is the age on as_of."""
    table = thresholds_table(thresholds)
    who = _who(person, as_of, age)
    latest = _latest_inputs(recent)
    found: list[Finding] = []
    finding = _bmi_finding(who, latest, thresholds, table)
    if finding is not None:
        found.append(finding)
    for section in table.by_value:
        record = latest.get(section.name)
        # No record holds the section's values (a child's waist, blood pressure...): no finding.
        if record is not None:
            finding = _value_finding(section, who, record, stages)
            if finding is not None:
                found.append(finding)
    finding = _hb_finding(person, latest, anaemia)
    if finding is not None:
        found.append(finding)
    return found


def bmi(weight_kg: float, height_cm: float, decimals: int) -> Decimal:
    """Return weight / height² in kg/m², rounded half up to `decimals` (16.96 -> 17.0).

    The quotient of the numbers as written, in decimal: exact. Floats settle the rounding of
    almost every quotient (faster); one within a billionth of a tie is divided in decimal.
    """
    rounded = _rounded_by_float(weight_kg, height_cm, decimals)
    if rounded is None:
        value = _DECIMAL.divide(_decimal(weight_kg), _metres_squared(height_cm))
        rounded = value.quantize(_quantum(decimals), context=_DECIMAL)
    return rounded


# The float quotient is within 1e-15 (relative) of the decimal one: each input is within
# half an ulp of the number as written, and the arithmetic rounds three times. So unless it
# lies within this much (relative) of a rounding tie, both round the same way.
_TIE_MARGIN = 1e-9


def _rounded_by_float(weight_kg: float, height_cm: float, decimals: int) -> Decimal | None:
    """Return `bmi` worked out in floats, or None when floats cannot settle the rounding
    (a quotient near a tie, or numbers out of the ordinary: those go through Decimal)."""
    if not (
        isinstance(weight_kg, float)
        and isinstance(height_cm, float)
        and 0.0 < weight_kg < 1e6
        and 1.0 < height_cm < 1e6
        and 0 <= decimals <= 6
    ):
        return None
    scaled = weight_kg * 10.0 ** (4 + decimals) / (height_cm * height_cm)
    whole = math.floor(scaled)
    above_tie = scaled - whole - 0.5
    if abs(above_tie) <= scaled * _TIE_MARGIN:
        return None
    return _scaled_down(whole + 1 if above_tie > 0 else whole, decimals)


@lru_cache(maxsize=4096)
def _scaled_down(units: int, decimals: int) -> Decimal:
    """Return units × 10^-decimals written as quantize writes it (224, 1 -> 22.4)."""
    return Decimal(units).scaleb(-decimals, _DECIMAL)


# The decimals of the numbers as written (str: 18.4, not the float just below it): heights
# and weights repeat, so each is written out and read, and each height squared, once. Keyed
# by the number: 70 and 70.0 share an entry, and their decimals are equal numbers.
@lru_cache(maxsize=4096)
def _decimal(number: float) -> Decimal:
    return Decimal(str(number))


@lru_cache(maxsize=4096)
def _metres_squared(height_cm: float) -> Decimal:
    metres = _DECIMAL.divide(Decimal(str(height_cm)), Decimal(100))
    return _DECIMAL.multiply(metres, metres)


@lru_cache(maxsize=8)
def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def bmi_class(value: Decimal, thresholds: RuleVersion) -> str:
    """Return the Kemenkes BMI class of a rounded BMI: the first band whose bound holds."""
    for band in thresholds_table(thresholds).bmi_bands:
        if band.bound is None or (value <= band.bound if band.up_to else value < band.bound):
            return band.code
    raise RulesError(f"rules {thresholds.family} {thresholds.version}: no BMI band for {value}")


def bmi_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, thresholds: RuleVersion
) -> Finding | None:
    """Return the BMI finding, None when BMI is normal, not applicable or not measured."""
    latest = _latest_inputs(latest_first(records, as_of))
    return _bmi_finding(_who(person, as_of), latest, thresholds, thresholds_table(thresholds))


def threshold_finding(
    name: str,
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    thresholds: RuleVersion,
    stages: RuleVersion,
) -> Finding | None:
    """Return the finding of section `name` (waist, blood_pressure, glucose, kek), if any."""
    section = thresholds_table(thresholds).by_value[VALUE_SECTIONS.index(name)]
    record = _latest_inputs(latest_first(records, as_of)).get(name)
    return None if record is None else _value_finding(section, _who(person, as_of), record, stages)


def hb_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, anaemia: RuleVersion
) -> Finding | None:
    """Return the anaemia finding of the latest haemoglobin, by the person's group then."""
    return _hb_finding(person, _latest_inputs(latest_first(records, as_of)), anaemia)


# The findings, each from the latest record holding its inputs (`_latest_inputs`).

# What a record must hold for each section: BMI, the VALUE_SECTIONS and haemoglobin.
_Latest = dict[str, MeasurementRecord]


def _latest_inputs(recent: Sequence[MeasurementRecord]) -> _Latest:
    """Return {section: the first record of `recent` (so the latest) holding its inputs}.

    One pass over the records for every section, rather than one search per section with a
    predicate call per record (measured: a fifth of the adult rules' time).
    """
    latest: _Latest = {}
    for r in recent:
        if (
            "bmi" not in latest
            and r.weight_kg is not None
            and (r.length_cm is not None or r.height_cm is not None)  # lenhei_cm, without a call
        ):
            latest["bmi"] = r
        if "waist" not in latest and r.waist_cm is not None:
            latest["waist"] = r
        if "blood_pressure" not in latest and (r.sbp_mmhg is not None or r.dbp_mmhg is not None):
            latest["blood_pressure"] = r
        if "glucose" not in latest and r.glucose_mg_dl is not None:
            latest["glucose"] = r
        if "kek" not in latest and r.muac_cm is not None:
            latest["kek"] = r
        if "hb" not in latest and r.hb_g_dl is not None:
            latest["hb"] = r
    return latest


def _who(person: Person, as_of: dt.date, age: Age | None = None) -> _Who:
    years = completed_months(person.birth_date, as_of) // 12 if age is None else age.years
    return _Who(person, person.is_pregnant, years, {as_of: years})


def _years_on(who: _Who, on: dt.date) -> int:
    """Return the completed years on the day `on` (sections mostly read the same record)."""
    years = who.years_on.get(on)
    if years is None:
        years = who.years_on[on] = completed_months(who.person.birth_date, on) // 12
    return years


def _bmi_finding(
    who: _Who, latest: _Latest, thresholds: RuleVersion, table: Thresholds
) -> Finding | None:
    section = table.bmi
    record = latest.get("bmi")
    if record is None or not _applies(section, who, record.date, None):
        return None
    weight_kg, height_cm = record.weight_kg, record.lenhei_cm
    if weight_kg is None or height_cm is None:  # never: the record was chosen for them
        return None
    code = bmi_class(bmi(weight_kg, height_cm, table.bmi_decimals), thresholds)
    return None if code == "normal" else Finding(f"bmi.{code}", section.citation)


def _value_finding(
    section: Section, who: _Who, record: MeasurementRecord, stages: RuleVersion
) -> Finding | None:
    """Return the finding of a section from `record`, the latest holding its values."""
    if not _applies(section, who, record.date, stages):
        return None
    read = _READERS[section.name](who.person, record, section)
    for rule in section.classes:
        # Any recorded input at or over an `at_least` bound, or below a `below` one.
        for key, value in read:
            if value is not None and (
                (key in rule.at_least and value >= rule.at_least[key])
                or (key in rule.below and value < rule.below[key])
            ):
                return Finding(rule.finding, section.citation)
    return None


def _hb_finding(person: Person, latest: _Latest, anaemia: RuleVersion) -> Finding | None:
    record = latest.get("hb")
    if record is None or record.hb_g_dl is None:
        return None
    group = _hb_group(person, record.date, hb_groups(anaemia))
    if group is None:
        return None
    for severity, below in group.cut_offs:
        if record.hb_g_dl < below:
            return Finding(f"hb.anaemia_{severity}", anaemia.citation)
    return None


def _hb_group(person: Person, on: dt.date, groups: Sequence[HbGroup]) -> HbGroup | None:
    """Return the first group `person` is in on the day `on` (the age then), if any."""
    birth = person.birth_date
    months = completed_months(birth, on)
    by_unit = {"days": (on - birth).days, "months": months, "years": months // 12}
    for group in groups:
        if group.pregnant:
            if person.is_pregnant:
                return group
        elif group.sex in (None, person.sex):
            value = by_unit[group.unit]
            if group.low <= value and (group.high is None or value <= group.high):
                return group
    return None


def _applies(section: Section, who: _Who, on: dt.date, stages: RuleVersion | None) -> bool:
    """Return whether `section` applies to the person on `on`, the day of its latest record.

    Never to a pregnant woman where the section excludes pregnancy, always to her where it
    covers pregnancy at any age; otherwise from its age (on that day) and in its stage.
    """
    if who.pregnant:
        if section.exclude_pregnant:
            return False
        if section.pregnant_any_age:
            return True
    from_age = section.from_age_years
    # Under the age on as_of is under it on every earlier day: that day needs no working out.
    if from_age is not None and (who.years < from_age or _years_on(who, on) < from_age):
        return False
    stage = section.in_stage
    if stage is None:
        return True
    if stages is None:
        raise RulesError(f"a section with in_stage {stage!r} needs the stages rules")
    return in_stage(stage, who.person, on, stages)


def _waist(person: Person, record: MeasurementRecord, _: Section) -> _Read:
    return ((person.sex, record.waist_cm),)


def _blood_pressure(_person: Person, record: MeasurementRecord, _section: Section) -> _Read:
    # A reading with one value is judged on that value: the other is simply not compared.
    return (("sbp_mmhg", record.sbp_mmhg), ("dbp_mmhg", record.dbp_mmhg))


def _glucose(_person: Person, record: MeasurementRecord, section: Section) -> _Read:
    return ((record.glucose_kind or section.default_kind, record.glucose_mg_dl),)


def _kek(_person: Person, record: MeasurementRecord, _: Section) -> _Read:
    return (("muac_cm", record.muac_cm),)


# What each value section reads from its record (which record: `_latest_inputs`).
_READERS: dict[str, _Values] = {
    "waist": _waist,
    "blood_pressure": _blood_pressure,
    "glucose": _glucose,
    "kek": _kek,
}
