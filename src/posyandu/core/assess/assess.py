"""Assess one person on one day: the one clinical decision function of the core.

The contract is ASSESS.md: for one person on `as_of`, decide the life-cycle stages, growth
status and trend, the findings, the immunisations due, the services due and whether to refer.
Each part is its own rule module; this one only runs them under one rule set and gathers the
results. A rule set (the `rulesets` family) pins one version of every other rule family, so a
past assessment can be recomputed under the rules in force on its date, or under a named one.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from posyandu.core.assess.adult import adult_findings_in
from posyandu.core.assess.growth import (
    GrowthPlan,
    GrowthSection,
    Scores,
    finish_growth,
    plan_growth_in,
    score_plans,
)
from posyandu.core.assess.immunisation import DueDose, immunization_findings, immunizations_due
from posyandu.core.assess.model import (
    Assessment,
    AssessmentInput,
    MeasurementRecord,
    frozen_mapping,
    latest_first,
)
from posyandu.core.assess.packages import services_for
from posyandu.core.assess.referral import referral_reasons
from posyandu.core.assess.stages import is_child, stage_codes
from posyandu.core.assess.trend import Trend, record_weight_trend, trend_findings
from posyandu.core.dates import Age
from posyandu.core.errors import CoreError, RulesError
from posyandu.core.rulebook import RuleVersion, family_versions, rule_in_force

RULESETS = "rulesets"


@dataclass(frozen=True)
class Rules:
    """One rule set: the version of each rule family an assessment applies."""

    ruleset: RuleVersion
    # The pinned versions already looked up, by family.
    _families: dict[str, RuleVersion] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def version(self) -> str:
        """Return the rule set's version id, as the assessment reports it."""
        return self.ruleset.version

    def pinned(self, family: str) -> str:
        """Return the version id of `family` this rule set pins."""
        families = self.ruleset.data.get("families", {})
        if family not in families:
            raise RulesError(f"rules version {self.version} pins no version of {family!r}")
        return str(families[family])

    def family(self, family: str) -> RuleVersion:
        """Return the pinned version of `family`."""
        found = self._families.get(family)
        if found is None:
            found = rule_in_force(family, self.ruleset.valid_from, self.pinned(family))
            self._families[family] = found
        return found


class _Tables(NamedTuple):
    """The pinned version of every family an assessment reads, looked up once per rule set."""

    stages: RuleVersion
    growth_classes: str  # the version id: the growth module reads its own compiled form
    kbm: RuleVersion
    schedule: RuleVersion
    thresholds: RuleVersion
    anaemia: RuleVersion
    referral: RuleVersion
    packages: RuleVersion


def _tables(ruleset: RuleVersion) -> _Tables:
    rules = ruleset.parsed(Rules)
    # In the order the assessment first reads them, so a missing pin is reported as before.
    return _Tables(
        stages=rules.family("stages"),
        growth_classes=rules.pinned("growth_classes"),
        kbm=rules.family("kbm"),
        schedule=rules.family("immunisation_schedule"),
        thresholds=rules.family("adult_thresholds"),
        anaemia=rules.family("anaemia"),
        referral=rules.family("referral"),
        packages=rules.family("service_packages"),
    )


def rules_for(on: dt.date, version: str | None = None) -> Rules:
    """Return the rule set in force on `on`, or the one named `version`.

    Raises RulesError naming the known versions when there is no such rule set.
    """
    try:
        # One Rules per rule set version, so its families are looked up once.
        return rule_in_force(RULESETS, on, version).parsed(Rules)
    except RulesError as exc:
        known = ", ".join(f"{v.version} (from {v.valid_from})" for v in family_versions(RULESETS))
        if version is not None:
            raise RulesError(f"unknown rules version {version!r}; known: {known}") from exc
        raise RulesError(f"no rules version in force on {on}; known: {known}") from exc


def assess(record: AssessmentInput, *, rules_version: str | None = None) -> Assessment:
    """Return the assessment of `record` on its as_of, under the rule set in force or named.

    Raises the CoreError (InputError, RulesError) that `assess_many` gives for it.
    """
    result = assess_many([record], rules_version=rules_version)[0]
    if isinstance(result, CoreError):
        raise result
    return result


