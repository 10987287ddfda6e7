"""Return the service package a person is due today at the posyandu.

The rule (paket layanan siklus hidup, DOMAIN.md §3 and §4.11): every visitor passes the five
steps, and each life-cycle stage has its own package of services, some done by the kader (K),
some needing a nakes, a bidan or perawat (N). Supplements follow a calendar: vitamin A in
February and August, a blue capsule (100,000 IU) at 6-11 months and a red one (200,000 IU) at
12-59 months [Vit A]; iron tablets daily in pregnancy [ANC texts] and weekly for girls of 12-18
[TTD rematri]. Screening instruments have their own ages: PUMA from 40 years and only for
smokers [Kartu Bantu Dewasa-Lansia], SKILAS from 60 [Instrumen SKILAS], SDQ 4-18 and SRQ-20
over 18 [SRQ ILP]. Sources: KMK HK.01.07/MENKES/2015/2023 (Juknis ILP); Panduan Pengelolaan
Posyandu Bidang Kesehatan, Kemenkes 2023; the ILP kartu bantu pemeriksaan.

All of it is data: the `service_packages` rule family lists, per rule, a service code, its
Indonesian label, who gives it, the stages that call for it and conditions from a small fixed
vocabulary, all of which must hold. A missing smoking answer is never read as "no": the
table asks for it (`smoker = "unknown"`) instead of deciding PUMA.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from posyandu.core.dates import Age
from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import RuleVersion

FAMILY = "service_packages"

# The stage codes of the contract (ASSESS.md), in life-course order; stable.
STAGE_CODES: tuple[str, ...] = (
    "bayi_baru_lahir",
    "bayi",
    "baduta",
    "balita",
    "anak_prasekolah",
    "usia_sekolah",
    "remaja",
    "usia_dewasa",
    "lansia",
    "wus",
    "ibu_hamil",
    "ibu_nifas",
)
_STAGE_SET = frozenset(STAGE_CODES)

_BY = MappingProxyType({"K": "kader", "N": "nakes"})
_SEXES = frozenset({"M", "F"})
_SMOKER_ANSWERS = frozenset({"yes", "no", "unknown"})
_REQUIRED_KEYS = ("code", "label", "by", "stages", "source")
_OPTIONAL_KEYS = ("unverified", "when")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class ServiceDue:
    """One service a person should get today, and who gives it."""

    code: str
    label: str
    by: str
    stages: tuple[str, ...]


@dataclass(frozen=True)
class ServiceRule:
    """One validated rule of the service package table."""

    code: str
    label: str
    by: str
    stages: frozenset[str]
    source: str
    unverified: bool
    when: Mapping[str, Any]


class _Visit(NamedTuple):
    """The facts about one person on one day that conditions may look at."""

    stages: frozenset[str]
    age: Age
    sex: str
    pregnant: bool
    smoker: str
    findings: frozenset[str]
    month: int
    refer: bool


_Test = Callable[[_Visit], bool]
_NO_FINDINGS: frozenset[str] = frozenset()
# Outcomes remembered per table before the memo starts afresh (a bound on memory).
_MEMO_LIMIT = 1 << 16


@dataclass(frozen=True)
class _Compiled:
    """A validated table ready to apply: each rule's conditions as one test, and a memo.

    Two visits with the same key (`services_for`) meet the same conditions of every rule,
    so the services list is worked out once per key and remembered with the table
    (`outcomes`).
    """

    rules: tuple[ServiceRule, ...]
    tests: tuple[_Test | None, ...]  # None: the rule has no condition
    month_cuts: tuple[int, ...]  # every age in months where some age condition changes
    year_cuts: tuple[int, ...]  # the same in years
    finding_codes: frozenset[str]  # every code some any_finding condition names
    outcomes: dict[tuple[Any, ...], tuple[ServiceDue, ...]]


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_flag(value: object) -> bool:
    return isinstance(value, bool)


def _is_months(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(_is_count(m) and 1 <= m <= 12 for m in value)
    )


def _is_code_list(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, str) and item for item in value)
    )


# Each condition: (is the table's value well formed?, does the visit meet it?).
_CONDITIONS: Mapping[str, tuple[Callable[[Any], bool], Callable[[Any, _Visit], bool]]] = (
    MappingProxyType(
        {
            "months_of_year": (_is_months, lambda v, p: p.month in v),
            "min_age_months": (_is_count, lambda v, p: p.age.months >= v),
            "max_age_months": (_is_count, lambda v, p: p.age.months <= v),
            "min_age_years": (_is_count, lambda v, p: p.age.years >= v),
            "max_age_years": (_is_count, lambda v, p: p.age.years <= v),
            "sex": (lambda v: isinstance(v, str) and v in _SEXES, lambda v, p: p.sex == v),
            "pregnant": (_is_flag, lambda v, p: p.pregnant is v),
            "smoker": (
                lambda v: isinstance(v, str) and v in _SMOKER_ANSWERS,
                lambda v, p: p.smoker == v,
            ),
            "any_finding": (_is_code_list, lambda v, p: not p.findings.isdisjoint(v)),
            "refer": (_is_flag, lambda v, p: p.refer is v),
        }
    )
)


def _parse_when(where: str, raw: object) -> Mapping[str, Any]:
    if not isinstance(raw, Mapping):
        raise RulesError(f"{where}: 'when' must be a table")
    when: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _CONDITIONS:
            known = ", ".join(sorted(_CONDITIONS))
            raise RulesError(f"{where}: unknown condition {key!r} (known: {known})")
        if not _CONDITIONS[key][0](value):
            raise RulesError(f"{where}: condition {key!r} has a bad value {value!r}")
        when[key] = frozenset(value) if isinstance(value, list) else value
    return MappingProxyType(when)


def _parse_rule(where: str, raw: object) -> ServiceRule:
    if not isinstance(raw, Mapping):
        raise RulesError(f"{where}: a service must be a table")
    unknown = set(raw) - set(_REQUIRED_KEYS) - set(_OPTIONAL_KEYS)
    missing = [key for key in _REQUIRED_KEYS if key not in raw]
    if unknown or missing:
        raise RulesError(f"{where}: unknown keys {sorted(unknown)}, missing keys {missing}")
    code, label, by, source = raw["code"], raw["label"], raw["by"], raw["source"]
    where = f"{where} ({code})"
    if not all(isinstance(text, str) and text.strip() for text in (code, label, source)):
        raise RulesError(f"{where}: code, label and source must be non-empty text")
    if not _CODE.fullmatch(code):
        raise RulesError(f"{where}: the code must be lowercase snake_case")
    if by not in _BY:
        raise RulesError(f"{where}: 'by' must be 'K' (kader) or 'N' (nakes), not {by!r}")
    stages = raw["stages"]
    if not _is_code_list(stages) or not _STAGE_SET.issuperset(stages):
        raise RulesError(f"{where}: 'stages' must list known stage codes, not {stages!r}")
    unverified = raw.get("unverified", False)
    if not _is_flag(unverified):
        raise RulesError(f"{where}: 'unverified' must be true or false")
    when = _parse_when(where, raw.get("when", {}))
    return ServiceRule(code, label, _BY[by], frozenset(stages), source, unverified, when)


def service_rules(packages: RuleVersion) -> tuple[ServiceRule, ...]:
    """Return the validated rules of a `service_packages` version; raise RulesError if bad."""
    return packages.parsed(_read_rules)


def _read_rules(packages: RuleVersion) -> tuple[ServiceRule, ...]:
    name = f"rules {packages.family} {packages.version}"
    if packages.family != FAMILY:
        raise RulesError(f"{name}: not a {FAMILY} rule version")
    raw_rules = packages.data.get("service")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError(f"{name}: no [[version.service]] table")
    rules = tuple(_parse_rule(f"{name} service #{n}", raw) for n, raw in enumerate(raw_rules, 1))
    first: dict[str, ServiceRule] = {}
    for rule in rules:
        seen = first.setdefault(rule.code, rule)
        if (seen.label, seen.by) != (rule.label, rule.by):
            raise RulesError(f"{name}: rules for {rule.code!r} disagree on label or by")
    return rules


def _check(stages: Sequence[str], age: Age, sex: str, findings: Sequence[str]) -> None:
    if isinstance(stages, str) or not _STAGE_SET.issuperset(stages):
        raise InputError("stages", f"unknown stage codes in {stages!r}")
    if isinstance(findings, str):
        raise InputError("findings", "must be a list of finding codes, not one string")
    if sex not in _SEXES:
        raise InputError("sex", f"must be 'M' or 'F', not {sex!r}")
    if age.days < 0:
        raise InputError("age", "is negative: the birth date is after the assessment date")


def services_due(
    *,
    stages: Sequence[str],
    age: Age,
    sex: str,
    pregnant: bool,
    smoker: bool | None,
    findings: Sequence[str],
    as_of: dt.date,
    packages: RuleVersion,
    refer: bool = False,
) -> list[ServiceDue]:
    """Return the services due today, sorted by code, each once with the stages calling for it.

    `refer` is the assessment's referral decision; it calls for the referral letter.
    """
    listed = services_for(
        stages, age, sex, pregnant, smoker, findings, as_of.month, refer, packages
    )
    return list(listed)


def services_for(
    stages: Sequence[str],
    age: Age,
    sex: str,
    pregnant: bool,
    smoker: bool | None,
    findings: Sequence[str],
    month: int,
    refer: bool,
    packages: RuleVersion,
) -> tuple[ServiceDue, ...]:
    """Return what `services_due` returns, as a tuple, for the month of as_of (the fast path
    of `assess`: positional, no copy)."""
    _check(stages, age, sex, findings)
    table = packages.parsed(_compile)
    answer = "unknown" if smoker is None else ("yes" if smoker else "no")
    # A tuple of stages (as `assess` passes them, sorted) keys as it is; other sequences as
    # sets. Either way the same stages give the same services.
    called = stages if type(stages) is tuple else frozenset(stages)
    named = table.finding_codes.intersection(findings) if findings else _NO_FINDINGS
    # What the rules' conditions can tell apart: ages only by the bounds they cross, and
    # findings only those some condition names. The same key, the same services.
    months = bisect.bisect_right(table.month_cuts, age.months)
    years = bisect.bisect_right(table.year_cuts, age.years)
    key = (called, months, years, sex, pregnant, answer, named, month, refer)
    listed = table.outcomes.get(key)
    if listed is None:
        found = frozenset(findings)
        listed = _listed(
            table, _Visit(frozenset(stages), age, sex, pregnant, answer, found, month, refer)
        )
        if len(table.outcomes) >= _MEMO_LIMIT:
            table.outcomes.clear()
        table.outcomes[key] = listed
    return listed


def _compile(packages: RuleVersion) -> _Compiled:
    rules = service_rules(packages)
    whens = [rule.when for rule in rules]

    def cuts(low: str, high: str) -> tuple[int, ...]:
        # `age >= v` changes at v, `age <= v` at v + 1.
        found = {w[low] for w in whens if low in w} | {w[high] + 1 for w in whens if high in w}
        return tuple(sorted(found))

    return _Compiled(
        rules=rules,
        tests=tuple(_test(when) for when in whens),
        month_cuts=cuts("min_age_months", "max_age_months"),
        year_cuts=cuts("min_age_years", "max_age_years"),
        finding_codes=frozenset().union(*(w.get("any_finding", ()) for w in whens)),
        outcomes={},
    )


def _test(when: Mapping[str, Any]) -> _Test | None:
    """Return one test of a rule's conditions, all of which must hold; None when it has none."""
    checks = tuple((_CONDITIONS[key][1], value) for key, value in when.items())
    if not checks:
        return None

    def test(visit: _Visit) -> bool:
        return all(meets(value, visit) for meets, value in checks)

    return test


def _listed(table: _Compiled, visit: _Visit) -> tuple[ServiceDue, ...]:
    """Return the services of the rules that the visit's stages call and whose tests hold,
    by code, each with every stage calling it."""
    due: dict[str, tuple[ServiceRule, set[str]]] = {}
    for rule, test in zip(table.rules, table.tests, strict=True):
        calling = visit.stages & rule.stages
        if calling and (test is None or test(visit)):
            due.setdefault(rule.code, (rule, set()))[1].update(calling)
    return tuple(
        ServiceDue(code, rule.label, rule.by, tuple(sorted(calling)))
        for code, (rule, calling) in sorted(due.items())
    )
