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
from typing import Any

from posyandu.core.assess.model import Person
from posyandu.core.dates import Age
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

_AGE_UNITS = ("days", "months", "years")


def life_stages(person: Person, on: dt.date, table: RuleVersion) -> list[str]:
    """Return the codes of the stages `person` is in on `on`, sorted."""
    age = Age.between(person.birth_date, on)
    return sorted(
        str(stage["code"]) for stage in _stages(table) if _holds(stage, person, age, on, table)
    )


def in_stage(code: str, person: Person, on: dt.date, table: RuleVersion) -> bool:
    """Return whether `person` is in the stage `code` on `on` (for rules tied to one stage)."""
    for stage in _stages(table):
        if stage.get("code") == code:
            return _holds(stage, person, Age.between(person.birth_date, on), on, table)
    raise RulesError(f"rules {table.family} {table.version}: no stage {code!r}")


def is_child(age: Age, table: RuleVersion) -> bool:
    """Return whether someone of `age` is a child (up to `child_max_years` completed years)."""
    try:
        return age.years <= int(table.data["child_max_years"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {table.family} {table.version}: bad child_max_years") from exc


def age_within(band: Mapping[str, Any], age: Age, table: RuleVersion) -> bool:
    """Return whether `age` lies in a band {unit, min, max} (both inclusive, max optional).

    Shared with other rule families whose groups are age bands (anaemia).
    """
    unit = band.get("unit")
    if unit not in _AGE_UNITS:
        raise RulesError(f"rules {table.family} {table.version}: bad age unit {unit!r}")
    value = {"days": age.days, "months": age.months, "years": age.years}[unit]
    return _between(band, value, table)


def _stages(table: RuleVersion) -> list[Mapping[str, Any]]:
    stages = table.data.get("stages")
    if not isinstance(stages, list):
        raise RulesError(f"rules {table.family} {table.version}: no stages list")
    return stages


def _holds(
    stage: Mapping[str, Any], person: Person, age: Age, on: dt.date, table: RuleVersion
) -> bool:
    sex = stage.get("sex")
    if sex is not None and person.sex != sex:
        return False
    when = stage.get("when")
    if when == "pregnant":
        return person.is_pregnant
    if when is not None:
        raise RulesError(f"rules {table.family} {table.version}: unknown condition {when!r}")
    if stage.get("unit") == "days_since_delivery":
        if person.delivery_date is None:
            return False
        return _between(stage, (on - person.delivery_date).days, table)
    return age_within(stage, age, table)


def _between(band: Mapping[str, Any], value: int, table: RuleVersion) -> bool:
    try:
        low, high = int(band["min"]), band.get("max")
        return low <= value and (high is None or value <= int(high))
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"rules {table.family} {table.version}: bad bounds in {band!r}") from exc
