"""Compute every indicator of one posyandu for one month, and the persons behind each number.

Each person is read on the month's last day and counted by the rule modules (children,
immunisation, mothers, school, adults, activity) into base counts; an indicator is then a count, a
ratio of counts summed per person, or a median of per-referral values. `indicator_members`
gives each indicator's persons with their units, and `indicators_for_month` is exactly their
sum, so a dashboard number always reconciles with the list behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from posyandu.core import assess as _assess
from posyandu.core.assess import Assessment, AssessmentInput, rules_for
from posyandu.core.errors import CoreError, RulesError
from posyandu.core.indicators import activity, adults, children, immunisation, mothers, school
from posyandu.core.indicators.model import (
    Member,
    Month,
    PersonFacts,
    ServiceDayFacts,
    Tally,
    Units,
)
from posyandu.core.indicators.person import PersonMonth
from posyandu.core.indicators.rules import Definition, IndicatorRules

Counts = dict[str, int]
Values = dict[str, list[int]]
# The batch form of assess, where the core has it (it scores all children at once).
_ASSESS_MANY: Callable[[Sequence[AssessmentInput]], list[Assessment | CoreError]] | None = getattr(
    _assess, "assess_many", None
)
# Counted for the posyandu, not for a person: no person stands behind them.
POSYANDU_CODES = frozenset({"service_days"})


def indicators_for_month(
    persons: Iterable[PersonFacts],
    month: dt.date,
    rules: IndicatorRules,
    *,
    service_days: Sequence[ServiceDayFacts] = (),
) -> dict[str, Tally]:
    """Return the tally of every indicator for the month that holds `month`."""
    members = indicator_members(persons, month, rules)
    tallies = {code: combine(found) for code, found in members.items()}
    held = activity.service_days_held(service_days, Month.of(month), rules.params)
    for code in POSYANDU_CODES & set(tallies):
        tallies[code] = Tally(held, 0)
    return tallies


def indicator_members(
    persons: Iterable[PersonFacts], month: dt.date, rules: IndicatorRules
) -> dict[str, tuple[Member, ...]]:
    """Return, for every indicator, the persons in its numerator or denominator, by input order."""
    _check_producible(rules)
    the_month = Month.of(month)
    found: dict[str, list[Member]] = {d.code: [] for d in rules.definitions}
    months = [PersonMonth(f, the_month, rules.params.pregnancy_max_weeks) for f in persons]
    counted = [pm for pm in months if pm.counted]
    for made in _members_of(counted, rules):
        for code, member in made:
            found[code].append(member)
    return {code: tuple(members) for code, members in found.items()}


Made = tuple[tuple[str, Member], ...]  # one person's (indicator code, member) pairs
# Members already made, by (person id, month, rules version), with the facts they were made
# from: the same facts always count the same, so a refresh after one new weighing counts only
# the person who changed. One entry per person-month (newer facts replace older ones), and a
# lookup compares the person's facts once rather than hashing all of them on every access.
_MEMO: dict[tuple[str, dt.date, str], tuple[PersonFacts, Made]] = {}
_MEMO_MAX = 20_000


def _members_of(months: list[PersonMonth], rules: IndicatorRules) -> list[Made]:
    """Return each person's members, from the memo or made now (new ones assessed in a batch)."""
    keys = [(pm.facts.id, pm.month.first, rules.version) for pm in months]
    known = [_MEMO.get(key) for key in keys]
    new = [pm for pm, hit in zip(months, known, strict=True) if hit is None or hit[0] != pm.facts]
    _assess_in_batch(new, rules)
    using = _definitions_using(rules)
    made = {id(pm): _person_members(pm, rules, using) for pm in new}
    if len(_MEMO) + len(made) > _MEMO_MAX:
        _MEMO.clear()
    out = []
    for pm, key, hit in zip(months, keys, known, strict=True):
        found = made.get(id(pm))
        if found is None:  # not made now: in the memo, made from the same facts
            found = hit[1] if hit is not None else _person_members(pm, rules, using)
        _MEMO[key] = (pm.facts, found)
        out.append(found)
    return out


