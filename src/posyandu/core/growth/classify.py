"""Permenkes 2/2020 growth classes, read from the versioned rule table `growth_classes`.

The bands are data (`posyandu/core/data/rules/growth_classes.toml`, which states the boundary
semantics); this module only applies them, to one value or to whole columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from posyandu.core.errors import InputError, RulesError
from posyandu.core.growth.tables import FloatArray
from posyandu.core.growth.zscore import r_round2, r_round2_scalar
from posyandu.core.rulebook import rule_in_force

FAMILY = "growth_classes"

AgeGroup = Literal["0-59m", "5-18y"]
Indicator = Literal["wfa", "hfa", "wfh", "bfa", "hcfa"]
AGE_GROUPS: tuple[str, ...] = get_args(AgeGroup)
INDICATORS: tuple[str, ...] = get_args(Indicator)

CodeArray = npt.NDArray[np.int16]
ObjectArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Bands:
    """Ordered bands: `codes[i]` holds values up to `bounds[i]` (inclusive where `up_to[i]`)."""

    codes: tuple[str, ...]
    bounds: tuple[float, ...]  # one fewer than codes: the last band is open
    up_to: tuple[bool, ...]

    def index(self, values: FloatArray) -> CodeArray:
        """Return each value's band index, or -1 where the value is NaN."""
        out = np.full(values.shape, len(self.codes) - 1, dtype=np.int16)
        # From the top band down, so each value ends in the lowest band that holds it.
        with np.errstate(invalid="ignore"):
            for i in range(len(self.bounds) - 1, -1, -1):
                holds = values <= self.bounds[i] if self.up_to[i] else values < self.bounds[i]
                out[holds] = i
        out[np.isnan(values)] = -1
        return out

    def code_of(self, value: float) -> str | None:
        """Return the code of the band holding one value (None for NaN), as `index` does."""
        if value != value:  # NaN
            return None
        for code, bound, up_to in zip(self.codes, self.bounds, self.up_to, strict=False):
            if (value <= bound) if up_to else (value < bound):
                return code
        return self.codes[-1]


@dataclass(frozen=True)
class GrowthClassRules:
    """One version of the growth class rules, compiled for use."""

    version: str
    citation: str
    z_decimals: int
    z_bands: Mapping[tuple[str, str], Bands]  # by (age group, indicator)
    known_bands: Mapping[tuple[str, str], Bands]  # those of a known age group and indicator
    muac: Bands
    muac_from_months: float
    muac_below_months: float


def _bands(where: str, raw: Sequence[Mapping[str, Any]]) -> Bands:
    codes: list[str] = []
    bounds: list[float] = []
    up_to: list[bool] = []
    for i, band in enumerate(raw):
        codes.append(str(band["code"]))
        keys = {"below", "up_to"} & band.keys()
        if i == len(raw) - 1:
            if keys:
                raise RulesError(f"{FAMILY} {where}: the last band must have no bound")
            break
        if len(keys) != 1:
            raise RulesError(f"{FAMILY} {where}: band {codes[-1]!r} needs below or up_to")
        key = keys.pop()
        bounds.append(float(band[key]))
        up_to.append(key == "up_to")
    if len(codes) < 2 or list(bounds) != sorted(set(bounds)):
        raise RulesError(f"{FAMILY} {where}: bands need rising bounds")
    return Bands(tuple(codes), tuple(bounds), tuple(up_to))


@cache
def _compiled(version: str) -> GrowthClassRules:
    rule = rule_in_force(FAMILY, dt.date.min, version)
    data = rule.data
    try:
        z_bands = {
            (str(e["age_group"]), str(e["indicator"])): _bands(
                f"{rule.version} {e['age_group']} {e['indicator']}", e["bands"]
            )
            for e in data["z_bands"]
        }
        muac = data["muac"]
        return GrowthClassRules(
            version=rule.version,
            citation=rule.citation,
            z_decimals=int(data["z_decimals"]),
            z_bands=z_bands,
            known_bands={
                key: bands
                for key, bands in z_bands.items()
                if key[0] in AGE_GROUPS and key[1] in INDICATORS
            },
            muac=_bands(f"{rule.version} muac", muac["bands"]),
            muac_from_months=float(muac["from_age_months"]),
            muac_below_months=float(muac["below_age_months"]),
        )
    except KeyError as exc:
        raise RulesError(f"{FAMILY} {rule.version}: missing {exc.args[0]!r}") from exc


