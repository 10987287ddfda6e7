"""Worked cases of the whole assessment, and the rule sets it runs under.

Rule (ASSESS.md): "One function of the core, assess(record, as_of) -> Assessment, decides for
one person on one day what a kader and a nakes must see: life-cycle stages, findings, growth
status and trend, immunisations due, services due and whether to refer." "All cut-offs,
schedules and the referral list are versioned data with their legal basis; a change of
regulation is a new version with a valid-from date, and past assessments can be recomputed
under the version that was in force."

`cases.jsonl` holds one worked case a line: `input` is the contract's input JSON, `expect` the
values worked out by hand from ASSESS.md (only the keys given are compared; `growth` maps each
indicator present to its class) and `note` says how. Growth cases take their measurements from
the WHO 2006/2007 SD tables, which the note quotes, at least 0.08 SD inside a band so that no
rounding can move them. `rules_version`, when given, names the rule set to assess under.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from posyandu.core.assess import assess, assessment_to_dict, parse_input, rules_for
from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import family_versions, rule_in_force

CASES = [
    json.loads(line)
    for line in (Path(__file__).parent / "cases.jsonl").read_text(encoding="utf-8").splitlines()
    if line.strip()
]

# The vocabulary of ASSESS.md, copied from the contract (not from the rule data).
STAGE_CODES = [
    "bayi_baru_lahir",
    "bayi",
    "baduta",
    "balita",
    "anak_prasekolah",
    "usia_sekolah",
    "remaja",
    "usia_dewasa",
    "lansia",
    "wus",
    "ibu_hamil",
    "ibu_nifas",
]
FINDING_CODES = [
    "wfa.severely_underweight",
    "wfa.underweight",
    "wfa.risk_of_overweight",
    "hfa.severely_stunted",
    "hfa.stunted",
    "hfa.tall",
    "wfh.severely_wasted",
    "wfh.wasted",
    "wfh.possible_risk_of_overweight",
    "wfh.overweight",
    "wfh.obese",
    "bfa.severely_wasted",
    "bfa.wasted",
    "bfa.possible_risk_of_overweight",
    "bfa.overweight",
    "bfa.obese",
    "bfa.severely_thin",
    "bfa.thin",
    "hcfa.microcephaly",
    "hcfa.macrocephaly",
    "muac.severe_acute_malnutrition",
    "muac.moderate_acute_malnutrition",
    "child.oedema",
    "weight.not_increasing",
    "weight.not_increasing_twice",
    "bmi.severe_thinness",
    "bmi.thinness",
    "bmi.overweight",
    "bmi.obese",
    "waist.central_obesity",
    "bp.high",
    "bp.low",
    "glucose.high",
    "glucose.low",
    "hb.anaemia_mild",
    "hb.anaemia_moderate",
    "hb.anaemia_severe",
    "muac.chronic_energy_deficiency",
    "immunization.overdue",
]
VACCINE_CODES = [
    "hb0",
    "bcg",
    "opv1",
    "opv2",
    "opv3",
    "opv4",
    "dpt_hb_hib1",
    "dpt_hb_hib2",
    "dpt_hb_hib3",
    "dpt_hb_hib4",
    "pcv1",
    "pcv2",
    "pcv3",
    "rv1",
    "rv2",
    "rv3",
    "ipv1",
    "ipv2",
    "mr1",
    "mr2",
    "je",
]
# Every family `assess` reads; a rule set must pin each.
FAMILIES = [
    "stages",
    "growth_classes",
    "kbm",
    "immunisation_schedule",
    "service_packages",
    "adult_thresholds",
    "anaemia",
    "referral",
]


def outcome(result: dict[str, Any], key: str) -> Any:
    """Return the part of an assessment's JSON that an `expect` key is compared with."""
    if key == "growth":
        return {name: status["class"] for name, status in result["growth"].items()}
    if key == "immunizations_due":
        return [[d["vaccine"], d["status"], d["due_date"]] for d in result["immunizations_due"]]
    if key == "age":
        return [result["age"]["days"], result["age"]["months"], result["age"]["years"]]
    return result[key]


def run(case: dict[str, Any]) -> dict[str, Any]:
    record = parse_input(case["input"])
    return assessment_to_dict(assess(record, rules_version=case.get("rules_version")))


