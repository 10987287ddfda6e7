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
from typing import Any, NamedTuple

from posyandu.core.assess.model import Finding, MeasurementRecord, Person, latest_first
from posyandu.core.assess.stages import age_within, in_stage
from posyandu.core.dates import Age, completed_months
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

# Exact decimal arithmetic, independent of the caller's decimal context.
_DECIMAL = decimal.Context(prec=28, rounding=decimal.ROUND_HALF_UP)


class _Class(NamedTuple):
    """One finding of a section: reached by any input at or over `at_least` or below `below`."""

    finding: str
    at_least: Mapping[str, float]
    below: Mapping[str, float]


class _Section(NamedTuple):
    """One section of the thresholds table ([bmi], [waist], ...), read once."""

    citation: str
    exclude_pregnant: bool
    pregnant_any_age: bool
    from_age_years: int | None
    in_stage: str | None
    classes: tuple[_Class, ...]
    default_kind: str  # glucose with no kind is read as this kind ("" elsewhere)


class _Band(NamedTuple):
    """One BMI band: values below (or up to) `bound` are `code`; the last band has no bound."""

    code: str
    up_to: bool
    bound: Decimal | None


class _HbGroup(NamedTuple):
    """One anaemia group and its cut-offs, severe first."""

    band: Mapping[str, Any]  # the group as in the table: sex, unit, min, max
    pregnant: bool
    cut_offs: tuple[tuple[str, float], ...]  # (severity, below), severe, moderate, mild


_Values = Callable[[Person, MeasurementRecord, _Section], Mapping[str, float | None]]


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
) -> list[Finding]:
    """Return the findings of `adult_findings` from `recent`, the records on or before as_of
    latest first (`latest_first`), for callers that already have them in that order."""
    years = completed_months(person.birth_date, as_of) // 12
    found: list[Finding] = []
    finding = _bmi_finding(person, recent, years, thresholds)
    if finding is not None:
        found.append(finding)
    for name in _READERS:
        finding = _threshold_finding(name, person, recent, years, thresholds, stages)
        if finding is not None:
            found.append(finding)
    finding = _hb_finding(person, recent, anaemia)
    if finding is not None:
        found.append(finding)
    return found


def bmi(weight_kg: float, height_cm: float, decimals: int) -> Decimal:
    """Return weight / height² in kg/m², rounded half up to `decimals` (16.96 -> 17.0)."""
    metres = _DECIMAL.divide(Decimal(str(height_cm)), Decimal(100))
    value = _DECIMAL.divide(Decimal(str(weight_kg)), _DECIMAL.multiply(metres, metres))
    return value.quantize(Decimal(1).scaleb(-decimals), context=_DECIMAL)


def bmi_class(value: Decimal, thresholds: RuleVersion) -> str:
    """Return the Kemenkes BMI class of a rounded BMI: the first band whose bound holds."""
    for band in thresholds.parsed(_bmi_bands):
        if band.bound is None or (value <= band.bound if band.up_to else value < band.bound):
            return band.code
    raise RulesError(f"rules {thresholds.family} {thresholds.version}: no BMI band for {value}")


def bmi_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, thresholds: RuleVersion
) -> Finding | None:
    """Return the BMI finding, None when BMI is normal, not applicable or not measured."""
    years = Age.between(person.birth_date, as_of).years
    return _bmi_finding(person, latest_first(records, as_of), years, thresholds)


def threshold_finding(
    name: str,
    person: Person,
    records: Sequence[MeasurementRecord],
    as_of: dt.date,
    thresholds: RuleVersion,
    stages: RuleVersion,
) -> Finding | None:
    """Return the finding of section `name` (waist, blood_pressure, glucose, kek), if any."""
    years = Age.between(person.birth_date, as_of).years
    recent = latest_first(records, as_of)
    return _threshold_finding(name, person, recent, years, thresholds, stages)


