"""Count a woman into the pregnancy indicators of one month.

A pregnancy is ongoing on the month's last day from its registration until its delivery date
(see `posyandu.core.indicators.person`). Among women pregnant on that day: KEK is LiLA below
23.5 cm (Kartu Bantu Bumil) and anaemia Hb below 11.0 g/dL (WHO 2011), both as assess finds
them on the latest measurement, counted when a measurement was taken during this pregnancy;
TTD is the iron-folate tablets received during this pregnancy (target at least 90, ANC texts).
"""

from __future__ import annotations

from posyandu.core.assess import MeasurementRecord
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import PersonMonth

Counts = dict[str, int]

PRODUCES = frozenset(
    {
        "bumil",
        "bumil_new",
        "bumil_muac",
        "bumil_kek",
        "bumil_hb",
        "bumil_anaemia",
        "bumil_ttd",
        "bumil_ttd90",
    }
)


def _muac(m: MeasurementRecord) -> bool:
    return m.muac_cm is not None


def _hb(m: MeasurementRecord) -> bool:
    return m.hb_g_dl is not None


def mother_counts(pm: PersonMonth, params: Params) -> Counts:
    """Return the pregnancy counts of one person for the month (empty for men)."""
    facts = pm.facts
    if facts.sex != "F":
        return {}
    out: Counts = {}
    if any(pm.month.holds(p.registered_on) for p in facts.pregnancies):
        out["bumil_new"] = 1
    pregnancy = pm.pregnancy
    if pregnancy is None:
        return out
    out["bumil"] = 1
    start = pregnancy.start
    if pm.measured(_muac, since=start):
        out["bumil_muac"] = 1
        if pm.findings() & params.kek_findings:
            out["bumil_kek"] = 1
    if pm.measured(_hb, since=start):
        out["bumil_hb"] = 1
        if pm.findings() & params.anaemia_findings:
            out["bumil_anaemia"] = 1
    ttd = [
        s
        for s in facts.services
        if s.code == params.ttd_service and start <= s.date <= pm.month.last
    ]
    if ttd:
        out["bumil_ttd"] = 1
        if sum(s.quantity or 0 for s in ttd) >= params.ttd_min_tablets:
            out["bumil_ttd90"] = 1
    return out