def _person_members(
    pm: PersonMonth, rules: IndicatorRules, using: Mapping[str, tuple[Definition, ...]]
) -> Made:
    """Return the indicators one person counts in this month, with her units in each."""
    counts, values = person_counts(pm, rules)
    touched = {d.code: d for code in (*counts, *values) for d in using.get(code, ())}
    made = []
    for d in touched.values():
        member = _member(pm.facts.id, d, counts, values)
        if member is not None:
            made.append((d.code, member))
    return tuple(made)


def _assess_in_batch(months: list[PersonMonth], rules: IndicatorRules) -> None:
    """Assess, in one batch, the persons the counting rules will ask about.

    `assess_many` scores every child's z-scores in one call of the WHO engine, which is what
    makes a posyandu-month fast; without it each person is assessed on demand.
    """
    batch = _ASSESS_MANY
    if batch is None:
        return
    wanted = [pm for pm in months if pm.wants_assessment(rules.params.productive_min_years)]
    results = batch([pm.assessment_input() for pm in wanted])
    for pm, result in zip(wanted, results, strict=True):
        pm.prime(result if isinstance(result, Assessment) else None)


def _definitions_using(rules: IndicatorRules) -> dict[str, tuple[Definition, ...]]:
    """Return, for each base count or median code, the definitions it enters."""
    using: dict[str, list[Definition]] = {}
    for d in rules.definitions:
        terms = {d.code} if d.kind != "ratio" else set()
        terms |= {t.removeprefix("-") for t in (*d.numerator, *d.denominator)}
        for term in terms:
            using.setdefault(term, []).append(d)
    return {code: tuple(ds) for code, ds in using.items()}


def person_counts(pm: PersonMonth, rules: IndicatorRules) -> tuple[Counts, Values]:
    """Return the base counts of one person for the month, and her per-referral values."""
    params = rules.params
    counts: Counts = {}
    counts.update(children.child_counts(pm, params))
    counts.update(immunisation.immunisation_counts(pm, params))
    counts.update(mothers.mother_counts(pm, params))
    counts.update(school.school_counts(pm, params))
    counts.update(adults.adult_counts(pm, params))
    more, values = activity.activity_counts(pm, params)
    counts.update(more)
    return counts, values


def combine(parts: Iterable[Units]) -> Tally:
    """Return the sum of tallies (posyandu into desa, desa into Puskesmas, ...) or of the
    members of one indicator (its persons into the posyandu's tally): numerators and
    denominators added, values merged and sorted."""
    numerator = denominator = 0
    values: list[int] = []
    for part in parts:
        numerator += part.numerator
        denominator += part.denominator
        values.extend(part.values)
    return Tally(numerator, denominator, tuple(sorted(values)))


def rules_version(month: dt.date, rules: IndicatorRules) -> str:
    """Return the versions a month is computed under: indicators and assess rule set."""
    return f"{rules.version}+{rules_for(Month.of(month).last).version}"


def _member(person_id: str, d: Definition, counts: Counts, values: Values) -> Member | None:
    if d.kind == "count":
        count = counts.get(d.code, 0)
        return Member(person_id, count, 0) if count else None
    if d.kind == "ratio":
        # A ratio's terms are sets of one person (O and B lie within D), so a person's units
        # never go below zero; the clamp keeps a data slip from subtracting other persons.
        numerator = max(_sum(d.numerator, counts), 0)
        denominator = max(_sum(d.denominator, counts), 0)
        if not (numerator or denominator):
            return None
        return Member(person_id, numerator, denominator)
    days = tuple(sorted(values.get(d.code, ())))
    return Member(person_id, sum(days), len(days), days) if days else None


def _sum(terms: tuple[str, ...], counts: Mapping[str, int]) -> int:
    total = 0
    for term in terms:
        if term.startswith("-"):
            total -= counts.get(term[1:], 0)
        else:
            total += counts.get(term, 0)
    return total


def _check_producible(rules: IndicatorRules) -> None:
    """Fail when a count of the rules is one no counting rule makes (it would stay 0 silently)."""
    made = (
        children.PRODUCES
        | mothers.PRODUCES
        | school.PRODUCES
        | adults.PRODUCES
        | activity.PRODUCES
        | immunisation.produces(rules.params)
    )
    unknown = [d.code for d in rules.definitions if d.kind == "count" and d.code not in made]
    medians = [d.code for d in rules.definitions if d.kind == "median"]
    unknown += [code for code in medians if code not in activity.MEDIANS]
    if unknown:
        raise RulesError(f"rules indicators {rules.version}: no counting rule for {unknown}")
