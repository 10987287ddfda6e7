"""Targets (met / near / not met, exactly at the boundary) and the rule data's checks."""

import datetime as dt

import pytest

from posyandu.core.errors import RulesError
from posyandu.core.indicators import (
    Member,
    Tally,
    all_indicator_rules,
    combine,
    indicator_members,
    indicators_for_month,
    judge,
    median,
    value,
)
from posyandu.core.indicators.params import parse_params
from posyandu.core.rulebook import rule_in_force
from tests.core.indicators.build import OCT, RULES, D, person, weighing

BY = RULES.by_code


@pytest.mark.parametrize(
    ("tally", "status"),
    [(Tally(80, 100), "met"), (Tally(70, 100), "near"), (Tally(69, 100), "not_met")],
)
def test_d_s_is_judged_against_eighty_percent(tally, status):
    assert judge(BY["d_s"], tally, OCT) == status


def test_a_max_target_is_met_at_or_below_it():
    assert judge(BY["prev_stunting"], Tally(14, 100), OCT) == "met"
    assert judge(BY["prev_stunting"], Tally(19, 100), OCT) == "near"
    assert judge(BY["prev_stunting"], Tally(20, 100), OCT) == "not_met"


def test_no_denominator_means_no_value_and_no_judgement():
    assert value(BY["d_s"], Tally(0, 0)) is None
    assert judge(BY["d_s"], Tally(0, 0), OCT) is None
    assert judge(BY["s"], Tally(10, 0), OCT) is None  # no target


def test_a_yearly_target_is_prorated_by_month():
    screened = Tally(50, 100)
    assert judge(BY["cov_ptm_15_59"], screened, dt.date(2026, 6, 1)) == "met"
    assert judge(BY["cov_ptm_15_59"], screened, dt.date(2026, 12, 1)) == "not_met"


def test_counts_with_targets_are_judged_on_the_count():
    assert judge(BY["service_days"], Tally(1, 0), OCT) == "met"
    assert judge(BY["service_days"], Tally(0, 0), OCT) == "not_met"
    assert judge(BY["ref_open_7d"], Tally(2, 0), OCT) == "near"


def test_median_of_even_and_odd_counts():
    assert median([10, 3]) == 6.5
    assert median([1, 9, 4]) == 4
    assert median([]) is None


def test_every_version_has_only_countable_indicators_and_targets_with_basis():
    for rules in all_indicator_rules():
        indicators_for_month([], OCT, rules)  # raises RulesError on an uncountable code
        for d in rules.definitions:
            assert d.basis
            assert d.target is None or d.target.basis


def test_rules_before_the_ilp_guideline_do_not_exist():
    with pytest.raises(RulesError):
        rule_in_force("indicators", dt.date(2023, 7, 31))


def test_a_missing_parameter_is_named():
    raw = dict(rule_in_force("indicators", OCT).data["params"])
    del raw["ttd_min_tablets"]
    with pytest.raises(RulesError, match="ttd_min_tablets"):
        parse_params(raw, "rules indicators test")


def test_tallies_are_the_sum_of_their_members():
    born = D(2025, 1, 15)
    kids = [
        person("a", born, measurements=(weighing(D(2026, 9, 9), 9.0), weighing(OCT, 9.4))),
        person("b", born, measurements=(weighing(OCT, 9.0),)),
        person("c", born),
    ]
    tallies = indicators_for_month(kids, OCT, RULES)
    for code, members in indicator_members(kids, OCT, RULES).items():
        assert sum(m.numerator for m in members) == tallies[code].numerator, code
        assert sum(m.denominator for m in members) == tallies[code].denominator, code


def test_combine_adds_members_and_tallies_alike_and_merges_their_values():
    persons = [Member("a", 1, 1, (9,)), Member("b", 0, 1), Member("c", 1, 1, (2, 4))]
    assert combine(persons) == Tally(2, 3, (2, 4, 9))
    assert combine([Tally(2, 3, (2, 4, 9)), Tally(1, 0, (3,))]) == Tally(3, 3, (2, 3, 4, 9))
    assert combine([]) == Tally(0, 0)
