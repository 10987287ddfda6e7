"""Prevalence among children measured this month, classed by assess (Permenkes 2/2020)."""

from posyandu.core.indicators import indicators_for_month
from tests.core.indicators.build import OCT, RULES, D, person, weighing

BORN = D(2025, 1, 15)
DAY = D(2026, 10, 10)


def _measured(pid, kg, cm, **more):
    return person(pid, BORN, measurements=(weighing(DAY, kg, length_cm=cm, measure="l", **more),))


def test_stunting_counts_children_measured_for_length_this_month():
    kids = [
        _measured("severe", 10.0, 72),  # hfa -3.75
        _measured("stunted", 10.0, 76),  # hfa -2.45
        _measured("normal", 10.0, 80),
        # Length taken in September only: not in October's denominator.
        person("old", BORN, measurements=(weighing(D(2026, 9, 10), 9.8, length_cm=70),)),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["prev_stunting"][:2] == (2, 3)
    assert got["prev_stunting_severe"][:2] == (1, 3)


def test_wasting_and_muac_red_among_the_measured():
    kids = [_measured("wasted", 8.0, 82, muac_cm=11.0), _measured("fine", 10.0, 80, muac_cm=14.0)]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["prev_wasting"][:2] == (1, 2)
    assert got["prev_muac_red"][:2] == (1, 2)
    assert got["prev_overweight"][:2] == (0, 2)


def test_weight_only_children_count_for_underweight_not_for_stunting():
    kid = person("w", BORN, measurements=(weighing(DAY, 8.0),))
    got = indicators_for_month([kid], OCT, RULES)
    assert got["prev_underweight"][:2] == (1, 1)
    assert got["measured_hfa"].numerator == 0


def test_school_age_thinness_and_obesity_by_bmi_for_age():
    born = D(2015, 1, 1)
    kids = [
        person("thin", born, sex="M", measurements=(weighing(DAY, 25.0, height_cm=150),)),
        person("obese", born, sex="M", measurements=(weighing(DAY, 70.0, height_cm=150),)),
        person("adult", D(2000, 1, 1), sex="M", measurements=(weighing(DAY, 40.0, height_cm=150),)),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["prev_thinness_5_18"][:2] == (1, 2)
    assert got["prev_obesity_5_18"][:2] == (1, 2)
    assert got["s"].numerator == 0