def hb_finding(
    person: Person, records: Sequence[MeasurementRecord], as_of: dt.date, anaemia: RuleVersion
) -> Finding | None:
    """Return the anaemia finding of the latest haemoglobin, by the person's group then."""
    return _hb_finding(person, latest_first(records, as_of), anaemia)


# The findings, each from the records on or before as_of, latest first (`latest_first`);
# `years` is the age in completed years on as_of.


def _bmi_finding(
    person: Person, recent: Sequence[MeasurementRecord], years: int, thresholds: RuleVersion
) -> Finding | None:
    section = _sections(thresholds)["bmi"]
    if _never_applies(section, person, years):
        return None
    record = next((r for r in recent if r.weight_kg is not None and r.lenhei_cm is not None), None)
    if record is None or not _applies(section, person, record.date, None):
        return None
    weight_kg, height_cm = record.weight_kg, record.lenhei_cm
    if weight_kg is None or height_cm is None:  # never: the record was chosen for them
        return None
    value = bmi(weight_kg, height_cm, thresholds.parsed(_bmi_decimals))
    code = bmi_class(value, thresholds)
    return None if code == "normal" else Finding(f"bmi.{code}", section.citation)


def _threshold_finding(
    name: str,
    person: Person,
    recent: Sequence[MeasurementRecord],
    years: int,
    thresholds: RuleVersion,
    stages: RuleVersion,
) -> Finding | None:
    section = _sections(thresholds)[name]
    if _never_applies(section, person, years):
        return None
    holds, values = _READERS[name]
    record = next((r for r in recent if holds(r)), None)
    if record is None or not _applies(section, person, record.date, stages):
        return None
    read = values(person, record, section)
    for rule in section.classes:
        if _class_holds(rule, read):
            return Finding(rule.finding, section.citation)
    return None


def _hb_finding(
    person: Person, recent: Sequence[MeasurementRecord], anaemia: RuleVersion
) -> Finding | None:
    record = next((r for r in recent if r.hb_g_dl is not None), None)
    if record is None or record.hb_g_dl is None:
        return None
    group = _hb_group(person, Age.between(person.birth_date, record.date), anaemia)
    if group is None:
        return None
    for severity, below in group.cut_offs:
        if record.hb_g_dl < below:
            return Finding(f"hb.anaemia_{severity}", anaemia.citation)
    return None


def _hb_group(person: Person, age: Age, anaemia: RuleVersion) -> _HbGroup | None:
    for group in anaemia.parsed(_hb_groups):
        if group.pregnant:
            if person.is_pregnant:
                return group
        elif group.band.get("sex") in (None, person.sex) and age_within(group.band, age, anaemia):
            return group
    return None


def _never_applies(section: _Section, person: Person, years: int) -> bool:
    """Return True when `_applies` is False on every record up to as_of, whatever it holds:
    the section excludes pregnant women, or the person is under its age on as_of (and so
    on every earlier day). This spares looking for a record at all."""
    if person.is_pregnant:
        if section.exclude_pregnant:
            return True
        if section.pregnant_any_age:
            return False
    return section.from_age_years is not None and years < section.from_age_years


def _applies(section: _Section, person: Person, on: dt.date, stages: RuleVersion | None) -> bool:
    """Return whether a section's threshold applies to `person` on the record's day `on`."""
    if person.is_pregnant:
        if section.exclude_pregnant:
            return False
        if section.pregnant_any_age:
            return True
    from_age = section.from_age_years
    if from_age is not None and completed_months(person.birth_date, on) // 12 < from_age:
        return False
    stage = section.in_stage
    if stage is not None:
        if stages is None:
            raise RulesError(f"a section with in_stage {stage!r} needs the stages rules")
        return in_stage(stage, person, on, stages)
    return True


def _class_holds(rule: _Class, values: Mapping[str, float | None]) -> bool:
    """Return whether any recorded input reaches an `at_least` bound or falls `below` one."""
    for key, value in values.items():
        if value is None:
            continue
        if key in rule.at_least and value >= rule.at_least[key]:
            return True
        if key in rule.below and value < rule.below[key]:
            return True
    return False


