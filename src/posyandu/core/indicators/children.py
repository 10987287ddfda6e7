"""Count a child into SKDN and the nutrition indicators of one month.

SKDN (Panduan Pengelolaan Posyandu 2023; KMS of the Buku KIA 2023):

    S all under-fives of the posyandu area; K those with a KMS / Buku KIA; D those weighed
    this month; N those whose weight went up; T weighed but not up; O not weighed last month;
    B new this month; D = N + T + O + B. 2T is two T in a row (within T). BGM: weighed with
    the weight below the red line of the KMS.

N, T, 2T, O and B are the `weight_trend` of assess on the month's last day, which compares
the month's last weighing with the previous month's; BGM and the nutrition classes are its
growth classes (Permenkes 2/2020). Prevalence counts a child in the denominator when the
month holds a measurement with the inputs of that indicator and assess could class it.
Under-five means 0-59 completed months on the month's last day (the `balita_max_months`
parameter); school-age children and adolescents are counted by BMI-for-age from 5 to 18 years.
"""

from __future__ import annotations

from collections.abc import Mapping

from posyandu.core.assess import MeasurementRecord
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import Holds, PersonMonth

Counts = dict[str, int]

PRODUCES = frozenset(
    {
        "s",
        "k",
        "d",
        "n",
        "t",
        "o",
        "b",
        "2t",
        "bgm",
        "measured_hfa",
        "stunted",
        "stunted_severe",
        "measured_wfh",
        "wasted",
        "overweight",
        "measured_wfa",
        "underweight",
        "measured_muac",
        "muac_red",
        "measured_bfa_5_18",
        "thin_5_18",
        "obese_5_18",
    }
)

# The KMS trend and the SKDN counts it falls in (2T is a T too).
_TREND_COUNTS: Mapping[str, tuple[str, ...]] = {
    "N": ("n",),
    "T": ("t",),
    "2T": ("t", "2t"),
    "O": ("o",),
    "B": ("b",),
}


def _weighed(m: MeasurementRecord) -> bool:
    return m.weight_kg is not None


def _lenhei(m: MeasurementRecord) -> bool:
    return m.lenhei_cm is not None


def _weight_and_lenhei(m: MeasurementRecord) -> bool:
    return m.weight_kg is not None and m.lenhei_cm is not None


def _muac(m: MeasurementRecord) -> bool:
    return m.muac_cm is not None


# (growth indicator, inputs a record must hold, denominator count, [(class parameter, count)]).
_Prevalence = tuple[str, Holds, str, tuple[tuple[str, str], ...]]
_BALITA: tuple[_Prevalence, ...] = (
    (
        "hfa",
        _lenhei,
        "measured_hfa",
        (
            ("stunted_hfa_classes", "stunted"),
            ("severely_stunted_hfa_classes", "stunted_severe"),
        ),
    ),
    (
        "wfh",
        _weight_and_lenhei,
        "measured_wfh",
        (
            ("wasted_wfh_classes", "wasted"),
            ("overweight_wfh_classes", "overweight"),
        ),
    ),
    ("wfa", _weighed, "measured_wfa", (("underweight_wfa_classes", "underweight"),)),
    ("muac", _muac, "measured_muac", (("muac_red_classes", "muac_red"),)),
)
_SCHOOL_AGE: tuple[_Prevalence, ...] = (
    (
        "bfa",
        _weight_and_lenhei,
        "measured_bfa_5_18",
        (
            ("thin_bfa_classes", "thin_5_18"),
            ("obese_bfa_classes", "obese_5_18"),
        ),
    ),
)


def child_counts(pm: PersonMonth, params: Params) -> Counts:
    """Return the SKDN and nutrition counts of one person for the month (empty for adults)."""
    out: Counts = {}
    if 0 <= pm.age.months <= params.balita_max_months:
        _skdn(pm, params, out)
        specs = _BALITA
    elif params.school_min_years <= pm.age.years <= params.school_max_years:
        specs = _SCHOOL_AGE
    else:
        return out
    for spec in specs:
        _prevalence(pm, spec, params, out)
    return out


def _skdn(pm: PersonMonth, params: Params, out: Counts) -> None:
    out["s"] = 1
    if pm.facts.has_buku_kia:
        out["k"] = 1
    if not pm.measured(_weighed):
        return
    out["d"] = 1
    found = pm.assessment()
    trend = None if found is None else found.weight_trend
    for code in _TREND_COUNTS.get(trend or "", ()):
        out[code] = 1
    if pm.growth_class("wfa") in params.bgm_wfa_classes:
        out["bgm"] = 1


def _prevalence(pm: PersonMonth, spec: _Prevalence, params: Params, out: Counts) -> None:
    """Count a child measured this month for one indicator, and in each class set she is in.

    assess takes the latest record on or before the month's end holding the inputs, which is
    this month's when the month holds one.
    """
    indicator, holds, measured_code, numerators = spec
    if not pm.measured(holds):
        return
    found = pm.growth_class(indicator)
    if found is None:
        return
    out[measured_code] = 1
    for parameter, code in numerators:
        classes: frozenset[str] = getattr(params, parameter)
        if found in classes:
            out[code] = 1
