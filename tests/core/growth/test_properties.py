"""Properties: every indicator's z is non-decreasing in its measurement at a fixed age."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from posyandu.core.growth import who2006_zscores, who2007_zscores

sexes = st.sampled_from([1, 2])
measurements = st.floats(min_value=0.01, max_value=500.0, allow_nan=False)
pairs = st.tuples(measurements, measurements).map(sorted)

_2006_INPUTS = {
    "zlen": "lenhei_cm", "zwei": "weight_kg", "zhc": "headc_cm",
    "zac": "armc_cm", "zts": "triskin_mm", "zss": "subskin_mm",
}  # fmt: skip


def _non_decreasing(z: np.ndarray) -> bool:
    if np.isnan(z).any():
        return bool(np.isnan(z).all())
    return bool(z[0] <= z[1])


@settings(max_examples=300, deadline=None)
@given(
    column=st.sampled_from(sorted(_2006_INPUTS)),
    sex=sexes,
    day=st.integers(min_value=0, max_value=1826),
    pair=pairs,
)
def test_who2006_age_indicators_monotonic_in_measurement(
    column: str, sex: int, day: int, pair: list[float]
) -> None:
    kwargs = {_2006_INPUTS[column]: np.array(pair)}
    out = who2006_zscores(np.array([sex, sex]), np.array([day, day], dtype=float), **kwargs)
    assert _non_decreasing(out[column])


@settings(max_examples=300, deadline=None)
@given(
    sex=sexes,
    day=st.one_of(st.integers(min_value=0, max_value=1826), st.just(-1)),
    lenhei=st.floats(min_value=45.0, max_value=120.0),
    measure=st.sampled_from([0, 1, 2]),
    pair=pairs,
)
def test_who2006_weight_for_lenhei_and_bmi_monotonic_in_weight(
    sex: int, day: int, lenhei: float, measure: int, pair: list[float]
) -> None:
    age = math.nan if day < 0 else float(day)
    out = who2006_zscores(
        np.array([sex, sex]), np.array([age, age]), weight_kg=np.array(pair),
        lenhei_cm=np.array([lenhei, lenhei]), measure=np.array([measure, measure]),
    )  # fmt: skip
    assert _non_decreasing(out["zwfl"])
    assert _non_decreasing(out["zbmi"])


@settings(max_examples=300, deadline=None)
@given(
    sex=sexes,
    months=st.floats(min_value=60.0, max_value=228.0),
    pair=pairs,
    other=measurements,
)
def test_who2007_indicators_monotonic_in_measurement(
    sex: int, months: float, pair: list[float], other: float
) -> None:
    both = np.array([sex, sex])
    ages = np.array([months, months])
    by_height = who2007_zscores(both, ages, height_cm=np.array(pair))
    by_weight = who2007_zscores(
        both, ages, weight_kg=np.array(pair), height_cm=np.array([other] * 2)
    )
    assert _non_decreasing(by_height["zhfa"])
    assert _non_decreasing(by_weight["zwfa"])
    assert _non_decreasing(by_weight["zbfa"])


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=9, max_size=9),
    sex=st.integers(min_value=-3, max_value=5),
    measure=st.integers(min_value=-1, max_value=4),
    oedema=st.booleans(),
)
def test_who2006_and_2007_never_raise_or_warn_on_any_number(
    values: list[float], sex: int, measure: int, oedema: bool
) -> None:
    age, weight, lenhei, headc, armc, triskin, subskin, months, height = (
        np.array([v]) for v in values
    )
    out = who2006_zscores(
        np.array([sex]), age, weight, lenhei, np.array([measure]), np.array([oedema]),
        headc, armc, triskin, subskin,
    )  # fmt: skip
    out |= who2007_zscores(np.array([sex]), months, weight, height, np.array([oedema]))
    for name, column in out.items():
        assert column.shape == (1,)
        if name.startswith("f"):
            assert np.isnan(column[0]) or column[0] in (0.0, 1.0)
