"""Count a person into the school-age, adolescent and yearly SPM indicators of one month.

All are year to date (1 January to the month's last day), read on the month's last day with the
age in completed years then:

- adolescents (*remaja*, 10-18 years, Kemenkes): Hb measured this year, and anaemic among them
  by assess's finding on the latest Hb (WHO 2011 cut-offs of the `anaemia` rule family: 11.5
  g/dL at 5-11 y, 12.0 at 12-14 y and for girls >= 15 y, 13.0 for boys >= 15 y, 11.0 when
  pregnant); the latest Hb lies in the year when the year holds one;
- adolescent girls (*rematri*, 12-18 years, TTD rematri): the TTD rematri service given this
  year (1 tablet a week all year);
- pupils of basic education age (SPM *usia pendidikan dasar*, about 7-15 years): weight and
  height measured this year (the posyandu's part of the yearly health screening);
- under-fives (SPM *balita*): weighed in at least `balita_min_weighings` months of the year.
"""

from __future__ import annotations

from posyandu.core.assess import MeasurementRecord
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import PersonMonth

Counts = dict[str, int]

PRODUCES = frozenset(
    {
        "remaja_10_18",
        "remaja_hb",
        "remaja_anaemia",
        "rematri_12_18",
        "rematri_ttd",
        "pupil_7_15",
        "pupil_7_15_screened",
        "balita_weighed_year",
    }
)


def _hb(m: MeasurementRecord) -> bool:
    return m.hb_g_dl is not None


def _weight_and_height(m: MeasurementRecord) -> bool:
    return m.weight_kg is not None and m.lenhei_cm is not None


def school_counts(pm: PersonMonth, params: Params) -> Counts:
    """Return the yearly school-age, adolescent and SPM balita counts of one person."""
    out: Counts = {}
    since = pm.month.year_start
    years = pm.age.years
    if 0 <= pm.age.months <= params.balita_max_months:
        weighed = {
            (m.date.year, m.date.month)
            for m in pm.facts.measurements
            if since <= m.date <= pm.month.last and m.weight_kg is not None
        }
        if len(weighed) >= params.balita_min_weighings:
            out["balita_weighed_year"] = 1
    if params.pupil_min_years <= years <= params.pupil_max_years:
        out["pupil_7_15"] = 1
        if pm.measured(_weight_and_height, since=since):
            out["pupil_7_15_screened"] = 1
    if params.remaja_min_years <= years <= params.remaja_max_years:
        out["remaja_10_18"] = 1
        if pm.measured(_hb, since=since):
            out["remaja_hb"] = 1
            if pm.findings() & params.anaemia_findings:
                out["remaja_anaemia"] = 1
    girl = pm.facts.sex == "F"
    if girl and params.rematri_min_years <= years <= params.rematri_max_years:
        out["rematri_12_18"] = 1
        if any(
            s.code == params.ttd_rematri_service and since <= s.date <= pm.month.last
            for s in pm.facts.services
        ):
            out["rematri_ttd"] = 1
    return out
