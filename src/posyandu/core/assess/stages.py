"""Place a person in the life-cycle stages (sasaran siklus hidup) on a day.

The rule (ASSESS.md, "Stages"; KMK HK.01.07/MENKES/2015/2023, Juknis ILP; Permenkes 25/2014):

    bayi_baru_lahir 0-28 days · bayi 0-11 months · baduta 0-23 months · balita 0-59 months ·
    anak_prasekolah 60-71 months · usia_sekolah 6-9 years · remaja 10-18 years · usia_dewasa
    19-59 years · lansia >= 60 years · wus women 15-49 years · ibu_hamil when pregnant ·
    ibu_nifas from the delivery day (day 0) to day 42 after delivery_date inclusive. Ages are
    completed days, calendar months and years on as_of.

Every bound is the `stages` rule family (data/rules/stages.toml); a person can be in several
stages at once, and the list is sorted by code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from posyandu.core.assess.model import Person
from posyandu.core.dates import Age
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

_AGE_UNITS = ("days", "months", "years")
_SINCE_DELIVERY = "days_since_delivery"


class _Stage(NamedTuple):
    """One stage of the table, read once: who it is for and the band it needs."""

    code: str
    sex: str | None
    pregnant: bool  # when = "pregnant": in the stage exactly when pregnant
    unit: str | None  # days, months, years or days_since_delivery; None when pregnant
    low: int
    high: int | None


def life_stages(person: Person, on: dt.date, table: RuleVersion) -> list[str]:
    """Return the codes of the stages `person` is in on `on`, sorted."""
    age = Age.between(person.birth_date, on)
    by_unit = {"days": age.days, "months": age.months, "years": age.years}
    if person.delivery_date is not None:
        by_unit[_SINCE_DELIVERY] = (on - person.delivery_date).days
    sex, pregnant = person.sex, person.is_pregnant
    held: list[str] = []
    # The table is read sorted by code, so the stages held come out sorted. This is `_holds`
    # for every stage at once, with the person's values read once.
    for code, stage_sex, when_pregnant, unit, low, high in table.parsed(_read):
        if stage_sex is not None and sex != stage_sex:
            continue
        if when_pregnant:
            if pregnant:
                held.append(code)
            continue
        value = by_unit.get(unit)  # type: ignore[arg-type]  # None: no delivery date
        if value is not None and low <= value and (high is None or value <= high):
            held.append(code)
    return held


def in_stage(code: str, person: Person, on: dt.date, table: RuleVersion) -> bool:
    """Return whether `person` is in the stage `code` on `on` (for rules tied to one stage)."""
    for stage in table.parsed(_read):
        if stage.code == code:
            return _holds(stage, person, Age.between(person.birth_date, on), on)
    raise RulesError(f"rules {table.family} {table.version}: no stage {code!r}")


def is_child(age: Age, table: RuleVersion) -> bool:
    """Return whether someone of `age` is a child (up to `child_max_years` completed years)."""
    return age.years <= table.parsed(_child_max_years)


def age_within(band: Mapping[str, Any], age: Age, table: RuleVersion) -> bool:
    """Return whether `age` lies in a band {unit, min, max} (both inclusive, max optional).

    Shared with other rule families whose groups are age bands (anaemia).
    """
    unit = _unit(band, table, _AGE_UNITS)
    low, high = _bounds(band, table)
    value = age.days if unit == "days" else age.months if unit == "months" else age.years
    return low <= value and (high is None or value <= high)


def _child_max_years(table: RuleVersion) -> int:
    try:
        return int(table.data["child_max_years"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {table.family} {table.version}: bad child_max_years") from exc


def _read(table: RuleVersion) -> tuple[_Stage, ...]:
    """Return the stages of a table, checked, sorted by code (the table's order among equals)."""
    stages = table.data.get("stages")
    if not isinstance(stages, list):
        raise RulesError(f"rules {table.family} {table.version}: no stages list")
    return tuple(sorted((_read_stage(stage, table) for stage in stages), key=lambda s: s.code))


def _read_stage(stage: Mapping[str, Any], table: RuleVersion) -> _Stage:
    code, sex, when = str(stage["code"]), stage.get("sex"), stage.get("when")
    sex = None if sex is None else str(sex)
    if when == "pregnant":
        return _Stage(code, sex, True, None, 0, None)
    if when is not None:
        raise RulesError(f"rules {table.family} {table.version}: unknown condition {when!r}")
    unit = _unit(stage, table, (*_AGE_UNITS, _SINCE_DELIVERY))
    return _Stage(code, sex, False, unit, *_bounds(stage, table))


def _unit(band: Mapping[str, Any], table: RuleVersion, units: tuple[str, ...]) -> str:
    unit = band.get("unit")
    if unit not in units:
        raise RulesError(f"rules {table.family} {table.version}: bad age unit {unit!r}")
    return str(unit)


def _bounds(band: Mapping[str, Any], table: RuleVersion) -> tuple[int, int | None]:
    try:
        high = band.get("max")
        return int(band["min"]), None if high is None else int(high)
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {table.family} {table.version}: bad bounds in {band!r}") from exc


def _holds(stage: _Stage, person: Person, age: Age, on: dt.date) -> bool:
    if stage.sex is not None and person.sex != stage.sex:
        return False
    if stage.pregnant:
        return person.is_pregnant
    unit = stage.unit
    if unit == "years":
        value = age.years
    elif unit == "months":
        value = age.months
    elif unit == "days":
        value = age.days
    elif person.delivery_date is None:  # days since delivery
        return False
    else:
        value = (on - person.delivery_date).days
    return stage.low <= value and (stage.high is None or value <= stage.high)
