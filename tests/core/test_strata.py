"""Posyandu strata and active status: every criterion on both sides of its cut-off."""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.errors import InputError, RulesError
from posyandu.core.strata import posyandu_stratum, strata_rules

ON = dt.date(2026, 6, 30)
MANDIRI = {
    "service_days": 12,
    "kader_on_duty": 5,
    "ds": 50,
    "kia": 50,
    "kb": 50,
    "immunisation": 50,
    "extra_programmes": 1,
    "dana_sehat": 50,
    "months_held": 12,
    "kader_registered": 5,
}
# The stratum a posyandu falls to when one criterion is just below its cut-off.
FALLS_TO = {
    "service_days": ("pratama", 7.0),
    "kader_on_duty": ("pratama", 4.9),
    "ds": ("madya", 49.9),
    "kia": ("madya", 49.9),
    "kb": ("madya", 49.9),
    "immunisation": ("madya", 49.9),
    "extra_programmes": ("madya", 0.0),
    "dana_sehat": ("purnama", 49.9),
}


def test_every_criterion_met_at_its_cut_off_is_mandiri_and_active():
    result = posyandu_stratum(MANDIRI, ON)
    assert result.stratum == "mandiri"
    assert not result.provisional
    assert result.active is True
    assert all(r.outcome == "met" for r in result.criteria)


@pytest.mark.parametrize("code", sorted(FALLS_TO))
def test_each_criterion_just_below_its_cut_off(code):
    stratum, below = FALLS_TO[code]
    result = posyandu_stratum({**MANDIRI, code: below}, ON)
    assert result.stratum == stratum
    assert [r.criterion.code for r in result.unmet] == [code]
    assert result.unmet[0].criterion.basis


def test_the_rules_cut_offs_are_the_ones_tested():
    rules = strata_rules(ON)
    cut = {c.code: c.min for c in rules.criteria}
    assert cut == {
        "service_days": 8,
        "kader_on_duty": 5,
        "ds": 50,
        "kia": 50,
        "kb": 50,
        "immunisation": 50,
        "extra_programmes": 1,
        "dana_sehat": 50,
    }
    assert "Depkes" in rules.citation


def test_nothing_met_is_pratama_and_not_active():
    result = posyandu_stratum(dict.fromkeys(MANDIRI, 0), ON)
    assert result.stratum == "pratama"
    assert result.ceiling == "pratama"
    assert result.active is False


@pytest.mark.parametrize(
    ("code", "below"), [("months_held", 11), ("ds", 49.5), ("kader_registered", 4)]
)
def test_active_criteria_on_both_sides(code, below):
    assert posyandu_stratum(MANDIRI, ON).active is True
    result = posyandu_stratum({**MANDIRI, code: below}, ON)
    assert result.active is False
    assert [r.criterion.code for r in result.active_criteria if r.outcome == "unmet"] == [code]


def test_missing_inputs_are_not_reported_and_make_the_stratum_provisional():
    figures = {**MANDIRI, "kb": None, "dana_sehat": None}
    del figures["extra_programmes"]
    result = posyandu_stratum(figures, ON)
    assert result.stratum == "madya"
    assert result.ceiling == "mandiri"
    assert result.provisional
    assert {r.criterion.code for r in result.not_reported} == {
        "kb",
        "extra_programmes",
        "dana_sehat",
    }
    assert result.unmet == ()


def test_a_missing_input_above_an_unmet_one_does_not_make_it_provisional():
    result = posyandu_stratum({**MANDIRI, "service_days": 3, "dana_sehat": None}, ON)
    assert result.stratum == "pratama"
    assert result.ceiling == "pratama"
    assert not result.provisional


def test_active_unknown_when_a_figure_is_missing_and_none_unmet():
    assert posyandu_stratum({**MANDIRI, "ds": None}, ON).active is None
    assert posyandu_stratum({**MANDIRI, "ds": None, "months_held": 3}, ON).active is False


@pytest.mark.parametrize("bad", [-1, "12", True])
def test_bad_figures_name_the_field_and_value(bad):
    with pytest.raises(InputError, match=r"service_days: .*"):
        posyandu_stratum({**MANDIRI, "service_days": bad}, ON)


def test_no_rules_before_2006():
    with pytest.raises(RulesError):
        posyandu_stratum(MANDIRI, dt.date(2005, 12, 31))
