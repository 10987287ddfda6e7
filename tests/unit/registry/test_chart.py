"""The growth chart's geometry: WHO SD curves from the LMS tables, bands, one point a weighing."""

from __future__ import annotations

import re

import pytest

from posyandu.registry.chart import BOTTOM, TOP, growth_chart, sd_curve, sd_value

WFA_BANDS = [
    ("severely_underweight", None, -3.0),
    ("underweight", -3.0, -2.0),
    ("normal", -2.0, 1.0),
    ("risk_of_overweight", 1.0, None),
]


@pytest.mark.parametrize(
    ("indicator", "sex", "z", "month", "who"),
    [
        # WHO Child Growth Standards, published SD tables (boys/girls, weight and length).
        ("wfa", "M", 0.0, 0, 3.3),
        ("wfa", "M", -2.0, 12, 7.7),
        ("wfa", "F", 2.0, 24, 14.8),
        ("wfa", "M", -3.0, 60, 12.4),
        ("hfa", "F", 0.0, 12, 74.0),
        ("hfa", "M", -2.0, 24, 81.7),
        ("hfa", "F", 3.0, 60, 123.7),
    ],
)
def test_sd_curve_matches_the_who_sd_tables(indicator, sex, z, month, who):
    assert sd_curve(indicator, sex, z, [month])[0] == pytest.approx(who, abs=0.1)


def test_sd_value_with_l_zero_is_the_log_normal_form():
    assert sd_value(0.0, 10.0, 0.1, 1.0) == pytest.approx(10 * 2.718281828**0.1)


def test_growth_chart_has_a_band_per_class_and_a_point_per_weighing():
    weighings = [(f"0{m}/2026", int(m * 30.4375), 3.3 + 0.6 * m) for m in range(1, 7)]
    chart = growth_chart(indicator="wfa", sex="F", bands=WFA_BANDS, measurements=weighings)
    assert [b.class_code for b in chart.bands] == [code for code, _, _ in WFA_BANDS]
    assert all(b.path.startswith("M") and b.path.endswith("Z") for b in chart.bands)
    assert len(chart.points) == 6
    assert len(chart.trail.split()) == 6
    assert [line.label for line in chart.lines] == ["-3", "-2", "0", "+1", "+2", "+3"]
    assert chart.max_months == 24


def test_growth_chart_points_sit_inside_the_plot_and_rise_with_weight():
    weighings = [("a", 30, 4.0), ("b", 61, 5.0), ("c", 92, 6.0)]
    chart = growth_chart(indicator="wfa", sex="M", bands=WFA_BANDS, measurements=weighings)
    ys = [float(p.y) for p in chart.points]
    assert all(TOP <= y <= BOTTOM for y in ys)
    assert ys == sorted(ys, reverse=True)  # heavier is higher on the screen


def test_growth_chart_of_an_older_child_runs_to_sixty_months_and_skips_later_points():
    weighings = [("a", 900, 12.0), ("b", 2000, 19.0)]
    chart = growth_chart(indicator="hfa", sex="M", bands=WFA_BANDS, measurements=weighings[:1])
    assert chart.max_months == 60
    chart = growth_chart(indicator="wfa", sex="M", bands=WFA_BANDS, measurements=weighings)
    assert len(chart.points) == 1


def test_growth_chart_coordinates_use_a_decimal_point_whatever_the_language():
    chart = growth_chart(indicator="wfa", sex="F", bands=WFA_BANDS, measurements=[("a", 10, 3.5)])
    tokens = chart.bands[2].path.replace("M", " ").replace("L", " ").replace("Z", " ").split()
    assert all(re.fullmatch(r"[0-9]+\.[0-9],[0-9]+\.[0-9]", token) for token in tokens)


def test_growth_chart_stretches_to_a_point_beyond_the_bands():
    chart = growth_chart(indicator="wfa", sex="F", bands=WFA_BANDS, measurements=[("a", 300, 25.0)])
    assert int(chart.y_ticks[-1].label) >= 25