def assess_many(
    records: Sequence[AssessmentInput], *, rules_version: str | None = None
) -> list[Assessment | CoreError]:
    """Return the assessment of each record, or the CoreError that stopped it, in order.

    The same rules as `assess`, record by record; only the WHO z-scores of all the records
    are computed together, with one call of each WHO engine, which is what makes a batch
    fast. One record's error does not stop the others.
    """
    with collector_paused():
        return _assess_batch(records, rules_version)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one batch (nested: the outer one resumes it).

    A batch makes many short-lived objects and no reference cycles; reference counting frees
    them, while the collector's passes over them cost a fifth of the time (measured). Parsing
    a batch's inputs (`parse_input`) makes none either.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _assess_batch(
    records: Sequence[AssessmentInput], rules_version: str | None
) -> list[Assessment | CoreError]:
    # Adults are finished at once; children wait for the one scoring call of the batch, so
    # only they are held (fewer objects held, less work for the garbage collector).
    results: list[Assessment | CoreError | None] = []
    waiting: list[tuple[int, _Started, GrowthPlan]] = []
    for record in records:
        try:
            started = _start(record, rules_version)
        except CoreError as exc:
            results.append(exc)
            continue
        if started.growth is None:
            results.append(_finished(started, None))
        else:
            waiting.append((len(results), started, started.growth))
            results.append(None)
    scores = score_plans([plan for _, _, plan in waiting])
    for (index, started, plan), plan_scores in zip(waiting, scores, strict=True):
        results[index] = _finished(started, (plan, plan_scores))
    return [result for result in results if result is not None]


def _finished(
    started: _Started, growth: tuple[GrowthPlan, Scores] | None
) -> Assessment | CoreError:
    try:
        return _finish(started, growth)
    except CoreError as exc:
        return exc


class _Started(NamedTuple):
    """A record with its rules, age, stages and growth plan, waiting for its z-scores."""

    record: AssessmentInput
    version: str
    tables: _Tables
    age: Age
    stages: tuple[str, ...]
    recent: list[MeasurementRecord]  # on or before as_of, latest first
    growth: GrowthPlan | None


@lru_cache(maxsize=256)
def _rules_on(on: dt.date, rules_version: str | None) -> tuple[str, _Tables]:
    """Return the rule set's version id and tables for a day (most records share a few)."""
    rules = rules_for(on, rules_version)
    return rules.version, rules.ruleset.parsed(_tables)


def _start(record: AssessmentInput, rules_version: str | None) -> _Started:
    version, tables = _rules_on(record.as_of, rules_version)
    person, as_of = record.person, record.as_of
    age = Age.between(person.birth_date, as_of)
    stages = stage_codes(person, as_of, tables.stages, age)
    recent = latest_first(record.measurements, as_of)
    growth = (
        plan_growth_in(person, recent, as_of, tables.growth_classes)
        if is_child(age, tables.stages)
        else None
    )
    return _Started(record, version, tables, age, stages, recent, growth)


def _finish(started: _Started, growth: tuple[GrowthPlan, Scores] | None) -> Assessment:
    record, tables, age, stages = started.record, started.tables, started.age, started.stages
    person, as_of = record.person, record.as_of
    section = _NO_GROWTH if growth is None else finish_growth(*growth)
    trend, due, basis = _judge(started, section)
    findings: Sequence[str] = sorted(basis) if basis else ()
    pregnant = person.is_pregnant
    reasons = referral_reasons(findings, pregnant=pregnant, table=tables.referral)
    services = services_for(
        stages, age, person.sex, pregnant, person.smoker, findings, as_of.month, bool(reasons),
        tables.packages,
    )  # fmt: skip
    return Assessment(
        record.id,
        as_of,
        age,
        stages,
        frozen_mapping(section.indicators),
        trend,
        tuple(findings),
        tuple(due),
        services,
        bool(reasons),
        tuple(reasons),
        frozen_mapping({code: basis[code] for code in findings} if basis else basis),
        started.version,
    )


_NO_GROWTH = GrowthSection({}, ())


def _judge(
    started: _Started, growth: GrowthSection
) -> tuple[Trend | None, list[DueDose], dict[str, str]]:
    """Run the weight trend, immunisation and adult rules; return the trend, the doses due
    and {finding code: citation of the rule that raised it}, the growth findings included."""
    record, tables, age = started.record, started.tables, started.age
    person, as_of = record.person, record.as_of
    trend = record_weight_trend(person.birth_date, record.measurements, as_of, tables.kbm, age)
    due = immunizations_due(
        birth_date=person.birth_date,
        doses=record.immunizations,  # a Dose is a (vaccine, date) pair
        as_of=as_of,
        province_code=person.province_code,
        schedule=tables.schedule,
        age=age,
    )
    adult = adult_findings_in(
        person,
        started.recent,
        as_of,
        thresholds=tables.thresholds,
        anaemia=tables.anaemia,
        stages=tables.stages,
        age=age,
    )
    # A Finding is a (code, basis) pair, so findings are {code: basis} items as they are.
    basis = dict(growth.findings)
    basis.update(adult)
    if trend is not None:
        basis.update(dict.fromkeys(trend_findings(trend), tables.kbm.citation))
    if due:
        basis.update(dict.fromkeys(immunization_findings(due), tables.schedule.citation))
    return trend, due, basis
