"""Read the `indicators` rule family: the definitions, parameters and targets of the PWS.

Each version of data/rules/indicators.toml lists its indicators (code, group, kind, the counts
a ratio is made of, basis, target) and the parameters the counting rules use (classes, age
bands, cohorts, the IDL antigens). Coverage indicators per dose and the drop-out pairs are
generated from the parameters, so one list in the data drives them. A malformed table is a
RulesError naming the family, version and entry, raised when the version is first read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any, Literal

from posyandu.core.errors import RulesError
from posyandu.core.indicators.params import Params, parse_params
from posyandu.core.rulebook import family_versions, rule_in_force

FAMILY = "indicators"
GROUPS = (
    "skdn",
    "nutrition",
    "immunisation",
    "maternal",
    "school",
    "adult",
    "referral",
    "activity",
)
Kind = Literal["count", "ratio", "median"]
Direction = Literal["min", "max"]


@dataclass(frozen=True)
class Target:
    """A target with its basis: at least (`min`) or at most (`max`) `value`."""

    direction: Direction
    value: float
    warn_within: float
    basis: str
    prorate: bool = False
    unverified: bool = False


@dataclass(frozen=True)
class Definition:
    """One indicator: how it is counted, where it comes from, what it is judged against."""

    code: str
    group: str
    kind: Kind
    basis: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    key: bool = False
    unverified: bool = False
    target: Target | None = None


@dataclass(frozen=True)
class IndicatorRules:
    """One version of the indicator rules, parsed and checked."""

    version: str
    valid_from: dt.date
    basis: str
    definitions: tuple[Definition, ...]
    params: Params

    @cached_property
    def by_code(self) -> Mapping[str, Definition]:
        """Return the definitions by code."""
        return {d.code: d for d in self.definitions}

    @property
    def key_codes(self) -> tuple[str, ...]:
        """Return the codes shown first on the dashboard, in definition order."""
        return tuple(d.code for d in self.definitions if d.key)


def indicator_rules(on: dt.date, version: str | None = None) -> IndicatorRules:
    """Return the indicator rules in force on `on`, or the named `version`."""
    return _parsed(rule_in_force(FAMILY, on, version).version)


def all_indicator_rules() -> tuple[IndicatorRules, ...]:
    """Return every version of the indicator rules, oldest first."""
    return tuple(_parsed(v.version) for v in family_versions(FAMILY))


@cache
def median_codes() -> frozenset[str]:
    """Return the codes that are a median in any version: only their tallies carry values."""
    return frozenset(
        d.code for r in all_indicator_rules() for d in r.definitions if d.kind == "median"
    )


@cache
def _parsed(version: str) -> IndicatorRules:
    """Return one version parsed and checked (once per process: the tables do not change)."""
    raw = rule_in_force(FAMILY, dt.date.max, version)
    where = f"rules {raw.family} {raw.version}"
    params = parse_params(raw.data.get("params"), where)
    listed = raw.data.get("indicator")
    if not isinstance(listed, list):
        raise RulesError(f"{where}: no [[version.indicator]] list")
    definitions = [_definition(item, where) for item in listed]
    definitions += _generated(params, raw.data.get("coverage_target"), where)
    rules = IndicatorRules(raw.version, raw.valid_from, raw.basis, tuple(definitions), params)
    _check(rules, where)
    return rules


def _definition(item: Mapping[str, Any], where: str) -> Definition:
    code = str(item.get("code", ""))
    at = f"{where}: indicator {code!r}"
    kind = item.get("kind")
    if kind not in ("count", "ratio", "median"):
        raise RulesError(f"{at}: kind must be count, ratio or median, not {kind!r}")
    group = item.get("group")
    if group not in GROUPS:
        raise RulesError(f"{at}: unknown group {group!r}")
    return Definition(
        code=code,
        group=str(group),
        kind=kind,
        basis=_text(item, "basis", at),
        numerator=_codes(item.get("numerator", []), at),
        denominator=_codes(item.get("denominator", []), at),
        key=bool(item.get("key", False)),
        unverified=bool(item.get("unverified", False)),
        target=_target(item.get("target"), at),
    )


def parse_target(raw: object, at: str) -> Target | None:
    """Return a target table read and checked (None when absent); RulesError names `at`."""
    return _target(raw, at)


def _target(raw: object, at: str) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise RulesError(f"{at}: target must be a table")
    direction = raw.get("direction")
    if direction not in ("min", "max"):
        raise RulesError(f"{at}: target direction must be min or max, not {direction!r}")
    try:
        value, warn = float(raw["value"]), float(raw.get("warn_within", 0))
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"{at}: target needs a numeric value") from exc
    return Target(
        direction=direction,
        value=value,
        warn_within=warn,
        basis=_text(raw, "basis", at),
        prorate=bool(raw.get("prorate", False)),
        unverified=bool(raw.get("unverified", False)),
    )


def _generated(params: Params, coverage_target: object, where: str) -> list[Definition]:
    """Return the per-dose coverage and the drop-out counts the parameters call for."""
    target = _target(coverage_target, f"{where}: coverage_target")
    out: list[Definition] = []
    for cov in params.coverage:
        cohort = f"cohort_{cov.cohort}"
        basis = f"Anak usia {cov.cohort.replace('_', '-')} bulan yang mendapat {cov.vaccine}"
        out.append(Definition(f"imm_{cov.vaccine}", "immunisation", "count", basis))
        out.append(
            Definition(
                f"cov_{cov.vaccine}",
                "immunisation",
                "ratio",
                f"Cakupan {cov.vaccine}: {basis}",
                numerator=(f"imm_{cov.vaccine}",),
                denominator=(cohort,),
                target=target,
            )
        )
    for drop in params.dropouts:
        basis = f"Anak usia {drop.cohort.replace('_', '-')} bulan: {drop.first} ke {drop.last}"
        out.append(Definition(f"{drop.code}_started", "immunisation", "count", basis))
        out.append(Definition(f"{drop.code}_dropped", "immunisation", "count", basis))
    return out


def _check(rules: IndicatorRules, where: str) -> None:
    """Reject duplicate codes and ratios made of anything but counts of this version."""
    seen: set[str] = set()
    for d in rules.definitions:
        if not d.code or d.code in seen:
            raise RulesError(f"{where}: empty or duplicate indicator code {d.code!r}")
        seen.add(d.code)
    counts = {d.code for d in rules.definitions if d.kind == "count"}
    for d in rules.definitions:
        terms = [t.removeprefix("-") for t in (*d.numerator, *d.denominator)]
        if d.kind == "ratio" and (not d.numerator or not d.denominator):
            raise RulesError(f"{where}: ratio {d.code!r} needs a numerator and a denominator")
        unknown = [t for t in terms if t not in counts]
        if unknown:
            raise RulesError(f"{where}: {d.code!r} is made of unknown counts {unknown}")


def _codes(raw: object, at: str) -> tuple[str, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise RulesError(f"{at}: numerator and denominator must be lists of codes")
    return tuple(str(code) for code in raw)


def _text(raw: Mapping[str, Any], key: str, at: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise RulesError(f"{at}: {key} must be a non-empty string")
    return value
