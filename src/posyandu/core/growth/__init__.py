"""WHO growth z-scores: the 2006 Child Growth Standards (0-5 y) and the 2007 Reference (5-19 y).

Two layers over one implementation:

- vectorised: `who2006_zscores` and `who2007_zscores` score whole NumPy columns (the CSV path,
  surveys, reports);
- per child: `child_zscores_2006` and `child_zscores_2007` score one `ChildMeasurement` by
  wrapping it in length-1 arrays and calling the vectorised code, so both always agree;
  `child_zscores_*_many` score a batch of them with one engine call (`child_z_*_many`: the
  same z-scores without the flags, as plain dicts, for callers that score many).

The caller chooses the reference; Permenkes 2/2020 uses the 2006 standards below 60 months and
the 2007 reference from 5 to 18 years. Classes (Permenkes 2/2020) live in `classify`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from posyandu.core.dates import DAYS_PER_MONTH
from posyandu.core.errors import InputError
from posyandu.core.growth.classify import (
    AgeGroup,
    classify_muac,
    classify_muac_array,
    classify_z,
    classify_z_array,
    classify_z_codes,
    growth_class_rules,
    muac_class,
    z_class,
)
from posyandu.core.growth.tables import FloatArray
from posyandu.core.growth.who2006 import (
    MEASURE_HEIGHT,
    MEASURE_LENGTH,
    MEASURE_UNKNOWN,
    measure_codes,
    who2006_zscores,
)
from posyandu.core.growth.who2007 import who2007_zscores

__all__ = [
    "DAYS_PER_MONTH",
    "MEASURE_HEIGHT",
    "MEASURE_LENGTH",
    "MEASURE_UNKNOWN",
    "AgeGroup",
    "ChildMeasurement",
    "GrowthZ",
    "child_z_2006_many",
    "child_z_2007_many",
    "child_zscores_2006",
    "child_zscores_2006_many",
    "child_zscores_2007",
    "child_zscores_2007_many",
    "classify_muac",
    "classify_muac_array",
    "classify_z",
    "classify_z_array",
    "classify_z_codes",
    "growth_class_rules",
    "measure_codes",
    "muac_class",
    "who2006_zscores",
    "who2007_zscores",
    "z_class",
]

Reference = Literal["who2006", "who2007"]


@dataclass(frozen=True)
class ChildMeasurement:
    """One child measured on one day; lengths in cm, weight in kg, skinfolds in mm."""

    sex: Literal[1, 2]
    age_days: int
    weight_kg: float | None = None
    lenhei_cm: float | None = None
    measure: Literal["l", "h"] | None = None  # l: lying length, h: standing height
    oedema: bool = False
    headc_cm: float | None = None
    armc_cm: float | None = None
    triskin_mm: float | None = None
    subskin_mm: float | None = None

    def __post_init__(self) -> None:
        """Reject a sex, age or measure the engines cannot read."""
        if self.sex not in (1, 2):
            raise InputError("sex", f"{self.sex!r} is not 1 (male) or 2 (female)")
        if isinstance(self.age_days, bool) or not isinstance(self.age_days, int):
            raise InputError("age_days", f"{self.age_days!r} is not a whole number of days")
        if self.age_days < 0:
            raise InputError("age_days", f"{self.age_days} is negative")
        if self.measure not in (None, "l", "h"):
            raise InputError("measure", f"{self.measure!r} is not 'l' or 'h'")


@dataclass(frozen=True)
class GrowthZ:
    """A child's z-scores (2 decimals, None when not computable) and implausibility flags."""

    reference: Reference
    wfa: float | None = None  # weight-for-age
    hfa: float | None = None  # length/height-for-age
    wfh: float | None = None  # weight-for-length/height (2006 only)
    bfa: float | None = None  # BMI-for-age
    hcfa: float | None = None  # head circumference-for-age (2006 only)
    acfa: float | None = None  # arm circumference-for-age (2006 only)
    tsfa: float | None = None  # triceps skinfold-for-age (2006 only)
    ssfa: float | None = None  # subscapular skinfold-for-age (2006 only)
    wfa_flag: bool | None = None  # True: z outside WHO's plausible range
    hfa_flag: bool | None = None
    wfh_flag: bool | None = None
    bfa_flag: bool | None = None
    hcfa_flag: bool | None = None
    acfa_flag: bool | None = None
    tsfa_flag: bool | None = None
    ssfa_flag: bool | None = None

    @property
    def age_group(self) -> AgeGroup:
        """Return the Permenkes 2/2020 age group whose classes apply to these z-scores."""
        return "0-59m" if self.reference == "who2006" else "5-18y"


