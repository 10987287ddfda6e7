"""Permenkes 2/2020 classes: band edges on both sides, versions, MUAC, vectorised = scalar."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

from posyandu.core.errors import InputError, RulesError
from posyandu.core.growth.classify import (
    classify_muac,
    classify_muac_array,
    classify_z,
    classify_z_array,
    growth_class_rules,
)

ON = dt.date(2024, 6, 1)
RULES = Path(__file__).parents[3] / "src/posyandu/core/data/rules/growth_classes.toml"

_WASTING = [
    (-3.01, "severely_wasted"), (-3.0, "wasted"), (-2.01, "wasted"), (-2.0, "normal"),
    (1.0, "normal"), (1.01, "possible_risk_of_overweight"), (2.0, "possible_risk_of_overweight"),
    (2.01, "overweight"), (3.0, "overweight"), (3.01, "obese"),
]  # fmt: skip
_STUNTING = [
    (-3.01, "severely_stunted"), (-3.0, "stunted"), (-2.01, "stunted"), (-2.0, "normal"),
    (3.0, "normal"), (3.01, "tall"),
]  # fmt: skip
EDGES = [
    *[("wfa", "0-59m", z, code) for z, code in [
        (-3.01, "severely_underweight"), (-3.0, "underweight"), (-2.01, "underweight"),
        (-2.0, "normal"), (1.0, "normal"), (1.01, "risk_of_overweight")]],
    *[("hfa", "0-59m", z, code) for z, code in _STUNTING],
    *[("wfh", "0-59m", z, code) for z, code in _WASTING],
    *[("bfa", "0-59m", z, code) for z, code in _WASTING],
    *[("hcfa", "0-59m", z, code) for z, code in [
        (-2.01, "microcephaly"), (-2.0, "normal"), (2.0, "normal"), (2.01, "macrocephaly")]],
    *[("bfa", "5-18y", z, code) for z, code in [
        (-3.01, "severely_thin"), (-3.0, "thin"), (-2.01, "thin"), (-2.0, "normal"),
        (1.0, "normal"), (1.01, "overweight"), (2.0, "overweight"), (2.01, "obese")]],
    *[("hfa", "5-18y", z, code) for z, code in _STUNTING],
]  # fmt: skip


@pytest.mark.parametrize(("indicator", "age_group", "z", "code"), EDGES)
def test_classify_z_band_edges(indicator: str, age_group: str, z: float, code: str) -> None:
    assert classify_z(indicator, z, age_group, ON) == code


def test_classify_z_array_agrees_with_scalar_on_every_edge() -> None:
    for indicator, age_group in {(e[0], e[1]) for e in EDGES}:
        zs = np.array([e[2] for e in EDGES if e[:2] == (indicator, age_group)])
        codes = [e[3] for e in EDGES if e[:2] == (indicator, age_group)]
        assert classify_z_array(indicator, zs, age_group, ON).tolist() == codes


@pytest.mark.parametrize(
    ("z", "code"),
    [(-2.004, "normal"), (-2.006, "underweight"), (1.004, "normal"), (1.006, "risk_of_overweight")],
)
def test_classify_z_rounds_to_2_decimals_first(z: float, code: str) -> None:
    assert classify_z("wfa", z, "0-59m", ON) == code


@pytest.mark.parametrize(("indicator", "z"), [("wfa", 0.0), ("wfh", 0.0), ("hcfa", 0.0)])
def test_classify_z_has_no_class_for_these_from_5_years(indicator: str, z: float) -> None:
    assert classify_z(indicator, z, "5-18y", ON) is None


@pytest.mark.parametrize("z", [None, math.nan])
def test_classify_z_without_z_is_none(z: float | None) -> None:
    assert classify_z("hfa", z, "0-59m", ON) is None


def test_classify_z_refuses_unknown_indicator_and_age_group() -> None:
    with pytest.raises(InputError, match="indicator"):
        classify_z("lfa", 0.0, "0-59m", ON)
    with pytest.raises(InputError, match="age_group"):
        classify_z("wfa", 0.0, "0-5y", ON)


def test_growth_classes_in_force_from_16_january_2020() -> None:
    assert growth_class_rules(dt.date(2020, 1, 16)).version == "2020.1"
    with pytest.raises(RulesError):
        classify_z("wfa", 0.0, "0-59m", dt.date(2020, 1, 15))
    assert classify_z("wfa", -2.5, "0-59m", dt.date(2000, 1, 1), version="2020.1") == "underweight"
    with pytest.raises(RulesError):
        classify_z("wfa", 0.0, "0-59m", ON, version="1999.1")


def test_growth_class_rules_cite_the_permenkes() -> None:
    assert "Permenkes No. 2 Tahun 2020" in growth_class_rules(ON).citation


@pytest.mark.parametrize(
    ("muac", "months", "code"),
    [(11.49, 12, "severe_acute_malnutrition"), (11.5, 12, "moderate_acute_malnutrition"),
     (12.49, 12, "moderate_acute_malnutrition"), (12.5, 12, "normal"),
     (10.0, 5.99, None), (10.0, 6, "severe_acute_malnutrition"),
     (10.0, 59.99, "severe_acute_malnutrition"), (10.0, 60, None), (None, 12, None)],
)  # fmt: skip
def test_classify_muac_bands_and_ages(muac: float | None, months: float, code: str | None) -> None:
    assert classify_muac(muac, months, ON) == code


def test_classify_muac_array_matches_scalar() -> None:
    muac = np.array([11.0, 12.0, 13.0, np.nan])
    months = np.array([10.0, 10.0, 10.0, 10.0])
    assert classify_muac_array(muac, months, ON).tolist() == [
        "severe_acute_malnutrition", "moderate_acute_malnutrition", "normal", None,
    ]  # fmt: skip


def test_rules_file_uses_only_the_stable_class_codes() -> None:
    stable = {
        "severely_underweight", "underweight", "normal", "risk_of_overweight",
        "severely_stunted", "stunted", "tall", "severely_wasted", "wasted",
        "possible_risk_of_overweight", "overweight", "obese", "microcephaly", "macrocephaly",
        "severely_thin", "thin", "severe_acute_malnutrition", "moderate_acute_malnutrition",
    }  # fmt: skip
    data = tomllib.loads(RULES.read_text(encoding="utf-8"))
    for version in data["version"]:
        bands = [b for entry in version["z_bands"] for b in entry["bands"]]
        bands += version["muac"]["bands"]
        assert {b["code"] for b in bands} <= stable


def test_classify_z_scalar_agrees_with_array_on_many_values() -> None:
    rng = np.random.default_rng(11)
    # Many values on and beside the band edges (±3, ±2, ±1 and the unrounded halves).
    zs = np.concatenate(
        [rng.uniform(-4.0, 4.0, 3000), np.round(rng.uniform(-4.0, 4.0, 3000), 3), [np.nan]]
    )
    for indicator in ("wfa", "hfa", "wfh", "bfa", "hcfa"):
        for age_group in ("0-59m", "5-18y"):
            array = classify_z_array(indicator, zs, age_group, ON).tolist()
            scalar = [classify_z(indicator, float(z), age_group, ON) for z in zs]
            assert scalar == array, (indicator, age_group)


def test_classify_muac_scalar_agrees_with_array_on_many_values() -> None:
    rng = np.random.default_rng(12)
    muac = np.concatenate([np.round(rng.uniform(9.0, 15.0, 2000), 2), [np.nan]])
    months = np.round(rng.uniform(0.0, 70.0, muac.size), 1)
    array = classify_muac_array(muac, months, ON).tolist()
    assert [
        classify_muac(float(c), float(m), ON) for c, m in zip(muac, months, strict=True)
    ] == array
