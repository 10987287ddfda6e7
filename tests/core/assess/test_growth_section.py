"""The growth section of an assessment: which record each indicator reads, which reference, which
classes, MUAC and oedema.

Rule (ASSESS.md, "Output" and "Growth classes"; source: Permenkes 2/2020 Standar Antropometri
Anak, which adopts the WHO 2006 standards and the WHO 2007 reference): "Each indicator and
threshold uses the latest measurement record on or before as_of that holds all of its inputs
(weight and length/height from the same record for wfh and bfa), with the age on that record's
date; records after as_of are ignored." "Growth uses WHO 2006 and the 0-59-month classes while
the age in completed months is under 60, WHO 2007 and the 5-18-year classes from 60 months."
"Weight-for-age has no class from 60 months: its z is reported, its class is null. MUAC is
classified for 6-59 months only. An indicator that cannot be computed (missing measurement,
out of range, oedema for the weight-based ones) is absent from growth. Each non-normal class is
a finding <indicator>.<class>. Bilateral pitting oedema in a child is child.oedema."

Expected classes come from the WHO SD tables quoted beside each value.
"""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.assess.assess import rules_for
from posyandu.core.assess.growth import GrowthPlan, finish_growth, growth_section
from posyandu.core.assess.model import MeasurementRecord, Person
from posyandu.core.growth import ChildMeasurement, child_zscores_2007, growth_class_rules, z_class
from posyandu.core.rulebook import rule_in_force

D = dt.date
RULES = rules_for(D(2026, 1, 15))
GIRL = Person(sex="F", birth_date=D(2025, 1, 15))
ONE_YEAR = D(2026, 1, 15)  # GIRL is 365 days, 12 months old


def section(person: Person, as_of: dt.date, *records: MeasurementRecord):
    return growth_section(
        person,
        records,
        as_of,
        classes_version=RULES.pinned("growth_classes"),
        stages=RULES.family("stages"),
    )


def classes(person: Person, as_of: dt.date, *records: MeasurementRecord) -> dict[str, str | None]:
    indicators = section(person, as_of, *records).indicators
    return {name: status.class_code for name, status in indicators.items()}


def rec(day: dt.date, **values: object) -> MeasurementRecord:
    return MeasurementRecord(date=day, **values)


# Girl 365 d (WHO 2006): weight -2 SD 7.04 kg, so 6.7 kg is underweight and 8.9 kg normal;
# length median 74.0 cm; weight-for-length at 74.0 cm: -2 SD 7.53 kg.


def test_growth_wfh_and_bfa_need_weight_and_length_from_one_record():
    weight_only = rec(ONE_YEAR, weight_kg=6.7)
    length_only = rec(ONE_YEAR - dt.timedelta(days=7), length_cm=74.0, measure="l")
    assert classes(GIRL, ONE_YEAR, length_only, weight_only) == {
        "wfa": "underweight",
        "hfa": "normal",
    }


def test_growth_each_indicator_reads_its_own_latest_record():
    older_full = rec(ONE_YEAR - dt.timedelta(days=7), weight_kg=8.9, length_cm=74.0, measure="l")
    newer_weight = rec(ONE_YEAR, weight_kg=6.7)
    result = classes(GIRL, ONE_YEAR, newer_weight, older_full)
    # wfa from the newer record; wfh and bfa stay with the only record that has both inputs.
    assert result == {"wfa": "underweight", "hfa": "normal", "wfh": "normal", "bfa": "normal"}


def test_growth_ignores_records_after_as_of():
    later = rec(ONE_YEAR + dt.timedelta(days=1), weight_kg=6.7)
    assert classes(GIRL, ONE_YEAR, rec(ONE_YEAR, weight_kg=8.9), later) == {"wfa": "normal"}


def test_growth_uses_the_age_on_the_record_date():
    # 5.1 kg at 61 days is the WHO median (5.13); at 365 days it would be below -3 SD (6.27).
    early = rec(D(2025, 3, 17), weight_kg=5.1)
    result = section(GIRL, ONE_YEAR, early).indicators["wfa"]
    assert result.class_code == "normal"
    assert -0.5 < result.value < 0.5


def test_growth_z_is_rounded_to_two_decimals():
    z = section(GIRL, ONE_YEAR, rec(ONE_YEAR, weight_kg=6.7)).indicators["wfa"].value
    assert z == round(z, 2)
    assert -3 < z < -2


def test_growth_without_measurements_is_empty():
    result = section(GIRL, ONE_YEAR)
    assert (dict(result.indicators), result.findings) == ({}, ())


def test_growth_non_normal_classes_are_findings_citing_permenkes():
    result = section(GIRL, ONE_YEAR, rec(ONE_YEAR, weight_kg=6.7, length_cm=65.0, measure="l"))
    codes = {f.code for f in result.findings}
    # 65.0 cm is below -3 SD (66.28); 6.7 kg at 65.0 cm is within -1 SD (6.47) of the wfl
    # median, and BMI 15.9 within -1 SD (15.0) of the bmi-for-age median.
    assert codes == {"wfa.underweight", "hfa.severely_stunted"}
    assert all("Permenkes No. 2 Tahun 2020" in f.basis for f in result.findings)


# --- the 60-month switch -------------------------------------------------------------------

CHILD5 = Person(sex="F", birth_date=D(2021, 1, 15))
FULL5 = {"weight_kg": 14.0, "height_cm": 100.0, "measure": "h", "headc_cm": 48.0}


def test_growth_under_60_months_uses_who_2006_with_all_indicators():
    # 58 months (WHO 2006 girls): 14.0 kg, 100.0 cm and 48.0 cm head are all within -2 SD.
    assert classes(CHILD5, D(2025, 11, 15), rec(D(2025, 11, 15), **FULL5)) == {
        "wfa": "normal",
        "hfa": "normal",
        "wfh": "normal",
        "bfa": "normal",
        "hcfa": "normal",
    }


