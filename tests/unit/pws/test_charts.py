"""The trend sparkline: one point per month, gaps for months without a value."""

import re

from posyandu.pws.charts import sparkline

MONTHS = [f"Bulan {i}" for i in range(12)]


def test_one_point_per_month_and_hollow_points_for_missing_months():
    values = [None, 50.0, 60.0, None, *([70.0] * 8)]
    svg = str(sparkline(values, months=MONTHS, summary="D/S"))
    assert svg.count("<circle") == 12
    assert svg.count('class="point none"') == 2
    # The line breaks at the missing month: it starts again with a move ("M").
    path = re.search(r'<path class="line" d="([^"]*)"', svg).group(1)
    assert path.count("M") == 2


def test_target_line_and_escaped_summary():
    svg = str(sparkline([80.0] * 12, months=MONTHS, summary='<D/S> "naik"', target=80.0))
    assert 'class="target"' in svg
    assert "&lt;D/S&gt;" in svg
    assert "<D/S>" not in svg


def test_no_value_at_all_still_draws_every_month():
    svg = str(sparkline([None] * 12, months=MONTHS, summary="kosong", target=80.0))
    assert svg.count("<circle") == 12
    assert 'class="target"' not in svg
