"""Weight trend on the KMS: N, T, 2T, O, B.

Rule (ASSESS.md, "Weight trend (KMS, Buku KIA)"; source: Buku KIA 2023, Kemenkes RI, KMS and
its KBM table, "Kenaikan Berat Badan Minimal"): children 0-59 months only. Take the latest
weighing of each calendar month; compare month M (latest on or before as_of) with month M-1.
KBM by completed months at the later weighing: 1 mo 800 g, 2 mo 900, 3 mo 800, 4 mo 600,
5 mo 500, 6-7 mo 400, 8-10 mo 300, 11-59 mo 200; at 0 months there is no trend (B).
N gain >= KBM in whole grams; T gain < KBM; 2T this T and M-1 vs M-2 was also T; O no
weighing in M-1 but one earlier; B no earlier weighing; null no weighing at all.
"""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.assess.trend import trend_findings, weight_trend
from posyandu.core.dates import add_months
from posyandu.core.errors import InputError
from posyandu.core.rulebook import rule_in_force

D = dt.date
KBM = rule_in_force("kbm", D(2026, 11, 23))
BORN = D(2025, 3, 2)


def trend(weighings: list[tuple[str, float]], as_of: str, born: dt.date = BORN) -> str | None:
    """Return the trend for ("yyyy-mm-dd", kg) weighings on `as_of`."""
    return weight_trend(
        birth_date=born,
        weighings=[(D.fromisoformat(day), kg) for day, kg in weighings],
        as_of=D.fromisoformat(as_of),
        kbm=KBM,
    )


def test_trend_kbm_exactly_met_is_n_despite_float_error():
    # 3 months: KBM 800 g; 8.1 - 7.3 is 0.7999... kg in floating point.
    assert trend([("2025-05-10", 7.3), ("2025-06-10", 8.1)], "2025-06-10") == "N"


def test_trend_one_gram_short_of_kbm_is_t():
    assert trend([("2025-05-10", 7.3), ("2025-06-10", 8.099)], "2025-06-10") == "T"


# Both ends of every KBM band (ages in completed months at the later weighing).
KBM_EDGES = [(1, 800), (2, 900), (3, 800), (4, 600), (5, 500), (6, 400), (7, 400)]
KBM_EDGES += [(8, 300), (10, 300), (11, 200), (59, 200)]


@pytest.mark.parametrize(("age_months", "kbm_g"), KBM_EDGES)
def test_trend_kbm_band_met_vs_one_gram_short(age_months, kbm_g):
    later = add_months(BORN, age_months)
    earlier = add_months(BORN, age_months - 1)
    for gain_g, expected in ((kbm_g, "N"), (kbm_g - 1, "T")):
        weighings = [(earlier, 6.0), (later, (6000 + gain_g) / 1000)]
        result = weight_trend(birth_date=BORN, weighings=weighings, as_of=later, kbm=KBM)
        assert result == expected, f"{age_months} months, gain {gain_g} g"


def test_trend_kbm_band_follows_age_at_later_weighing_7_vs_8_months():
    # Gain 350 g: short of 400 g at 7 months, enough for 300 g at 8 months (birthday 2 Nov).
    before = ("2025-10-15", 8.0)
    assert trend([before, ("2025-11-01", 8.35)], "2025-11-01") == "T"
    assert trend([before, ("2025-11-02", 8.35)], "2025-11-02") == "N"


def test_trend_first_month_of_life_is_b():
    born = D(2025, 3, 10)
    weighings = [("2025-03-12", 3.0), ("2025-04-09", 4.5)]  # 0 months on 9 April
    assert trend(weighings, "2025-04-09", born=born) == "B"


def test_trend_one_month_old_is_judged():
    born = D(2025, 3, 10)
    assert trend([("2025-03-12", 3.0), ("2025-04-10", 3.5)], "2025-04-10", born=born) == "T"


def test_trend_single_weighing_is_b():
    assert trend([("2026-11-23", 8.1)], "2026-11-23") == "B"


