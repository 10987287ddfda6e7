"""Read the `adult_thresholds` and `anaemia` rule versions once into the form `adult` applies.

Each reader runs once per rule version (`RuleVersion.parsed`); a malformed table is a
RulesError naming the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

# The sections judged from a record's values, in the order their findings are listed.
VALUE_SECTIONS = ("waist", "blood_pressure", "glucose", "kek")
_AGE_UNITS = ("days", "months", "years")


class Class(NamedTuple):
    """One finding of a section: reached by any input at or over `at_least` or below `below`."""

    finding: str
    at_least: Mapping[str, float]
    below: Mapping[str, float]


class Section(NamedTuple):
    """One section of the thresholds table ([bmi], [waist], ...)."""

    name: str
    citation: str
    exclude_pregnant: bool
    pregnant_any_age: bool
    from_age_years: int | None
    in_stage: str | None
    classes: tuple[Class, ...]
    default_kind: str  # glucose with no kind is read as this kind ("" elsewhere)


class Band(NamedTuple):
    """One BMI band: values below (or up to) `bound` are `code`; the last band has no bound."""

    code: str
    up_to: bool
    bound: Decimal | None


class Thresholds(NamedTuple):
    """A whole `adult_thresholds` version."""

    bmi: Section
    bmi_decimals: int
    bmi_bands: tuple[Band, ...]
    by_value: tuple[Section, ...]  # the VALUE_SECTIONS, in that order


class HbGroup(NamedTuple):
    """One anaemia group: who is in it, and its cut-offs, severe first."""

    pregnant: bool  # the group of pregnant women, whatever their age
    sex: str | None
    unit: str  # days, months or years ("" for the pregnant group)
    low: int
    high: int | None
    cut_offs: tuple[tuple[str, float], ...]  # (severity, below): severe, moderate, mild


def thresholds_table(thresholds: RuleVersion) -> Thresholds:
    """Return the compiled form of an `adult_thresholds` version (read once)."""
    return thresholds.parsed(_read_thresholds)


def hb_groups(anaemia: RuleVersion) -> tuple[HbGroup, ...]:
    """Return the groups of an `anaemia` version, in table order (read once)."""
    return anaemia.parsed(_read_groups)


def _where(version: RuleVersion) -> str:
    return f"rules {version.family} {version.version}"


def _read_thresholds(thresholds: RuleVersion) -> Thresholds:
    bmi = _read_section(thresholds, "bmi")
    try:
        raw = thresholds.data["bmi"]
        decimals = int(raw["decimals"])
        bands = tuple(_read_band(band) for band in raw["bands"])
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise RulesError(f"{_where(thresholds)}: malformed [bmi] bands ({exc!r})") from exc
    by_value = tuple(_read_section(thresholds, name) for name in VALUE_SECTIONS)
    return Thresholds(bmi, decimals, bands, by_value)


def _read_band(band: Mapping[str, Any]) -> Band:
    # Bounds go through str() so 18.4 is the decimal 18.4, not the float just below it.
    code = str(band["class"])
    if "below" in band:
        return Band(code, False, Decimal(str(band["below"])))
    if "up_to" in band:
        return Band(code, True, Decimal(str(band["up_to"])))
    return Band(code, False, None)


def _read_section(thresholds: RuleVersion, name: str) -> Section:
    section = thresholds.data.get(name)
    if not isinstance(section, Mapping):
        raise RulesError(f"{_where(thresholds)}: no [{name}] section")
    try:
        from_age, stage = section.get("from_age_years"), section.get("in_stage")
        return Section(
            name=name,
            citation=f"{section['basis']} ({thresholds.family} {thresholds.version})",
            exclude_pregnant=bool(section.get("exclude_pregnant")),
            pregnant_any_age=bool(section.get("pregnant_any_age")),
            from_age_years=None if from_age is None else int(from_age),
            in_stage=None if stage is None else str(stage),
            classes=tuple(_read_class(rule) for rule in section.get("classes", ())),
            default_kind=str(section.get("default_kind", "")),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RulesError(f"{_where(thresholds)}: malformed [{name}] ({exc!r})") from exc


def _read_class(rule: Mapping[str, Any]) -> Class:
    return Class(
        str(rule["finding"]),
        {key: float(value) for key, value in rule.get("at_least", {}).items()},
        {key: float(value) for key, value in rule.get("below", {}).items()},
    )


def _read_groups(anaemia: RuleVersion) -> tuple[HbGroup, ...]:
    try:
        return tuple(_read_group(anaemia, group) for group in anaemia.data["groups"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"{_where(anaemia)}: malformed groups ({exc!r})") from exc


def _read_group(anaemia: RuleVersion, group: Mapping[str, Any]) -> HbGroup:
    cut_offs = tuple((s, float(group[f"{s}_below"])) for s in ("severe", "moderate", "mild"))
    sex = group.get("sex")
    if group.get("pregnant"):
        return HbGroup(True, None if sex is None else str(sex), "", 0, None, cut_offs)
    unit = group.get("unit")
    if unit not in _AGE_UNITS:
        raise RulesError(f"{_where(anaemia)}: bad age unit {unit!r}")
    high = group.get("max")
    return HbGroup(
        False,
        None if sex is None else str(sex),
        str(unit),
        int(group["min"]),
        None if high is None else int(high),
        cut_offs,
    )