@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_assess_worked_case(case):
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as raised:
            run(case)
        assert str(raised.value).startswith(expect["error"])
        return
    result = run(case)
    for key, wanted in expect.items():
        assert outcome(result, key) == wanted, f"{key} ({case['note']})"


def test_cases_are_at_least_one_hundred_with_unique_names():
    names = [case["case"] for case in CASES]
    assert len(names) >= 100
    assert len(set(names)) == len(names)


def expected_codes(key: str) -> set[str]:
    found: set[str] = set()
    for case in CASES:
        for item in case["expect"].get(key, []):
            found.add(item[0] if isinstance(item, list) else item)
    return found


def test_cases_cover_every_code_of_the_contract():
    assert set(STAGE_CODES) - expected_codes("stages") == set()
    assert set(FINDING_CODES) - expected_codes("findings") == set()
    assert set(VACCINE_CODES) - expected_codes("immunizations_due") == set()


def test_assess_cites_a_versioned_basis_for_every_finding():
    for case in CASES:
        if "error" in case["expect"]:
            continue
        result = run(case)
        assert list(result["basis"]) == result["findings"], case["case"]
        for code, citation in result["basis"].items():
            # A citation ends with "(family version)", e.g. "(adult_thresholds 2023.1)".
            assert re.search(r" \([a-z_]+ \d{4}\.\d+\)$", citation), f"{case['case']}: {code}"


def test_assess_output_has_exactly_the_contract_keys():
    result = run(CASES[0])
    contract = {"id", "age", "stages", "growth", "weight_trend", "findings"}
    contract |= {"immunizations_due", "refer", "referral_reasons"}
    assert set(result) == contract | {"services_due", "basis", "rules_version"}
    assert result["id"] == CASES[0]["input"]["id"]


def test_assess_muac_reports_its_value_not_a_z():
    case = next(c for c in CASES if c["case"] == "muac 11.5 is moderate")
    assert run(case)["growth"]["muac"] == {"value": 11.5, "class": "moderate_acute_malnutrition"}


def minimal(as_of: str) -> dict[str, Any]:
    return {"as_of": as_of, "person": {"sex": "M", "birth_date": "1990-01-01"}}


def test_assess_uses_the_rule_set_in_force_on_as_of():
    before = run({"input": minimal("2025-01-20")})
    after = run({"input": minimal("2025-01-21")})
    assert (before["rules_version"], after["rules_version"]) == ("2023.1", "2025.1")


def test_assess_named_rules_version_overrides_the_date():
    result = run({"input": minimal("2026-06-15"), "rules_version": "2023.1"})
    assert result["rules_version"] == "2023.1"


def test_assess_unknown_rules_version_names_the_known_ones():
    with pytest.raises(RulesError, match=r"unknown rules version '1999\.9'.*2023\.1.*2025\.1"):
        run({"input": minimal("2026-06-15"), "rules_version": "1999.9"})


def test_assess_before_any_rule_set_is_a_rules_error():
    with pytest.raises(RulesError, match="no rules version in force on 2023-07-31"):
        run({"input": minimal("2023-07-31")})


@pytest.mark.parametrize("ruleset", family_versions("rulesets"), ids=lambda v: v.version)
def test_rule_set_pins_every_family_valid_on_its_date(ruleset):
    rules = rules_for(dt.date.min, ruleset.version)
    assert sorted(ruleset.data["families"]) == sorted(FAMILIES)
    for family in FAMILIES:
        pinned = rules.family(family)
        assert pinned.valid_from <= ruleset.valid_from, f"{family} {pinned.version}"


def test_rule_set_missing_a_family_is_a_rules_error():
    rules = rules_for(dt.date(2026, 1, 1))
    with pytest.raises(RulesError, match="pins no version of 'nutrition_survey'"):
        rules.family("nutrition_survey")


def test_rule_sets_differ_in_the_immunisation_schedule():
    old = rules_for(dt.date(2024, 6, 1)).family("immunisation_schedule")
    new = rules_for(dt.date(2025, 6, 1)).family("immunisation_schedule")
    assert (old.version, new.version) == ("2017.1", "2025.1")
    assert new == rule_in_force("immunisation_schedule", dt.date(2025, 6, 1))
