"""WHO 2007 engine: age limits (60-228 months, weight-for-age to 120), interpolation, oedema."""

from __future__ import annotations

import math

import numpy as np
import pytest

from posyandu.core.growth import who2007_zscores
from tests.core.growth import by_hand


def one(
    sex: int, months: float, weight: float | None = 25.0, height: float | None = 130.0,
    oedema: bool = False,
) -> dict[str, float | None]:  # fmt: skip
    """Score one child; return each output as a float, None where NaN."""

    def col(value: float | None) -> np.ndarray:
        return np.array([np.nan if value is None else value])

    out = who2007_zscores(np.array([sex]), col(months), col(weight), col(height), [oedema])
    return {k: None if math.isnan(v[0]) else float(v[0]) for k, v in out.items()}


def hand(file: str, y: float, sex: int, month: float, restricted: bool = True) -> float:
    low = by_hand.lms(file, sex, math.floor(month))
    high = by_hand.lms(file, sex, math.floor(month) + 1)
    lam, mu, sigma = by_hand.between(low, high, month - math.floor(month))
    z = by_hand.restricted_z(y, lam, mu, sigma) if restricted else by_hand.z(y, lam, mu, sigma)
    return round(z, 2)


@pytest.mark.parametrize(
    ("months", "hfa", "wfa", "bfa"),
    [(59.99, False, False, False), (60.0, True, True, True), (120.0, True, True, True),
     (120.01, True, False, True), (228.0, True, False, True), (228.01, False, False, False),
     (228.5, False, False, False), (229.0, False, False, False)],
)  # fmt: skip
def test_who2007_age_limits_are_inclusive(months: float, hfa: bool, wfa: bool, bfa: bool) -> None:
    r = one(2, months, weight=30.0, height=140.0)
    assert (r["zhfa"] is not None, r["zwfa"] is not None, r["zbfa"] is not None) == (hfa, wfa, bfa)


def test_who2007_whole_month_uses_its_own_row() -> None:
    r = one(1, 100.0, weight=25.0, height=130.0)
    assert r["zhfa"] == hand("hfawho2007.txt", 130.0, 1, 100.0, restricted=False)
    assert r["zwfa"] == hand("wfawho2007.txt", 25.0, 1, 100.0)


def test_who2007_fractional_month_interpolates_lms() -> None:
    r = one(1, 100.25, weight=25.0, height=130.0)
    assert r["zhfa"] == hand("hfawho2007.txt", 130.0, 1, 100.25, restricted=False)
    assert r["zwfa"] == hand("wfawho2007.txt", 25.0, 1, 100.25)
    assert r["zbfa"] == hand("bfawho2007.txt", 25.0 / 1.3**2, 1, 100.25)


def test_who2007_last_months_use_the_last_rows() -> None:
    assert one(2, 228.0, height=163.0)["zhfa"] == hand(
        "hfawho2007.txt", 163.0, 2, 228.0, restricted=False
    )
    assert one(2, 120.0, weight=31.0)["zwfa"] == hand("wfawho2007.txt", 31.0, 2, 120.0)


def test_who2007_oedema_blanks_weight_and_bmi_for_age() -> None:
    r = one(1, 100.0, oedema=True)
    assert (r["zwfa"], r["fwfa"], r["zbfa"], r["fbfa"]) == (None, None, None, None)
    assert r["zhfa"] is not None


def test_who2007_restricted_bmi_beyond_3_by_hand() -> None:
    lam, mu, sigma = by_hand.lms("bfawho2007.txt", 2, 150)
    bmi = 40.0
    assert by_hand.z(bmi, lam, mu, sigma) > 3
    sd3, sd2 = by_hand.sd(3, lam, mu, sigma), by_hand.sd(2, lam, mu, sigma)
    expected = round(3 + (bmi - sd3) / (sd3 - sd2), 2)
    assert one(2, 150.0, weight=40.0, height=100.0)["zbfa"] == expected


def test_who2007_flags() -> None:
    r = one(1, 100.0, weight=80.0, height=60.0)
    assert r["fhfa"] == 1.0
    assert r["zhfa"] is not None
    assert r["zhfa"] < -6
    assert r["fwfa"] == 1.0
    assert r["fbfa"] == 1.0
    assert one(1, 100.0)["fhfa"] == 0.0


@pytest.mark.parametrize("sex", [0, 3])
def test_who2007_unknown_sex_scores_nothing(sex: int) -> None:
    assert all(v is None for v in one(sex, 100.0).values())


@pytest.mark.parametrize("months", [math.nan, -1.0, math.inf])
def test_who2007_missing_or_negative_age_scores_nothing(months: float) -> None:
    assert all(v is None for v in one(1, months).values())
