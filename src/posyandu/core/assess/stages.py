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

import bisect
import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from posyandu.core.assess.model import Person
from posyandu.core.dates import Age
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion

_AGE_UNITS = ("days", "months", "years")
_SINCE_DELIVERY = "days_since_delivery"
# Stage lists remembered per table before the memo starts afresh (a bound on memory).
_MEMO_LIMIT = 1 << 14


class _Stage(NamedTuple):
    """One stage of the table, read once: who it is for and the band it needs."""

    code: str
    sex: str | None
    pregnant: bool  # when = "pregnant": in the stage exactly when pregnant
    unit: str | None  # days, months, years or days_since_delivery; None when pregnant
    low: int
    high: int | None


class _Cuts(NamedTuple):
    """Where some stage's band starts or ends, per unit: ages between two cuts are in the
    same stages. Each band [low, high] cuts at low and high + 1."""

    days: tuple[int, ...]
    months: tuple[int, ...]
    years: tuple[int, ...]
    since_delivery: tuple[int, ...]


def life_stages(person: Person, on: dt.date, table: RuleVersion) -> list[str]:
    """Return the codes of the stages `person` is in on `on`, sorted."""
    return list(stage_codes(person, on, table))


def stage_codes(
    person: Person, on: dt.date, table: RuleVersion, age: Age | None = None
) -> tuple[str, ...]:
    """Return `life_stages` as a tuple (shared: the same stages give the same tuple);
    `age`, when the caller has it, is the age on `on`."""
    if age is None:
        age = Age.between(person.birth_date, on)
    since = None if person.delivery_date is None else (on - person.delivery_date).days
    cuts, memo = table.parsed(_cuts_and_memo)
    # People the bands cannot tell apart are in the same stages: worked out once per key.
    key = (
        person.sex,
        person.is_pregnant,
        bisect.bisect_right(cuts.days, age.days),
        bisect.bisect_right(cuts.months, age.months),
        bisect.bisect_right(cuts.years, age.years),
        None if since is None else bisect.bisect_right(cuts.since_delivery, since),
    )
    held = memo.get(key)
    if held is None:
        # The table is read sorted by code, so the stages held come out sorted.
        held = tuple(s.code for s in table.parsed(_read) if _holds(s, person, age, on))
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = held
    return held


def _cuts(table: RuleVersion) -> _Cuts:
    stages = table.parsed(_read)

    def cuts(unit: str) -> tuple[int, ...]:
        bands = [(s.low, s.high) for s in stages if s.unit == unit]
        return tuple(sorted({low for low, _ in bands} | {h + 1 for _, h in bands if h is not None}))

    return _Cuts(cuts("days"), cuts("months"), cuts("years"), cuts(_SINCE_DELIVERY))


def _cuts_and_memo(table: RuleVersion) -> tuple[_Cuts, dict[tuple[Any, ...], tuple[str, ...]]]:
    return _cuts(table), {}


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
