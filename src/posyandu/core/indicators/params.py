"""The parameters of the counting rules ([version.params] of data/rules/indicators.toml), typed.

Each field is documented in the data file beside its value and basis; this module only reads
and checks them, so a typo in the data fails when the version is first read, not mid-count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from posyandu.core.errors import RulesError


@dataclass(frozen=True)
class Coverage:
    """A dose whose coverage is measured in a cohort."""

    vaccine: str
    cohort: str


@dataclass(frozen=True)
class Dropout:
    """A drop-out pair: children of `cohort` with `first` but without `last`."""

    code: str
    first: str
    last: str
    cohort: str


@dataclass(frozen=True)
class Params:
    """Classes, age bands, cohorts and thresholds the counting rules apply."""

    balita_max_months: int
    bgm_wfa_classes: frozenset[str]
    stunted_hfa_classes: frozenset[str]
    severely_stunted_hfa_classes: frozenset[str]
    wasted_wfh_classes: frozenset[str]
    overweight_wfh_classes: frozenset[str]
    underweight_wfa_classes: frozenset[str]
    muac_red_classes: frozenset[str]
    school_min_years: int
    school_max_years: int
    thin_bfa_classes: frozenset[str]
    obese_bfa_classes: frozenset[str]
    cohorts: Mapping[str, tuple[int, int]]
    coverage: tuple[Coverage, ...]
    dropouts: tuple[Dropout, ...]
    idl_vaccines: frozenset[str]
    idl_before_months: int
    idl_cohort: str
    pregnancy_max_weeks: int
    kek_findings: frozenset[str]
    anaemia_findings: frozenset[str]
    ttd_service: str
    ttd_min_tablets: int
    remaja_min_years: int
    remaja_max_years: int
    rematri_min_years: int
    rematri_max_years: int
    ttd_rematri_service: str
    pupil_min_years: int
    pupil_max_years: int
    balita_min_weighings: int
    productive_min_years: int
    productive_max_years: int
    elderly_min_years: int
    bp_high_findings: frozenset[str]
    glucose_high_findings: frozenset[str]
    referral_open_days: int
    service_day_held_statuses: frozenset[str]


def parse_params(raw: object, where: str) -> Params:
    """Return the typed parameters of one version; raise RulesError naming a bad entry."""
    if not isinstance(raw, Mapping):
        raise RulesError(f"{where}: no [version.params] table")
    try:
        params = _read(raw)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise RulesError(f"{where}: bad or missing parameter {exc}") from exc
    used = {c.cohort for c in params.coverage} | {d.cohort for d in params.dropouts}
    unknown = sorted((used | {params.idl_cohort}) - set(params.cohorts))
    if unknown:
        raise RulesError(f"{where}: unknown cohorts {unknown}")
    return params


def _read(raw: Mapping[str, Any]) -> Params:
    def num(name: str) -> int:
        return int(raw[name])

    def codes(name: str) -> frozenset[str]:
        value = raw[name]
        if isinstance(value, str):
            raise TypeError(f"{name} must be a list")
        return frozenset(map(str, value))

    return Params(
        balita_max_months=num("balita_max_months"),
        bgm_wfa_classes=codes("bgm_wfa_classes"),
        stunted_hfa_classes=codes("stunted_hfa_classes"),
        severely_stunted_hfa_classes=codes("severely_stunted_hfa_classes"),
        wasted_wfh_classes=codes("wasted_wfh_classes"),
        overweight_wfh_classes=codes("overweight_wfh_classes"),
        underweight_wfa_classes=codes("underweight_wfa_classes"),
        muac_red_classes=codes("muac_red_classes"),
        school_min_years=num("school_min_years"),
        school_max_years=num("school_max_years"),
        thin_bfa_classes=codes("thin_bfa_classes"),
        obese_bfa_classes=codes("obese_bfa_classes"),
        cohorts={str(k): (int(v[0]), int(v[1])) for k, v in raw["cohorts"].items()},
        coverage=tuple(Coverage(str(c["vaccine"]), str(c["cohort"])) for c in raw["coverage"]),
        dropouts=tuple(_dropout(d) for d in raw["dropouts"]),
        idl_vaccines=codes("idl_vaccines"),
        idl_before_months=num("idl_before_months"),
        idl_cohort=str(raw["idl_cohort"]),
        pregnancy_max_weeks=num("pregnancy_max_weeks"),
        kek_findings=codes("kek_findings"),
        anaemia_findings=codes("anaemia_findings"),
        ttd_service=str(raw["ttd_service"]),
        ttd_min_tablets=num("ttd_min_tablets"),
        remaja_min_years=num("remaja_min_years"),
        remaja_max_years=num("remaja_max_years"),
        rematri_min_years=num("rematri_min_years"),
        rematri_max_years=num("rematri_max_years"),
        ttd_rematri_service=str(raw["ttd_rematri_service"]),
        pupil_min_years=num("pupil_min_years"),
        pupil_max_years=num("pupil_max_years"),
        balita_min_weighings=num("balita_min_weighings"),
        productive_min_years=num("productive_min_years"),
        productive_max_years=num("productive_max_years"),
        elderly_min_years=num("elderly_min_years"),
        bp_high_findings=codes("bp_high_findings"),
        glucose_high_findings=codes("glucose_high_findings"),
        referral_open_days=num("referral_open_days"),
        service_day_held_statuses=codes("service_day_held_statuses"),
    )


def _dropout(raw: Mapping[str, Any]) -> Dropout:
    return Dropout(str(raw["code"]), str(raw["first"]), str(raw["last"]), str(raw["cohort"]))
