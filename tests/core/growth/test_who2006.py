"""WHO 2006 engine: age limits, lying/standing rules, oedema, interpolation, restricted z."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posyandu.core.growth import (
    MEASURE_HEIGHT,
    MEASURE_LENGTH,
    MEASURE_UNKNOWN,
    measure_codes,
    who2006_zscores,
)
from posyandu.core.growth.who2006 import OUTPUT_KEYS_2006
from tests.core.growth import by_hand

_CODES = {"l": MEASURE_LENGTH, "h": MEASURE_HEIGHT, None: MEASURE_UNKNOWN}


def one(
    sex: int = 1,
    age_days: float = 400,
    weight: float | None = None,
    lenhei: float | None = None,
    measure: str | None = None,
    oedema: bool = False,
    headc: float | None = None,
    armc: float | None = None,
    triskin: float | None = None,
    subskin: float | None = None,
) -> dict[str, float | None]:
    """Score one child; return each output as a float, None where NaN."""

    def col(value: float | None) -> np.ndarray:
        return np.array([np.nan if value is None else value])

    out = who2006_zscores(
        np.array([sex]), col(age_days), col(weight), col(lenhei),
        np.array([_CODES[measure]], dtype=np.int8), np.array([oedema]),
        col(headc), col(armc), col(triskin), col(subskin),
    )  # fmt: skip
    return {k: None if math.isnan(v[0]) else float(v[0]) for k, v in out.items()}


def full(age_days: float, sex: int = 1) -> dict[str, float | None]:
    """Score a child with every measurement present."""
    return one(sex, age_days, 12.0, 85.0, "h" if age_days >= 731 else "l", False,
               47.0, 15.0, 8.0, 6.0)  # fmt: skip


def hand(file: str, y: float, sex: int, key: float, restricted: bool = True) -> float:
    lam, mu, sigma = by_hand.lms(file, sex, key)
    z = by_hand.restricted_z(y, lam, mu, sigma) if restricted else by_hand.z(y, lam, mu, sigma)
    return round(z, 2)


def test_who2006_age_0_days_is_scored_but_arm_and_skinfolds_are_not() -> None:
    r = one(2, 0, weight=3.3, lenhei=49.0, measure="l", headc=34.0, armc=11.0, triskin=5.0)
    assert r["zlen"] == hand("lenanthro.txt", 49.0, 2, 0, restricted=False)
    assert r["zwei"] == hand("weianthro.txt", 3.3, 2, 0)
    assert r["zhc"] == hand("hcanthro.txt", 34.0, 2, 0, restricted=False)
    assert r["zac"] is None
    assert r["zts"] is None


def test_who2006_arm_circumference_and_skinfolds_from_day_91() -> None:
    before = one(1, 90, armc=13.0, triskin=9.0, subskin=7.0)
    first = one(1, 91, armc=13.0, triskin=9.0, subskin=7.0)
    assert (before["zac"], before["zts"], before["zss"]) == (None, None, None)
    assert first["zac"] == hand("acanthro.txt", 13.0, 1, 91)
    assert first["zts"] == hand("tsanthro.txt", 9.0, 1, 91)
    assert first["zss"] == hand("ssanthro.txt", 7.0, 1, 91)


def test_who2006_day_1826_is_scored_and_day_1827_is_not() -> None:
    # WHO's anthro scores only below 60 months (1826.25 days), although its checks mention
    # 1856 days: 1827 to 1856 days give nothing, weight-for-height included.
    assert all(v is not None for v in full(1826).values())
    for day in (1827, 1856, 1857):
        assert all(v is None for v in full(day).values()), day


def test_who2006_age_1826_uses_the_last_table_row() -> None:
    assert full(1826)["zwei"] == hand("weianthro.txt", 12.0, 1, 1826)


def test_who2006_fractional_age_rounds_half_up() -> None:
    # 30.5 days reads the day-31 row; 30.49 the day-30 row.
    assert one(1, 30.5, weight=4.5)["zwei"] == hand("weianthro.txt", 4.5, 1, 31)
    assert one(1, 30.49, weight=4.5)["zwei"] == hand("weianthro.txt", 4.5, 1, 30)


def test_who2006_length_from_731_days_loses_0_7_cm() -> None:
    lying = one(1, 731, weight=12.0, lenhei=85.7, measure="l")
    standing = one(1, 731, weight=12.0, lenhei=85.0, measure="h")
    assert lying == standing
    assert lying["zlen"] == hand("lenanthro.txt", 85.0, 1, 731, restricted=False)
    assert lying["zwfl"] == hand("wfhanthro.txt", 12.0, 1, 85.0)


def test_who2006_height_before_731_days_gains_0_7_cm() -> None:
    standing = one(2, 730, weight=10.0, lenhei=80.0, measure="h")
    lying = one(2, 730, weight=10.0, lenhei=80.7, measure="l")
    assert standing == lying
    assert standing["zlen"] == hand("lenanthro.txt", 80.7, 2, 730, restricted=False)
    assert standing["zwfl"] == hand("wflanthro.txt", 10.0, 2, 80.7)


def test_who2006_matching_position_is_not_adjusted() -> None:
    assert one(1, 730, lenhei=80.0, measure="l")["zlen"] == one(1, 730, lenhei=80.0)["zlen"]
    assert one(1, 731, lenhei=85.0, measure="h")["zlen"] == one(1, 731, lenhei=85.0)["zlen"]


def test_who2006_height_under_9_months_is_used_without_adjustment() -> None:
    # 273 days = 8.97 months: a standing height is implausible, WHO drops the position, so
    # the +0.7 cm is not added but all z-scores are still given.
    implausible = one(1, 273, weight=8.0, lenhei=68.0, measure="h")
    assert implausible == one(1, 273, weight=8.0, lenhei=68.0, measure=None)
    assert implausible["zlen"] == hand("lenanthro.txt", 68.0, 1, 273, restricted=False)
    # 274 days = 9.0018 months: the height is plausible and gains 0.7 cm.
    assert one(1, 274, lenhei=68.0, measure="h") == one(1, 274, lenhei=68.7, measure="l")


def test_who2006_oedema_blanks_only_weight_based_indicators() -> None:
    r = one(1, 400, weight=9.0, lenhei=75.0, measure="l", oedema=True, headc=46.0, armc=14.0)
    assert (r["zwei"], r["zwfl"], r["zbmi"]) == (None, None, None)
    assert (r["fwei"], r["fwfl"], r["fbmi"]) == (None, None, None)
    assert r["zlen"] is not None
    assert r["zhc"] is not None
    assert r["zac"] is not None


def test_who2006_wfl_interpolates_between_tenths_of_a_cm() -> None:
    low, high = by_hand.lms("wflanthro.txt", 1, 70.2), by_hand.lms("wflanthro.txt", 1, 70.3)
    lam, mu, sigma = by_hand.between(low, high, 0.5)
    expected = round(by_hand.restricted_z(8.1, lam, mu, sigma), 2)
    assert one(1, 300, weight=8.1, lenhei=70.25, measure="l")["zwfl"] == expected
    # ... which neither neighbouring row gives alone (-0.54 and -0.58)
    assert expected == -0.56
    assert hand("wflanthro.txt", 8.1, 1, 70.2) != expected != hand("wflanthro.txt", 8.1, 1, 70.3)


def test_who2006_restricted_z_above_3_by_hand_from_the_table_row() -> None:
    # Boy, 365 days, 14.5 kg: beyond +3 SD of weight-for-age.
    lam, mu, sigma = by_hand.lms("weianthro.txt", 1, 365)
    assert by_hand.z(14.5, lam, mu, sigma) > 3
    sd3 = mu * (1 + lam * sigma * 3) ** (1 / lam)
    sd2 = mu * (1 + lam * sigma * 2) ** (1 / lam)
    expected = round(3 + (14.5 - sd3) / (sd3 - sd2), 2)
    assert one(1, 365, weight=14.5)["zwei"] == expected
    assert expected != round(by_hand.z(14.5, lam, mu, sigma), 2)


def test_who2006_restricted_z_below_minus_3_by_hand_from_the_table_row() -> None:
    lam, mu, sigma = by_hand.lms("weianthro.txt", 2, 365)
    sdm3 = mu * (1 + lam * sigma * -3) ** (1 / lam)
    sdm2 = mu * (1 + lam * sigma * -2) ** (1 / lam)
    expected = round(-3 + (5.5 - sdm3) / (sdm2 - sdm3), 2)
    assert expected < -3
    assert one(2, 365, weight=5.5)["zwei"] == expected


def test_who2006_length_and_head_circumference_are_not_restricted() -> None:
    lam, mu, sigma = by_hand.lms("lenanthro.txt", 1, 365)
    assert one(1, 365, lenhei=90.0, measure="l")["zlen"] == round(
        by_hand.z(90.0, lam, mu, sigma), 2
    )


@pytest.mark.parametrize(
    ("measure", "lenhei", "table"),
    [("l", 90.0, "wflanthro.txt"), ("h", 80.0, "wfhanthro.txt"),
     (None, 86.9, "wflanthro.txt"), (None, 87.0, "wfhanthro.txt")],
)  # fmt: skip
def test_who2006_wfl_without_age_chooses_table_by_measure_then_size(
    measure: str | None, lenhei: float, table: str
) -> None:
    r = one(1, math.nan, weight=11.0, lenhei=lenhei, measure=measure)
    assert r["zwfl"] == hand(table, 11.0, 1, lenhei)
    assert r["zlen"] is None
    assert r["zwei"] is None


@pytest.mark.parametrize(
    ("age_days", "lenhei", "scored"),
    [(300, 44.9, False), (300, 45.0, True), (300, 110.0, True), (300, 110.1, False),
     (900, 64.9, False), (900, 65.0, True), (900, 120.0, True), (900, 120.1, False)],
)  # fmt: skip
def test_who2006_wfl_length_and_height_ranges(age_days: int, lenhei: float, scored: bool) -> None:
    r = one(1, age_days, weight=9.0, lenhei=lenhei)
    assert (r["zwfl"] is not None) is scored


def test_who2006_unknown_sex_scores_nothing() -> None:
    r = one(0, 400, 9.0, 75.0, "l", False, 45.0, 14.0, 8.0, 6.0)
    assert all(v is None for v in r.values())


def test_who2006_negative_age_counts_as_unknown() -> None:
    r = one(1, -1, weight=9.0, lenhei=75.0, measure="l")
    assert r["zwei"] is None
    assert r["zwfl"] == one(1, math.nan, weight=9.0, lenhei=75.0, measure="l")["zwfl"]


@pytest.mark.parametrize("bad", [0.0, -3.0, math.inf])
def test_who2006_non_positive_or_infinite_measurements_are_missing(bad: float) -> None:
    r = one(1, 400, bad, bad, "l", False, bad, bad, bad, bad)
    assert all(v is None for v in r.values())


def test_who2006_flags_use_each_indicator_range() -> None:
    light = one(1, 400, weight=2.0)  # far below -6 SD of weight-for-age
    assert light["zwei"] is not None
    assert light["zwei"] < -6
    assert light["fwei"] == 1.0
    typical = full(400)
    assert all(typical[k] == 0.0 for k in OUTPUT_KEYS_2006 if k.startswith("f"))


def test_who2006_empty_columns_give_empty_outputs() -> None:
    out = who2006_zscores(np.array([], dtype=int), np.array([]))
    assert set(out) == set(OUTPUT_KEYS_2006)
    assert all(v.shape == (0,) for v in out.values())


def test_who2006_absent_columns_mean_missing() -> None:
    out = who2006_zscores(np.array([1]), np.array([400.0]), weight_kg=np.array([9.5]))
    assert not math.isnan(out["zwei"][0])
    assert math.isnan(out["zlen"][0])


def test_who2006_columns_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError, match="length"):
        who2006_zscores(np.array([1, 2]), np.array([400.0]))


def test_measure_codes_reads_text_in_any_case() -> None:
    assert measure_codes(["l", " H ", "x", None, ""]).tolist() == [1, 2, 0, 0, 0]