# Reading the tables, once per version (RuleVersion.parsed).


def _sections(thresholds: RuleVersion) -> Mapping[str, _Section]:
    return thresholds.parsed(_read_sections)


def _read_sections(thresholds: RuleVersion) -> Mapping[str, _Section]:
    return {name: _read_section(thresholds, name) for name in ("bmi", *_READERS)}


def _read_section(thresholds: RuleVersion, name: str) -> _Section:
    where = f"rules {thresholds.family} {thresholds.version}"
    section = thresholds.data.get(name)
    if not isinstance(section, Mapping):
        raise RulesError(f"{where}: no [{name}] section")
    try:
        from_age, stage = section.get("from_age_years"), section.get("in_stage")
        classes = tuple(
            _Class(
                str(rule["finding"]),
                {key: float(v) for key, v in rule.get("at_least", {}).items()},
                {key: float(v) for key, v in rule.get("below", {}).items()},
            )
            for rule in section.get("classes", ())
        )
        return _Section(
            citation=f"{section['basis']} ({thresholds.family} {thresholds.version})",
            exclude_pregnant=bool(section.get("exclude_pregnant")),
            pregnant_any_age=bool(section.get("pregnant_any_age")),
            from_age_years=None if from_age is None else int(from_age),
            in_stage=None if stage is None else str(stage),
            classes=classes,
            default_kind=str(section.get("default_kind", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(f"{where}: malformed [{name}] section ({exc!r})") from exc


def _bmi_bands(thresholds: RuleVersion) -> tuple[_Band, ...]:
    bands = []
    for band in thresholds.data["bmi"]["bands"]:
        # Bounds go through str() so 18.4 is the decimal 18.4, not the float just below it.
        if "below" in band:
            bands.append(_Band(str(band["class"]), False, Decimal(str(band["below"]))))
        elif "up_to" in band:
            bands.append(_Band(str(band["class"]), True, Decimal(str(band["up_to"]))))
        else:
            bands.append(_Band(str(band["class"]), False, None))
    return tuple(bands)


def _bmi_decimals(thresholds: RuleVersion) -> int:
    return int(thresholds.data["bmi"]["decimals"])


def _hb_groups(anaemia: RuleVersion) -> tuple[_HbGroup, ...]:
    try:
        return tuple(
            _HbGroup(
                group,
                bool(group.get("pregnant")),
                tuple((s, float(group[f"{s}_below"])) for s in ("severe", "moderate", "mild")),
            )
            for group in anaemia.data["groups"]
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {anaemia.family} {anaemia.version}: malformed groups") from exc


def _waist(person: Person, record: MeasurementRecord, _: _Section) -> dict[str, float | None]:
    return {person.sex: record.waist_cm}


def _blood_pressure(
    _person: Person, record: MeasurementRecord, _section: _Section
) -> dict[str, float | None]:
    # A reading with one value is judged on that value: the other is simply not compared.
    return {"sbp_mmhg": record.sbp_mmhg, "dbp_mmhg": record.dbp_mmhg}


def _glucose(
    _person: Person, record: MeasurementRecord, section: _Section
) -> dict[str, float | None]:
    return {record.glucose_kind or section.default_kind: record.glucose_mg_dl}


def _kek(_person: Person, record: MeasurementRecord, _: _Section) -> dict[str, float | None]:
    return {"muac_cm": record.muac_cm}


_READERS: Mapping[str, tuple[Callable[[MeasurementRecord], bool], _Values]] = {
    "waist": (lambda r: r.waist_cm is not None, _waist),
    "blood_pressure": (lambda r: r.sbp_mmhg is not None or r.dbp_mmhg is not None, _blood_pressure),
    "glucose": (lambda r: r.glucose_mg_dl is not None, _glucose),
    "kek": (lambda r: r.muac_cm is not None, _kek),
}
