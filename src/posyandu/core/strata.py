"""Posyandu strata (Pratama, Madya, Purnama, Mandiri) and "active posyandu" from yearly figures.

The `posyandu_strata` rule family (data/rules/posyandu_strata.toml) lists the criteria, each
with the lowest stratum that requires it and its cut-off (the figure must reach `min`). A
posyandu reaches a stratum when every criterion of that stratum and below is met. A figure that
is not reported (None) is neither met nor unmet: the stratum is the highest reached on what is
known, and `ceiling` the highest it could reach if every missing figure were met; the result is
`provisional` when the two differ. The active status is True when all its criteria are met,
False when one is unmet, None when none is unmet but one is not reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import RuleVersion, rule_in_force

FAMILY = "posyandu_strata"
Outcome = Literal["met", "unmet", "not_reported"]


@dataclass(frozen=True)
class Criterion:
    """One criterion: the figure it reads, the stratum that requires it, and its cut-off."""

    code: str
    stratum: str  # "" for the criteria of the active status
    min: float
    unit: str
    basis: str


@dataclass(frozen=True)
class CriterionResult:
    """One criterion applied to one posyandu's figure."""

    criterion: Criterion
    value: float | None
    outcome: Outcome


@dataclass(frozen=True)
class StrataRules:
    """One version of the strata rules."""

    version: str
    citation: str
    strata: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    active_citation: str
    active: tuple[Criterion, ...]
    unverified: bool

    @property
    def codes(self) -> tuple[str, ...]:
        """Return every figure the rules read, strata criteria first."""
        return tuple(dict.fromkeys(c.code for c in (*self.criteria, *self.active)))


@dataclass(frozen=True)
class StrataResult:
    """A posyandu's stratum and active status for one year, with every criterion's outcome."""

    stratum: str
    ceiling: str
    criteria: tuple[CriterionResult, ...]
    active: bool | None
    active_criteria: tuple[CriterionResult, ...]
    rules: StrataRules

    @property
    def provisional(self) -> bool:
        """Return True when a figure not reported could raise the stratum."""
        return self.ceiling != self.stratum

    @property
    def unmet(self) -> tuple[CriterionResult, ...]:
        """Return the strata criteria that are not met, lowest stratum first."""
        return tuple(r for r in self.criteria if r.outcome == "unmet")

    @property
    def not_reported(self) -> tuple[CriterionResult, ...]:
        """Return the strata criteria whose figure is not reported."""
        return tuple(r for r in self.criteria if r.outcome == "not_reported")


def _criterion(raw: Any, stratum: str, family: str) -> Criterion:
    try:
        code, minimum, unit, basis = raw["code"], raw["min"], raw["unit"], raw["basis"]
    except (KeyError, TypeError) as exc:
        raise RulesError(f"rules {family}: a criterion lacks {exc}") from exc
    if not isinstance(minimum, int | float) or isinstance(minimum, bool):
        raise RulesError(f"rules {family}: criterion {code!r} min must be a number")
    return Criterion(str(code), stratum, float(minimum), str(unit), str(basis))


def _read(version: RuleVersion) -> StrataRules:
    data = version.data
    strata = tuple(str(s) for s in data.get("strata", ()))
    if len(strata) < 2:
        raise RulesError(f"rules {FAMILY} {version.version}: strata must list the strata")
    criteria = []
    for raw in data.get("criterion", ()):
        stratum = str(raw.get("stratum", ""))
        if stratum not in strata[1:]:
            raise RulesError(
                f"rules {FAMILY} {version.version}: criterion {raw.get('code')!r} has an "
                f"unknown stratum {stratum!r}"
            )
        criteria.append(_criterion(raw, stratum, FAMILY))
    criteria.sort(key=lambda c: strata.index(c.stratum))
    active = data.get("active", {})
    return StrataRules(
        version=version.version,
        citation=version.citation,
        strata=strata,
        criteria=tuple(criteria),
        active_citation=f"{active.get('basis', version.basis)} ({FAMILY} {version.version})",
        active=tuple(_criterion(raw, "", FAMILY) for raw in active.get("criteria", ())),
        unverified=bool(data.get("unverified", False)),
    )


def strata_rules(on: dt.date, version: str | None = None) -> StrataRules:
    """Return the strata rules in force on `on`, or the named `version`."""
    rule = rule_in_force(FAMILY, on, version)
    return rule.parsed(_read)


def _apply(criterion: Criterion, figures: Mapping[str, float | None]) -> CriterionResult:
    value = figures.get(criterion.code)
    if value is None:
        return CriterionResult(criterion, None, "not_reported")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(criterion.code, f"{value!r} is not a number")
    if value < 0:
        raise InputError(criterion.code, f"{value!r} is negative")
    outcome: Outcome = "met" if value >= criterion.min else "unmet"
    return CriterionResult(criterion, float(value), outcome)


def _highest(results: tuple[CriterionResult, ...], strata: tuple[str, ...], ok: set[str]) -> str:
    reached = strata[0]
    for stratum in strata[1:]:
        needed = [r for r in results if strata.index(r.criterion.stratum) <= strata.index(stratum)]
        if all(r.outcome in ok for r in needed):
            reached = stratum
        else:
            break
    return reached


def posyandu_stratum(
    figures: Mapping[str, float | None], on: dt.date, version: str | None = None
) -> StrataResult:
    """Return the stratum and active status of a posyandu from its yearly figures.

    `figures` maps each criterion code of the rules (service_days, kader_on_duty, ds, kia, kb,
    immunisation, extra_programmes, dana_sehat, months_held, kader_registered) to its value
    (percentages as 0-100) or None when not reported; a code absent from it is not reported.
    """
    rules = strata_rules(on, version)
    results = tuple(_apply(c, figures) for c in rules.criteria)
    active_results = tuple(_apply(c, figures) for c in rules.active)
    if any(r.outcome == "unmet" for r in active_results):
        active: bool | None = False
    elif all(r.outcome == "met" for r in active_results):
        active = True
    else:
        active = None
    return StrataResult(
        stratum=_highest(results, rules.strata, {"met"}),
        ceiling=_highest(results, rules.strata, {"met", "not_reported"}),
        criteria=results,
        active=active,
        active_criteria=active_results,
        rules=rules,
    )