def growth_class_rules(on: dt.date, version: str | None = None) -> GrowthClassRules:
    """Return the growth class rules in force on `on`, or the named `version`."""
    return _compiled(rule_in_force(FAMILY, on, version).version)


def _z_bands(rules: GrowthClassRules, indicator: str, age_group: str) -> Bands | None:
    if indicator not in INDICATORS:
        raise InputError("indicator", f"{indicator!r} is not one of {', '.join(INDICATORS)}")
    if age_group not in AGE_GROUPS:
        raise InputError("age_group", f"{age_group!r} is not one of {', '.join(AGE_GROUPS)}")
    if rules.z_decimals != 2:
        raise RulesError(f"{FAMILY} {rules.version}: only z_decimals = 2 is supported")
    return rules.z_bands.get((age_group, indicator))


def classify_z_codes(
    indicator: str, z: FloatArray, age_group: str, on: dt.date, version: str | None = None
) -> tuple[CodeArray, tuple[str, ...]]:
    """Return band indices (-1: no class) and the class codes they index, for a z column."""
    rules = growth_class_rules(on, version)
    bands = _z_bands(rules, indicator, age_group)
    if bands is None:
        return np.full(z.shape, -1, dtype=np.int16), ()
    return bands.index(r_round2(np.asarray(z, dtype=np.float64))), bands.codes


def _as_objects(codes: CodeArray, labels: tuple[str, ...]) -> ObjectArray:
    table = np.array([*labels, None], dtype=object)
    return table.take(np.where(codes < 0, len(labels), codes))


def classify_z_array(
    indicator: str, z: FloatArray, age_group: str, on: dt.date, version: str | None = None
) -> ObjectArray:
    """Return the class code of each z (object array of str, None where no class)."""
    return _as_objects(*classify_z_codes(indicator, z, age_group, on, version))


def classify_z(
    indicator: str, z: float | None, age_group: str, on: dt.date, version: str | None = None
) -> str | None:
    """Return the Permenkes class of one z-score, or None (no z, or no class at this age)."""
    return z_class(growth_class_rules(on, version), indicator, z, age_group)


def z_class(rules: GrowthClassRules, indicator: str, z: float | None, age_group: str) -> str | None:
    """Return the class of one z-score under compiled rules, in plain Python (no array).

    The same bands and R rounding as `classify_z_array`, so both give the same class.
    """
    # Bands found for a known indicator and age group under 2 decimals: nothing to check.
    bands = rules.known_bands.get((age_group, indicator)) if rules.z_decimals == 2 else None
    if bands is None:
        bands = _z_bands(rules, indicator, age_group)  # refuses what is not known
    if bands is None or z is None:
        return None
    return bands.code_of(r_round2_scalar(float(z)))


def classify_muac_array(
    muac_cm: FloatArray, age_months: FloatArray, on: dt.date, version: str | None = None
) -> ObjectArray:
    """Return the MUAC class of each child (None outside 6-59 months or without a MUAC)."""
    rules = growth_class_rules(on, version)
    with np.errstate(invalid="ignore"):
        in_age = (age_months >= rules.muac_from_months) & (age_months < rules.muac_below_months)
    values = np.where(in_age, np.asarray(muac_cm, dtype=np.float64), np.nan)
    return _as_objects(rules.muac.index(values), rules.muac.codes)


def classify_muac(
    muac_cm: float | None, age_months: float, on: dt.date, version: str | None = None
) -> str | None:
    """Return the MUAC class of one child (None outside 6-59 months or without a MUAC)."""
    return muac_class(growth_class_rules(on, version), muac_cm, age_months)


def muac_class(rules: GrowthClassRules, muac_cm: float | None, age_months: float) -> str | None:
    """Return the MUAC class of one child under compiled rules, in plain Python (no array)."""
    if muac_cm is None or not rules.muac_from_months <= age_months < rules.muac_below_months:
        return None
    return rules.muac.code_of(float(muac_cm))