_KEYS_2006 = {
    "wfa": "wei", "hfa": "len", "wfh": "wfl", "bfa": "bmi",
    "hcfa": "hc", "acfa": "ac", "tsfa": "ts", "ssfa": "ss",
}  # fmt: skip
_KEYS_2007 = {"wfa": "wfa", "hfa": "hfa", "bfa": "bfa"}


def _many(
    values: dict[str, FloatArray], keys: dict[str, str], reference: Reference
) -> list[GrowthZ]:
    """Return one GrowthZ per row of an engine's output: NaN becomes None, flag 1.0 True."""
    columns = {
        name: (values["z" + key].tolist(), values["f" + key].tolist()) for name, key in keys.items()
    }
    out: list[GrowthZ] = []
    for row in range(len(values["z" + next(iter(keys.values()))])):
        fields: dict[str, float | bool | None] = {}
        for name, (zs, fs) in columns.items():
            z, f = zs[row], fs[row]
            fields[name] = None if z != z else z  # NaN: no z
            fields[name + "_flag"] = None if f != f else f == 1.0
        out.append(GrowthZ(reference, **fields))  # type: ignore[arg-type]
    return out


def _z_only(values: dict[str, FloatArray], keys: dict[str, str]) -> list[dict[str, float | None]]:
    """Return {indicator: z or None} per row of an engine's output (no flags)."""
    names = list(keys)
    columns = [values["z" + keys[name]].tolist() for name in names]
    return [
        {name: None if z != z else z for name, z in zip(names, row, strict=True)}
        for row in zip(*columns, strict=True)
    ]


def _floats(values: Sequence[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def child_zscores_2006(m: ChildMeasurement) -> GrowthZ:
    """Score one child against the WHO 2006 standards (z only below 60 months)."""
    return child_zscores_2006_many([m])[0]


def child_zscores_2006_many(ms: Sequence[ChildMeasurement]) -> list[GrowthZ]:
    """Score many children against the WHO 2006 standards with one call of the engine."""
    return _many(_engine_2006(ms), _KEYS_2006, "who2006") if ms else []


def child_z_2006_many(ms: Sequence[ChildMeasurement]) -> list[dict[str, float | None]]:
    """Return what `child_zscores_2006_many` gives, z only, as {indicator: z or None}."""
    return _z_only(_engine_2006(ms), _KEYS_2006) if ms else []


def _engine_2006(ms: Sequence[ChildMeasurement]) -> dict[str, FloatArray]:
    return who2006_zscores(
        sex=np.array([m.sex for m in ms]),
        age_days=np.array([float(m.age_days) for m in ms]),
        weight_kg=_floats([m.weight_kg for m in ms]),
        lenhei_cm=_floats([m.lenhei_cm for m in ms]),
        measure=measure_codes([m.measure for m in ms]),
        oedema=np.array([m.oedema for m in ms]),
        headc_cm=_floats([m.headc_cm for m in ms]),
        armc_cm=_floats([m.armc_cm for m in ms]),
        triskin_mm=_floats([m.triskin_mm for m in ms]),
        subskin_mm=_floats([m.subskin_mm for m in ms]),
    )


def child_zscores_2007(m: ChildMeasurement) -> GrowthZ:
    """Score one child against the WHO 2007 reference at age_days / 30.4375 months.

    z only from 60 to 228 months (weight-for-age to 120); the length/height is used as given.
    """
    return child_zscores_2007_many([m])[0]


def child_zscores_2007_many(ms: Sequence[ChildMeasurement]) -> list[GrowthZ]:
    """Score many children against the WHO 2007 reference with one call of the engine."""
    return _many(_engine_2007(ms), _KEYS_2007, "who2007") if ms else []


def child_z_2007_many(ms: Sequence[ChildMeasurement]) -> list[dict[str, float | None]]:
    """Return what `child_zscores_2007_many` gives, z only, as {indicator: z or None}."""
    return _z_only(_engine_2007(ms), _KEYS_2007) if ms else []


def _engine_2007(ms: Sequence[ChildMeasurement]) -> dict[str, FloatArray]:
    return who2007_zscores(
        sex=np.array([m.sex for m in ms]),
        age_months=np.array([m.age_days / DAYS_PER_MONTH for m in ms]),
        weight_kg=_floats([m.weight_kg for m in ms]),
        height_cm=_floats([m.lenhei_cm for m in ms]),
        oedema=np.array([m.oedema for m in ms]),
    )