def test_trend_missed_last_month_is_o():
    assert trend([("2026-09-20", 8.0), ("2026-11-23", 8.5)], "2026-11-23") == "O"


def test_trend_no_weighing_is_none():
    assert trend([], "2026-11-23") is None


def test_trend_december_to_january_is_consecutive():
    # 10 months on 5 January: KBM 300 g.
    assert trend([("2025-12-20", 8.0), ("2026-01-05", 8.3)], "2026-01-05") == "N"


def test_trend_two_consecutive_t_is_2t():
    weighings = [("2026-09-20", 8.0), ("2026-10-20", 8.1), ("2026-11-23", 8.1)]
    assert trend(weighings, "2026-11-23") == "2T"


def test_trend_t_after_n_is_t():
    weighings = [("2026-09-20", 7.9), ("2026-10-20", 8.1), ("2026-11-23", 8.1)]
    assert trend(weighings, "2026-11-23") == "T"


def test_trend_t_with_no_weighing_two_months_ago_is_t():
    weighings = [("2026-08-20", 8.0), ("2026-10-20", 8.1), ("2026-11-23", 8.1)]
    assert trend(weighings, "2026-11-23") == "T"


def test_trend_t_after_first_month_of_life_is_t():
    # The April weighing is at 0 months: that comparison had no trend, so it was not T.
    born = D(2025, 3, 10)
    weighings = [("2025-03-12", 3.0), ("2025-04-05", 3.0), ("2025-05-12", 3.0)]
    assert trend(weighings, "2025-05-12", born=born) == "T"


def test_trend_59_months_is_judged_60_months_is_none():
    born = D(2021, 3, 2)
    weighings = [("2026-01-20", 15.0), ("2026-02-20", 15.0)]
    assert trend(weighings, "2026-03-01", born=born) == "T"
    assert trend(weighings, "2026-03-02", born=born) is None


def test_trend_weighings_after_as_of_are_ignored():
    weighings = [("2026-10-20", 8.1), ("2026-11-20", 8.1), ("2026-11-25", 9.0)]
    assert trend(weighings, "2026-11-23") == "T"
    assert trend([("2026-11-25", 9.0)], "2026-11-23") is None


def test_trend_latest_weighing_of_this_month_counts():
    weighings = [("2026-10-20", 8.0), ("2026-11-03", 8.3), ("2026-11-20", 8.1)]
    assert trend(weighings, "2026-11-23") == "T"


def test_trend_latest_weighing_of_last_month_counts():
    weighings = [("2026-10-01", 7.8), ("2026-10-28", 8.0), ("2026-11-20", 8.1)]
    assert trend(weighings, "2026-11-23") == "T"


def test_trend_same_day_reweighing_replaces_first():
    weighings = [("2026-10-20", 8.0), ("2026-11-20", 8.0), ("2026-11-20", 8.3)]
    assert trend(weighings, "2026-11-23") == "N"


@pytest.mark.parametrize(
    ("code", "findings"),
    [
        ("T", ["weight.not_increasing"]),
        ("2T", ["weight.not_increasing_twice"]),
        ("N", []),
        ("O", []),
        ("B", []),
        (None, []),
    ],
)
def test_trend_findings_for_each_trend(code, findings):
    assert trend_findings(code) == findings


def test_trend_zero_weight_names_the_field():
    with pytest.raises(InputError) as info:
        trend([("2026-10-20", 8.0), ("2026-11-20", 0.0)], "2026-11-23")
    assert info.value.field == "weighings[1].weight_kg"


def test_trend_weighing_before_birth_names_the_field():
    with pytest.raises(InputError) as info:
        trend([("2025-03-01", 3.0)], "2026-11-23")
    assert info.value.field == "weighings[0].date"


def test_kbm_rules_cite_buku_kia_2023():
    assert KBM.citation.startswith("Buku KIA 2023 (Kemenkes RI), KMS: Kenaikan Berat Badan Minimal")
