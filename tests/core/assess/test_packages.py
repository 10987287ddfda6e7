"""Service package per life-cycle stage: the services due today and who gives them.

Rule (DOMAIN.md §3 "paket layanan siklus hidup", §3.7 screening instruments, §4.11 supplement
schedules; sources: KMK HK.01.07/MENKES/2015/2023 (Juknis ILP); Panduan Pengelolaan Posyandu
Bidang Kesehatan, Kemenkes 2023; Kartu Bantu Pemeriksaan ILP): each stage has its package, K by
the kader, N by a nakes. Vitamin A in February and August only: blue capsule 6-11 months, red
capsule 12-59 months [Vit A]. PUMA only from 40 years and for smokers; an unknown smoking status
is asked, never assumed [Kartu Bantu Dewasa-Lansia]. SKILAS from 60 years [Instrumen SKILAS].
TTD weekly for girls of 12-18 [TTD rematri]. Pregnant women: LiLA, blood pressure, TTD, TB
symptom screening [Kartu Bantu Bumil]. PMT pemulihan for children with a growth problem
[Kartu Bantu Balita]. Each service is listed once, with every stage that calls for it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from types import MappingProxyType
from typing import Any

import pytest

from posyandu.core.assess.packages import STAGE_CODES, ServiceDue, service_rules, services_due
from posyandu.core.dates import Age, add_months
from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import RuleVersion, rule_in_force

D = dt.date
FEBRUARY = D(2026, 2, 10)
MARCH = D(2026, 3, 10)
PACKAGES = rule_in_force("service_packages", FEBRUARY)


def child_stages(months: int) -> list[str]:
    """Return the child stages of ASSESS.md for an age in completed months (28+ days)."""
    bands = [("bayi", 11), ("baduta", 23), ("balita", 59), ("anak_prasekolah", 71)]
    return [
        stage
        for stage, upto in bands
        if months <= upto and (stage != "anak_prasekolah" or months >= 60)
    ]


def due(
    stages: list[str],
    *,
    months: int = 0,
    years: int = 0,
    on: dt.date = MARCH,
    sex: str = "F",
    pregnant: bool = False,
    smoker: bool | None = False,
    findings: tuple[str, ...] = (),
    refer: bool = False,
    packages: RuleVersion = PACKAGES,
) -> dict[str, ServiceDue]:
    """Return the services due, by code, for a person of exactly `years` + `months` on `on`."""
    age = Age.between(add_months(on, -(years * 12 + months)), on)
    listed = services_due(
        stages=stages,
        age=age,
        sex=sex,
        pregnant=pregnant,
        smoker=smoker,
        findings=findings,
        as_of=on,
        packages=packages,
        refer=refer,
    )
    return {service.code: service for service in listed}


def version_with(*rules: dict[str, Any]) -> RuleVersion:
    """Return a service_packages version holding only `rules`."""
    data = MappingProxyType({"service": list(rules)})
    return RuleVersion("service_packages", "test", D(2023, 8, 1), "test basis", data)


WEIGH = {"code": "weigh", "label": "Penimbangan", "by": "K", "stages": ["bayi"], "source": "x"}


# --- each stage gets its core services -------------------------------------------------------

# (id, person, codes that must be among the services due)
CORE = [
    (
        "bayi_baru_lahir",
        {"stages": ["bayi_baru_lahir", "bayi", "baduta", "balita"]},
        "weigh measure_length_height measure_head_circumference plot_growth_chart"
        " exclusive_breastfeeding_check immunization_check neonatal_visit counselling",
    ),
    (
        "bayi",
        {"stages": child_stages(8), "months": 8, "on": FEBRUARY},
        "weigh measure_muac complementary_feeding_check development_checklist"
        " tb_symptom_screening vitamin_a_blue immunization_check pmt_education",
    ),
    (
        "baduta_balita",
        {"stages": child_stages(20), "months": 20, "on": FEBRUARY},
        "weigh measure_length_height measure_muac plot_growth_chart vitamin_a_red"
        " complementary_feeding_check deworming illness_symptom_check",
    ),
    (
        "anak_prasekolah",
        {"stages": ["anak_prasekolah"], "months": 65},
        "weigh measure_length_height development_checklist sdq_screening tb_symptom_screening",
    ),
    (
        "usia_sekolah",
        {"stages": ["usia_sekolah"], "years": 7},
        "weigh measure_length_height sdq_screening tb_symptom_screening counselling",
    ),
    (
        "remaja",
        {"stages": ["remaja", "wus"], "years": 15},
        "weigh measure_length_height hb_screening ttd_rematri sdq_screening measure_muac"
        " td_status_screening",
    ),
    (
        "usia_dewasa",
        {"stages": ["usia_dewasa"], "years": 30, "sex": "M"},
        "weigh measure_length_height measure_waist bp_check blood_glucose_check"
        " ptm_risk_factor_interview tb_symptom_screening vision_check hearing_check"
        " srq20_screening",
    ),
    (
        "lansia",
        {"stages": ["lansia"], "years": 65},
        "weigh measure_waist bp_check blood_glucose_check skilas adl_assessment srq20_screening"
        " tb_symptom_screening",
    ),
    (
        "wus",
        {"stages": ["usia_dewasa", "wus"], "years": 25},
        "measure_muac td_status_screening family_planning",
    ),
    (
        "ibu_hamil",
        {"stages": ["ibu_hamil", "usia_dewasa", "wus"], "years": 25, "pregnant": True},
        "weigh measure_muac bp_check ttd_pregnancy tb_symptom_screening antenatal_care"
        " pregnancy_class td_status_screening",
    ),
    (
        "ibu_nifas",
        {"stages": ["ibu_nifas", "usia_dewasa", "wus"], "years": 25},
        "vitamin_a_postpartum postpartum_visit ttd_postpartum family_planning",
    ),
]


@pytest.mark.parametrize(("kwargs", "expected"), [c[1:] for c in CORE], ids=[c[0] for c in CORE])
def test_services_due_stage_gets_core_services(kwargs, expected):
    assert set(expected.split()) <= set(due(**kwargs))


def test_services_due_every_stage_is_called_for_by_some_rule():
    called = set().union(*(rule.stages for rule in service_rules(PACKAGES)))
    assert called == set(STAGE_CODES)


def test_services_due_child_of_five_gets_no_under_five_supplements():
    services = due(["anak_prasekolah"], months=60, on=FEBRUARY)
    assert not {"vitamin_a_red", "measure_muac", "pmt_recovery", "plot_growth_chart"} & set(
        services
    )


def test_services_due_pregnant_woman_has_no_waist_measurement():
    assert "measure_waist" in due(["usia_dewasa", "wus"], years=25)
    assert "measure_waist" not in due(["ibu_hamil", "usia_dewasa", "wus"], years=25, pregnant=True)


# --- vitamin A: February and August, blue 6-11 months, red 12-59 months ---------------------


@pytest.mark.parametrize(
    ("on", "given"),
    [
        (D(2026, 1, 31), False),
        (D(2026, 2, 1), True),
        (D(2026, 2, 28), True),
        (D(2026, 3, 1), False),
        (D(2026, 7, 31), False),
        (D(2026, 8, 1), True),
        (D(2026, 8, 31), True),
        (D(2026, 9, 1), False),
    ],
)
def test_vitamin_a_red_only_in_february_and_august(on, given):
    assert ("vitamin_a_red" in due(child_stages(24), months=24, on=on)) is given


@pytest.mark.parametrize(
    ("months", "capsule"),
    [
        (5, None),
        (6, "vitamin_a_blue"),
        (11, "vitamin_a_blue"),
        (12, "vitamin_a_red"),
        (59, "vitamin_a_red"),
        (60, None),
    ],
)
def test_vitamin_a_capsule_colour_at_age_edges(months, capsule):
    services = due(child_stages(months), months=months, on=FEBRUARY)
    capsules = {"vitamin_a_blue", "vitamin_a_red"} & set(services)
    assert capsules == ({capsule} if capsule else set())


def test_vitamin_a_postpartum_in_any_month():
    assert "vitamin_a_postpartum" in due(["ibu_nifas", "usia_dewasa", "wus"], years=30, on=MARCH)


# --- PUMA and the smoking question -----------------------------------------------------------


@pytest.mark.parametrize(
    ("years", "smoker", "puma", "ask"),
    [
        (39, True, False, False),
        (40, True, True, False),
        (40, False, False, False),
        (40, None, False, True),
        (39, None, False, True),  # the adult card asks every adult about smoking
        (61, True, True, False),
        (61, None, False, True),
    ],
)
def test_puma_screening_from_40_for_smokers_and_unknown_status_is_asked(years, smoker, puma, ask):
    stage = "lansia" if years >= 60 else "usia_dewasa"
    services = due([stage], years=years, sex="M", smoker=smoker)
    assert ("puma_screening" in services) is puma
    assert ("smoking_status_ask" in services) is ask


def test_smoking_status_ask_not_for_children():
    assert "smoking_status_ask" not in due(child_stages(30), months=30, smoker=None)


# --- SKILAS ------------------------------------------------------------------------------------


def test_skilas_at_59_years_is_not_due():
    assert "skilas" not in due(["usia_dewasa"], years=59)


def test_skilas_at_60_years_is_due_by_kader():
    skilas = due(["lansia"], years=60)["skilas"]
    assert (skilas.by, skilas.stages, skilas.label) == (
        "kader",
        ("lansia",),
        "Skrining lansia sederhana (SKILAS)",
    )


# --- PMT pemulihan and MT bumil KEK -------------------------------------------------------------


def test_pmt_recovery_without_triggering_finding_is_not_due():
    assert "pmt_recovery" not in due(child_stages(18), months=18)
    assert "pmt_recovery" not in due(child_stages(18), months=18, findings=("hfa.stunted",))


@pytest.mark.parametrize(
    "finding",
    [
        "wfh.wasted",
        "wfh.severely_wasted",
        "wfa.underweight",
        "weight.not_increasing",
        "weight.not_increasing_twice",
        "muac.moderate_acute_malnutrition",
    ],
)
def test_pmt_recovery_with_triggering_finding_is_due(finding):
    services = due(child_stages(18), months=18, findings=("hfa.stunted", finding))
    assert services["pmt_recovery"].stages == ("baduta", "balita")


def test_pmt_recovery_under_six_months_is_not_due():
    # Under 6 months the infant is exclusively breastfed: no food, the growth problem is referred.
    assert "pmt_recovery" not in due(child_stages(5), months=5, findings=("wfa.underweight",))


def test_mt_kek_pregnancy_only_for_pregnant_woman_with_kek():
    kek = ("muac.chronic_energy_deficiency",)
    pregnant = ["ibu_hamil", "usia_dewasa", "wus"]
    assert "mt_kek_pregnancy" in due(pregnant, years=25, pregnant=True, findings=kek)
    assert "mt_kek_pregnancy" not in due(pregnant, years=25, pregnant=True)
    assert "mt_kek_pregnancy" not in due(["usia_dewasa", "wus"], years=25, findings=kek)


def test_referral_letter_only_when_referred():
    assert "referral_letter" not in due(["lansia"], years=70)
    letter = due(["lansia"], years=70, refer=True)["referral_letter"]
    assert (letter.by, letter.stages) == ("kader", ("lansia",))


# --- TTD and Hb for adolescent girls -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "years", "given"),
    [("F", 12, True), ("F", 18, True), ("F", 11, False), ("M", 12, False), ("M", 16, False)],
)
def test_ttd_rematri_girls_12_to_18_only(sex, years, given):
    assert ("ttd_rematri" in due(["remaja"], years=years, sex=sex)) is given


def test_hb_screening_adolescent_girls_only_by_nakes():
    assert "hb_screening" not in due(["remaja"], years=14, sex="M")
    assert due(["remaja"], years=14, sex="F")["hb_screening"].by == "nakes"


# --- pregnant women ----------------------------------------------------------------------------


def test_ibu_hamil_package_includes_lila_bp_ttd_tb_screening():
    services = due(["ibu_hamil", "usia_dewasa", "wus"], years=28, pregnant=True)
    for code in ("measure_muac", "bp_check", "ttd_pregnancy", "tb_symptom_screening"):
        assert "ibu_hamil" in services[code].stages
    assert services["antenatal_care"].by == "nakes"


def test_ibu_hamil_adolescent_gets_pregnancy_ttd_and_rematri_ttd_once_each():
    services = due(["ibu_hamil", "remaja", "wus"], years=17, pregnant=True)
    assert services["ttd_pregnancy"].stages == ("ibu_hamil",)
    assert services["ttd_rematri"].stages == ("remaja",)


# --- merging, order and the data file ----------------------------------------------------------


def test_services_due_several_stages_list_each_service_once_with_both_stages():
    listed = services_due(
        stages=["ibu_hamil", "usia_dewasa", "wus"],
        age=Age.between(D(2000, 1, 1), MARCH),
        sex="F",
        pregnant=True,
        smoker=False,
        findings=[],
        as_of=MARCH,
        packages=PACKAGES,
    )
    codes = [service.code for service in listed]
    assert codes == sorted(set(codes))
    by_code = {service.code: service for service in listed}
    assert by_code["measure_muac"].stages == ("ibu_hamil", "wus")
    assert by_code["weigh"].stages == ("ibu_hamil", "usia_dewasa")
    assert by_code["counselling"].stages == ("ibu_hamil", "usia_dewasa", "wus")
    assert by_code["measure_muac"].label == "Pengukuran lingkar lengan atas (LiLA)"


def test_service_rules_every_service_has_indonesian_label_and_kader_or_nakes():
    for rule in service_rules(PACKAGES):
        assert rule.label.strip(), rule.code
        assert rule.by in {"kader", "nakes"}, rule.code
        assert rule.source.strip(), rule.code


def test_service_packages_toml_raw_entries_have_label_by_and_source():
    text = resources.files("posyandu.core.data.rules").joinpath("service_packages.toml")
    versions = tomllib.loads(text.read_text(encoding="utf-8"))["version"]
    for version in versions:
        for raw in version["service"]:
            assert raw["code"] == raw["code"].lower().strip(), raw
            assert isinstance(raw["label"], str), raw
            assert raw["label"].strip(), raw
            assert raw["by"] in {"K", "N"}, raw


def test_service_packages_version_in_force_from_2023_08_01():
    assert rule_in_force("service_packages", D(2023, 8, 1)).version == "2023.1"
    with pytest.raises(RulesError, match="no version in force"):
        rule_in_force("service_packages", D(2023, 7, 31))


# --- malformed tables and inputs ---------------------------------------------------------------


def test_service_rules_unknown_condition_key_raises():
    bad = version_with({**WEIGH, "when": {"min_age_month": 6}})
    with pytest.raises(RulesError, match="unknown condition 'min_age_month'"):
        due(["bayi"], months=8, packages=bad)


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (({**WEIGH, "by": "kader"},), "'by' must be"),
        (({**WEIGH, "stages": ["toddler"]},), "known stage codes"),
        (({**WEIGH, "label": " "},), "non-empty text"),
        (({**WEIGH, "code": "Weigh"},), "snake_case"),
        (({**WEIGH, "extra": 1},), "unknown keys"),
        (({**WEIGH, "when": {"months_of_year": [13]}},), "bad value"),
        (({**WEIGH, "when": {"min_age_months": "6"}},), "bad value"),
        (({**WEIGH, "when": {"smoker": True}},), "bad value"),
        (({**WEIGH, "when": {"sex": ["F"]}},), "bad value"),
        ((WEIGH, {**WEIGH, "label": "Timbang"}), "disagree"),
        ((), "no \\[\\[version.service\\]\\]"),
    ],
)
def test_service_rules_malformed_table_raises(rules, message):
    with pytest.raises(RulesError, match=message):
        service_rules(version_with(*rules))


def test_service_rules_other_family_raises():
    other = RuleVersion("kbm", "x", D(2020, 1, 1), "b", MappingProxyType({"service": [WEIGH]}))
    with pytest.raises(RulesError, match="not a service_packages"):
        service_rules(other)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"stages": ["toddler"]}, "stages"),
        ({"stages": "bayi"}, "stages"),
        ({"sex": "X"}, "sex"),
        ({"findings": "wfh.wasted"}, "findings"),
    ],
)
def test_services_due_bad_input_names_the_field(kwargs, field):
    args = {"stages": ["bayi"], "sex": "F", "findings": ()}
    args.update(kwargs)
    with pytest.raises(InputError) as caught:
        services_due(
            age=Age.between(D(2025, 6, 1), MARCH),
            pregnant=False,
            smoker=None,
            as_of=MARCH,
            packages=PACKAGES,
            **args,
        )
    assert caught.value.field == field
