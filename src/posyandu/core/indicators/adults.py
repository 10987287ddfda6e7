"""Count an adult into the PTM screening indicators of one month (year to date).

SPM *usia produktif* (15-59 years) and *usia lanjut* (60 years and over): PTM risk screening at
least once a year (Permenkes 4/2019, replaced by Permenkes 6/2024). Screened here means blood
pressure or blood glucose measured from 1 January to the month's last day. High blood pressure
(>= 140/90 mmHg) and high glucose (random >= 200, fasting >= 126 mg/dL) are the findings of
assess on the latest reading, which lies in the year when the year holds one; a high reading
counts as referred when a referral was issued in the year.
"""

from __future__ import annotations

from posyandu.core.assess import MeasurementRecord
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import PersonMonth

Counts = dict[str, int]

PRODUCES = frozenset(
    {
        "adult_15_59",
        "elderly_60",
        "screened_15_59",
        "screened_60",
        "bp_measured",
        "bp_high",
        "glucose_measured",
        "glucose_high",
        "ptm_high",
        "ptm_high_referred",
    }
)


def _bp(m: MeasurementRecord) -> bool:
    return m.sbp_mmhg is not None or m.dbp_mmhg is not None


def _glucose(m: MeasurementRecord) -> bool:
    return m.glucose_mg_dl is not None


def adult_counts(pm: PersonMonth, params: Params) -> Counts:
    """Return the PTM screening counts of one person for the month (empty under 15 years)."""
    years = pm.age.years
    if years < params.productive_min_years:
        return {}
    productive = years <= params.productive_max_years
    elderly = years >= params.elderly_min_years
    out: Counts = {}
    if productive:
        out["adult_15_59"] = 1
    if elderly:
        out["elderly_60"] = 1
    since = pm.month.year_start
    bp, glucose = pm.measured(_bp, since=since), pm.measured(_glucose, since=since)
    if not (bp or glucose):
        return out
    if productive:
        out["screened_15_59"] = 1
    if elderly:
        out["screened_60"] = 1
    findings = pm.findings()
    if bp:
        out["bp_measured"] = 1
        if findings & params.bp_high_findings:
            out["bp_high"] = 1
    if glucose:
        out["glucose_measured"] = 1
        if findings & params.glucose_high_findings:
            out["glucose_high"] = 1
    if "bp_high" in out or "glucose_high" in out:
        out["ptm_high"] = 1
        if any(since <= r.issued_on <= pm.month.last for r in pm.facts.referrals):
            out["ptm_high_referred"] = 1
    return out
