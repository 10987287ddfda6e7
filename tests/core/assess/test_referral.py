"""Referral (rujukan): which findings send a person to the Pustu/Puskesmas.

Rule (ASSESS.md, "Referral"; source: the ILP kartu bantu pemeriksaan of KMK
HK.01.07/MENKES/2015/2023 (Juknis ILP) and Buku KIA 2023): "refer: true, reasons = the findings
that triggered it: wfa.severely_underweight, hfa.severely_stunted, wfh.severely_wasted,
wfh.wasted, wfh.obese, bfa.obese, muac.severe_acute_malnutrition, child.oedema,
hcfa.microcephaly, hcfa.macrocephaly, weight.not_increasing_twice, bp.high, glucose.high,
glucose.low, hb.anaemia_severe, muac.chronic_energy_deficiency (pregnant), and any finding
during pregnancy except weight.*. Keep this list as versioned data with its basis."
"""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.assess.referral import referral_reasons
from posyandu.core.rulebook import RuleVersion, rule_in_force

TABLE = rule_in_force("referral", dt.date(2026, 1, 1))

# Copied from the contract, not read from the rule data.
ALWAYS = [
    "wfa.severely_underweight",
    "hfa.severely_stunted",
    "wfh.severely_wasted",
    "wfh.wasted",
    "wfh.obese",
    "bfa.obese",
    "muac.severe_acute_malnutrition",
    "child.oedema",
    "hcfa.microcephaly",
    "hcfa.macrocephaly",
    "weight.not_increasing_twice",
    "bp.high",
    "glucose.high",
    "glucose.low",
    "hb.anaemia_severe",
]
NOT_ALONE = [
    "wfa.underweight",
    "wfa.risk_of_overweight",
    "hfa.stunted",
    "hfa.tall",
    "wfh.overweight",
    "wfh.possible_risk_of_overweight",
    "bfa.severely_wasted",
    "bfa.wasted",
    "bfa.overweight",
    "bfa.thin",
    "bfa.severely_thin",
    "muac.moderate_acute_malnutrition",
    "weight.not_increasing",
    "bmi.obese",
    "bmi.severe_thinness",
    "waist.central_obesity",
    "bp.low",
    "hb.anaemia_mild",
    "hb.anaemia_moderate",
    "muac.chronic_energy_deficiency",
    "immunization.overdue",
]


def reasons(*findings: str, pregnant: bool = False) -> list[str]:
    return referral_reasons(findings, pregnant=pregnant, table=TABLE)


@pytest.mark.parametrize("finding", ALWAYS)
def test_referral_listed_finding_refers(finding):
    assert reasons(finding) == [finding]


@pytest.mark.parametrize("finding", NOT_ALONE)
def test_referral_unlisted_finding_does_not_refer_outside_pregnancy(finding):
    assert reasons(finding) == []


@pytest.mark.parametrize(
    "finding", [f for f in NOT_ALONE if not f.startswith("weight.")] + ["some.future_finding"]
)
def test_referral_any_finding_refers_in_pregnancy(finding):
    assert reasons(finding, pregnant=True) == [finding]


def test_referral_weight_trend_in_pregnancy_does_not_refer():
    assert reasons("weight.not_increasing", pregnant=True) == []
    # ...unless it is on the list for everyone.
    assert reasons("weight.not_increasing_twice", pregnant=True) == ["weight.not_increasing_twice"]


def test_referral_kek_refers_only_in_pregnancy():
    assert reasons("muac.chronic_energy_deficiency") == []
    assert reasons("muac.chronic_energy_deficiency", pregnant=True) == [
        "muac.chronic_energy_deficiency"
    ]


def test_referral_reasons_are_the_triggering_findings_sorted():
    found = ("wfh.wasted", "hfa.stunted", "bp.high", "immunization.overdue")
    assert reasons(*found) == ["bp.high", "wfh.wasted"]


def test_referral_no_findings_no_referral():
    assert reasons() == []
    assert reasons(pregnant=True) == []


def test_referral_version_without_the_pregnancy_rule_refers_only_its_list():
    data = {"findings": ["bp.high"], "pregnant_findings": ["muac.chronic_energy_deficiency"]}
    table = RuleVersion("referral", "test", dt.date(2020, 1, 1), "test", data)
    found = ("bp.low", "bp.high", "muac.chronic_energy_deficiency")
    assert referral_reasons(found, pregnant=True, table=table) == [
        "bp.high",
        "muac.chronic_energy_deficiency",
    ]


def test_referral_list_cites_its_basis():
    assert "HK.01.07/MENKES/2015/2023" in TABLE.citation
    assert TABLE.citation.endswith("(referral 2023.1)")
