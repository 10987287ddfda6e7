"""The scalar API: ChildMeasurement in, GrowthZ out, through the vectorised engines.

Also: the batch form gives what one at a time gives, and the plain-Python R rounding of one
value is the vectorised `r_round2` bit for bit.
"""

from __future__ import annotations

import dataclasses
import math
import random

import numpy as np
import pytest

from posyandu.core.errors import InputError
from posyandu.core.growth import (
    ChildMeasurement,
    GrowthZ,
    child_z_2006_many,
    child_z_2007_many,
    child_zscores_2006,
    child_zscores_2006_many,
    child_zscores_2007,
    child_zscores_2007_many,
)
from posyandu.core.growth.zscore import r_round2, r_round2_scalar
from tests.core.growth import by_hand


def test_child_zscores_2006_gives_every_indicator_with_flags() -> None:
    m = ChildMeasurement(sex=1, age_days=400, weight_kg=9.5, lenhei_cm=76.0, measure="l",
                         headc_cm=46.0, armc_cm=14.5, triskin_mm=8.0, subskin_mm=6.5)  # fmt: skip
    g = child_zscores_2006(m)
    assert g.reference == "who2006"
    assert g.age_group == "0-59m"
    lam, mu, sigma = by_hand.lms("weianthro.txt", 1, 400)
    assert g.wfa == round(by_hand.z(9.5, lam, mu, sigma), 2)
    for field in ("wfa", "hfa", "wfh", "bfa", "hcfa", "acfa", "tsfa", "ssfa"):
        assert isinstance(getattr(g, field), float), field
        assert getattr(g, field + "_flag") is False, field


def test_child_zscores_2006_missing_measurements_give_none() -> None:
    g = child_zscores_2006(ChildMeasurement(sex=2, age_days=100, weight_kg=5.5))
    assert g.wfa is not None
    assert g.wfa_flag is False
    assert (g.hfa, g.wfh, g.bfa, g.hcfa, g.hfa_flag) == (None, None, None, None, None)


def test_child_zscores_2006_from_60_months_gives_nothing() -> None:
    g = child_zscores_2006(ChildMeasurement(sex=2, age_days=1827, weight_kg=16.0, lenhei_cm=105.0))
    assert g == GrowthZ(reference="who2006")


def test_child_zscores_2007_uses_fractional_months() -> None:
    m = ChildMeasurement(sex=2, age_days=3000, weight_kg=25.0, lenhei_cm=125.0)
    g = child_zscores_2007(m)
    assert g.reference == "who2007"
    assert g.age_group == "5-18y"
    months = 3000 / 30.4375
    low, high = (by_hand.lms("hfawho2007.txt", 2, k) for k in (98, 99))
    lam, mu, sigma = by_hand.between(low, high, months - 98)
    assert g.hfa == round(by_hand.z(125.0, lam, mu, sigma), 2)
    assert g.wfa is not None
    assert g.bfa is not None
    assert (g.wfh, g.hcfa, g.acfa, g.tsfa, g.ssfa) == (None, None, None, None, None)


def test_child_zscores_2007_weight_for_age_stops_after_120_months() -> None:
    g = child_zscores_2007(ChildMeasurement(sex=1, age_days=3700, weight_kg=35.0, lenhei_cm=145.0))
    assert g.wfa is None
    assert g.hfa is not None


def test_child_zscores_2006_flag_is_true_for_implausible_z() -> None:
    g = child_zscores_2006(ChildMeasurement(sex=1, age_days=400, weight_kg=2.0))
    assert g.wfa is not None
    assert g.wfa_flag is True


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"sex": 3}, "sex"), ({"age_days": -1}, "age_days"), ({"age_days": 1.5}, "age_days"),
     ({"age_days": True}, "age_days"), ({"measure": "x"}, "measure")],
)  # fmt: skip
def test_child_measurement_rejects_unreadable_values(
    changes: dict[str, object], field: str
) -> None:
    base = {"sex": 1, "age_days": 10}
    with pytest.raises(InputError) as caught:
        ChildMeasurement(**(base | changes))  # type: ignore[arg-type]
    assert caught.value.field == field


def test_growth_z_is_frozen() -> None:
    g = GrowthZ(reference="who2006", wfa=0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.wfa = 1.0  # type: ignore[misc]


def _r_round2_inputs() -> list[float]:
    """Many values, weighted to the ties: x.xx5 in decimal, exact binary halves, signs, ends."""
    rng = random.Random(20)
    values = [k / 1000 for k in range(-20_005, 20_006, 5)]  # every x.xx5 and x.xx0 to ±20
    values += [k / 200 for k in range(-4001, 4002)]  # exact binary halves of a hundredth too
    values += [rng.uniform(-10, 10) for _ in range(20_000)]
    values += [rng.uniform(-1e6, 1e6) for _ in range(2_000)]
    values += [math.nextafter(v, d) for v in (0.125, -2.675, 1.005, 0.015) for d in (-9, 9)]
    values += [0.0, -0.0, 2.0**43, -(2.0**43), 2.0**43 - 0.5, 1e300, -1e308, 5e-324]
    return [*values, math.inf, -math.inf, math.nan]


def test_r_round2_scalar_is_r_round2_bit_for_bit() -> None:
    values = _r_round2_inputs()
    expected = r_round2(np.array(values, dtype=np.float64))
    ours = np.array([r_round2_scalar(v) for v in values], dtype=np.float64)
    # Compare the bits: equal values, the same NaNs and no -0.0 against 0.0.
    assert ours.view(np.int64).tolist() == expected.view(np.int64).tolist()


def _children(n: int, seed: int, first_day: int, last_day: int) -> list[ChildMeasurement]:
    rng = random.Random(seed)

    def maybe(low: float, high: float) -> float | None:
        return None if rng.random() < 0.15 else round(rng.uniform(low, high), 1)

    return [
        ChildMeasurement(
            sex=rng.choice((1, 2)),
            age_days=rng.randrange(first_day, last_day),
            weight_kg=maybe(1.5, 60.0),
            lenhei_cm=maybe(44.0, 180.0),
            measure=rng.choice(("l", "h", None)),
            oedema=rng.random() < 0.05,
            headc_cm=maybe(30.0, 55.0),
        )
        for _ in range(n)
    ]


def test_child_zscores_many_give_what_one_at_a_time_gives() -> None:
    young = _children(400, seed=3, first_day=0, last_day=1900)
    older = _children(400, seed=4, first_day=1800, last_day=7000)
    assert child_zscores_2006_many(young) == [child_zscores_2006(m) for m in young]
    assert child_zscores_2007_many(older) == [child_zscores_2007(m) for m in older]
    assert child_zscores_2006_many([]) == child_zscores_2007_many([]) == []
    # The z-only form is the same z-scores.
    z_2006 = ("wfa", "hfa", "wfh", "bfa", "hcfa", "acfa", "tsfa", "ssfa")
    assert child_z_2006_many(young) == [
        {name: getattr(g, name) for name in z_2006} for g in child_zscores_2006_many(young)
    ]
    assert child_z_2007_many(older) == [
        {name: getattr(g, name) for name in ("wfa", "hfa", "bfa")}
        for g in child_zscores_2007_many(older)
    ]