def test_growth_from_60_months_uses_who_2007_wfa_without_class():
    on = D(2026, 1, 16)  # 60 months, 1827 days
    result = section(CHILD5, on, rec(on, **FULL5)).indicators
    assert set(result) == {"wfa", "hfa", "bfa"}  # no wfh or hcfa in WHO 2007
    assert result["wfa"].class_code is None
    assert result["wfa"].value < 0  # reported all the same
    # WHO 2007 girls 60 months: BMI 14.0 is above -2 SD (12.76); 100 cm above -2 SD (99.59).
    assert (result["bfa"].class_code, result["hfa"].class_code) == ("normal", "normal")


def test_growth_reference_follows_the_age_on_the_record_date():
    # As of 61 months, but measured at 58 months: WHO 2006, so wfh is there and wfa has a class.
    result = classes(CHILD5, D(2026, 2, 16), rec(D(2025, 11, 15), **FULL5))
    assert result["wfa"] == "normal"
    assert "wfh" in result


def test_growth_is_for_children_only():
    adult = Person(sex="F", birth_date=D(2007, 1, 15))  # 19 on as_of
    childhood = rec(D(2012, 1, 15), weight_kg=10.0, height_cm=90.0, headc_cm=40.0)
    assert classes(adult, D(2026, 1, 15), childhood) == {}


# --- MUAC ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("muac_cm", "expected"),
    [
        (11.4, "severe_acute_malnutrition"),
        (11.5, "moderate_acute_malnutrition"),
        (12.4, "moderate_acute_malnutrition"),
        (12.5, "normal"),
    ],
)
def test_growth_muac_band_edges(muac_cm, expected):
    result = section(GIRL, ONE_YEAR, rec(ONE_YEAR, muac_cm=muac_cm)).indicators["muac"]
    assert (result.value, result.class_code) == (muac_cm, expected)


def test_growth_muac_only_from_6_to_59_months():
    assert classes(GIRL, D(2025, 7, 14), rec(D(2025, 7, 14), muac_cm=11.0)) == {}  # 5 months
    assert classes(GIRL, D(2025, 7, 15), rec(D(2025, 7, 15), muac_cm=11.0)) == {
        "muac": "severe_acute_malnutrition"
    }
    assert classes(CHILD5, D(2026, 1, 15), rec(D(2026, 1, 15), muac_cm=11.0)) == {}  # 60 mo


def test_growth_muac_class_is_a_finding():
    codes = {f.code for f in section(GIRL, ONE_YEAR, rec(ONE_YEAR, muac_cm=12.0)).findings}
    assert codes == {"muac.moderate_acute_malnutrition"}


# --- oedema --------------------------------------------------------------------------------


def test_growth_oedema_hides_weight_indicators_and_is_a_finding():
    record = rec(ONE_YEAR, weight_kg=8.9, length_cm=74.0, measure="l", oedema=True)
    result = section(GIRL, ONE_YEAR, record)
    assert set(result.indicators) == {"hfa"}
    assert [f.code for f in result.findings] == ["child.oedema"]


def test_growth_oedema_read_from_the_latest_record_that_records_it():
    older = rec(ONE_YEAR - dt.timedelta(days=14), oedema=True)
    newer = rec(ONE_YEAR - dt.timedelta(days=7), oedema=False)
    unknown = rec(ONE_YEAR, weight_kg=8.9)  # oedema not recorded: does not count
    assert section(GIRL, ONE_YEAR, older, newer, unknown).findings == ()
    assert [f.code for f in section(GIRL, ONE_YEAR, older, unknown).findings] == ["child.oedema"]


def test_growth_section_fifth_birthday_at_1826_days_uses_who2007_first_day():
    """Born 2020-03-01, on 2025-03-01 she is 60 completed months but only 1,826 days old."""
    person = Person(sex="F", birth_date=dt.date(2020, 3, 1))
    on = dt.date(2025, 3, 1)
    assert (on - person.birth_date).days == 1826
    record = MeasurementRecord(date=on, weight_kg=17.0, height_cm=106.0, measure="h")
    section = growth_section(
        person, [record], on, classes_version="2020.1", stages=rule_in_force("stages", on)
    )
    first_day = child_zscores_2007(
        ChildMeasurement(sex=2, age_days=1827, weight_kg=17.0, lenhei_cm=106.0, measure="h")
    )
    assert section.indicators["hfa"].value == first_day.hfa
    assert section.indicators["bfa"].value == first_day.bfa
    assert section.indicators["bfa"].class_code == "normal"  # a 5-18-year class


def test_growth_classes_remembered_per_z_are_those_worked_out_afresh():
    """The class of a z-score is remembered per (indicator, reference, z): the same z under
    another indicator or reference gets its own class, never one remembered for another."""
    rules = growth_class_rules(ONE_YEAR, RULES.pinned("growth_classes"))
    names = ("wfa", "hfa", "wfh", "bfa", "hcfa")
    child = ChildMeasurement(sex=2, age_days=365)
    zs = [round(-6.0 + step / 100, 2) for step in range(0, 1201, 7)] + [-3.0, -2.0, 1.0, 2.0, 3.0]
    for _ in range(2):  # the second pass reads what the first remembered
        for z in zs:
            for is_2007 in (False, True):
                plan = GrowthPlan(
                    rules, (child,), (is_2007,), tuple((n, 0) for n in names), None, False
                )
                found = finish_growth(plan, [dict.fromkeys(names, z)]).indicators
                group = "5-18y" if is_2007 else "0-59m"
                for name in names:
                    expected = z_class(rules, name, z, group)
                    assert found[name].class_code == expected, (name, z, group)
