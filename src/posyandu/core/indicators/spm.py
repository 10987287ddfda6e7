"""SPM health (Standar Pelayanan Minimal): the basic services the posyandu contributes to.

The `spm` rule family (data/rules/spm.toml) lists, per service, the PWS count of persons served
this year (numerator) and the PWS count of the registered persons of its target group. The
denominator of the coverage is the area's target population: the estimate entered for the
year when there is one, else the registered persons. `spm_coverage` reads one service; the
status is `judge` against the SPM target (100 %, year to date when `prorate`). A version
whose services read a count that an indicator rules version in force alongside it does not
define is a RulesError when it is first read, not a coverage that silently stays empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from posyandu.core.errors import RulesError
from posyandu.core.indicators.model import Tally
from posyandu.core.indicators.rules import (
    Definition,
    IndicatorRules,
    Target,
    all_indicator_rules,
    parse_target,
)
from posyandu.core.indicators.targets import Status, judge, value
from posyandu.core.rulebook import family_versions, rule_in_force

FAMILY = "spm"
Source = Literal["estimate", "registered"]


@dataclass(frozen=True)
class SpmService:
    """One SPM basic service as the PWS counts it."""

    code: str
    number: int
    numerator: str
    registered: str
    prorate: bool
    contribution: str
    basis: str
    unverified: bool
    definition: Definition  # the coverage as a ratio with the SPM target, for `judge`


@dataclass(frozen=True)
class SpmRules:
    """One version of the SPM rules."""

    version: str
    valid_from: dt.date
    basis: str
    services: tuple[SpmService, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        """Return the service codes, in Permenkes order."""
        return tuple(s.code for s in self.services)

    @property
    def counts(self) -> tuple[str, ...]:
        """Return every indicator count the services read (numerators and registered)."""
        return tuple(dict.fromkeys(c for s in self.services for c in (s.numerator, s.registered)))


@dataclass(frozen=True)
class SpmCoverage:
    """One service for one area and month: served, target population and where it came from."""

    service: SpmService
    tally: Tally  # numerator: served this year; denominator: the target population
    registered: int
    source: Source
    value: float | None
    status: Status | None


def spm_rules(on: dt.date, version: str | None = None) -> SpmRules:
    """Return the SPM rules in force on `on`, or the named `version`."""
    return _parsed(rule_in_force(FAMILY, on, version).version)


def spm_coverage(
    service: SpmService,
    served: int,
    registered: int,
    month: dt.date,
    estimate: int | None = None,
) -> SpmCoverage:
    """Return the coverage of `service`: `served` over the estimate when given, else over the
    `registered` persons of the target group; judged against the SPM target for `month`."""
    if served < 0 or registered < 0:
        raise ValueError(f"served {served} and registered {registered} must not be negative")
    if estimate is not None and estimate <= 0:
        raise ValueError(f"estimate {estimate} must be a positive number of persons")
    source: Source = "registered" if estimate is None else "estimate"
    tally = Tally(served, registered if estimate is None else estimate)
    return SpmCoverage(
        service=service,
        tally=tally,
        registered=registered,
        source=source,
        value=value(service.definition, tally),
        status=judge(service.definition, tally, month),
    )


@cache
def _parsed(version: str) -> SpmRules:
    raw = rule_in_force(FAMILY, dt.date.max, version)
    where = f"rules {raw.family} {raw.version}"
    target = parse_target(raw.data.get("target"), f"{where}: target")
    if target is None:
        raise RulesError(f"{where}: no [version.target] table")
    listed = raw.data.get("service")
    if not isinstance(listed, list) or not listed:
        raise RulesError(f"{where}: no [[version.service]] list")
    services = tuple(_service(item, target, where) for item in listed)
    codes = [s.code for s in services]
    if len(set(codes)) != len(codes):
        raise RulesError(f"{where}: duplicate service codes in {codes}")
    rules = SpmRules(raw.version, raw.valid_from, raw.basis, services)
    for indicators in _indicator_rules_alongside(rules):
        _check_counts(rules, indicators)
    return rules


def _indicator_rules_alongside(spm: SpmRules) -> list[IndicatorRules]:
    """Return the versions of the indicator rules in force on some day this SPM version is."""
    starts = sorted({v.valid_from for v in family_versions(FAMILY)})
    until = next((day for day in starts if day > spm.valid_from), dt.date.max)
    versions = all_indicator_rules()
    ends = [v.valid_from for v in versions[1:]] + [dt.date.max]
    return [
        v
        for v, end in zip(versions, ends, strict=True)
        if v.valid_from < until and end > spm.valid_from
    ]


def _check_counts(spm: SpmRules, indicators: IndicatorRules) -> None:
    """Fail when a service reads a count the indicator rules do not define: its coverage would
    have no reading to show."""
    counts = {d.code for d in indicators.definitions if d.kind == "count"}
    unknown = sorted(set(spm.counts) - counts)
    if unknown:
        raise RulesError(
            f"rules spm {spm.version}: counts {unknown} are not counts of "
            f"indicators {indicators.version}"
        )


def _service(item: Mapping[str, Any], target: Target, where: str) -> SpmService:
    code = str(item.get("code", ""))
    at = f"{where}: service {code!r}"
    try:
        number = int(item["number"])
        numerator, registered = str(item["numerator"]), str(item["registered"])
        contribution, basis = str(item["contribution"]), str(item["basis"])
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(f"{at}: bad or missing field {exc}") from exc
    if not code or not 1 <= number <= 12:
        raise RulesError(f"{at}: needs a code and a number 1-12, not {number!r}")
    prorate = bool(item.get("prorate", False))
    unverified = bool(item.get("unverified", False))
    own = Target(
        direction=target.direction,
        value=target.value,
        warn_within=target.warn_within,
        basis=target.basis,
        prorate=prorate,
        unverified=target.unverified or unverified,
    )
    definition = Definition(
        code=f"spm_{code}",
        group="spm",
        kind="ratio",
        basis=basis,
        numerator=(numerator,),
        denominator=(registered,),
        unverified=unverified,
        target=own,
    )
    return SpmService(
        code, number, numerator, registered, prorate, contribution, basis, unverified, definition
    )
