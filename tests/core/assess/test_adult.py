"""Adult and pregnancy screening thresholds: BMI, waist, blood pressure, glucose, Hb, LiLA (KEK).

Rule (ASSESS.md, "Adults"; sources: Kemenkes Pedoman Gizi Seimbang, Permenkes 41/2014, for
BMI; P2PTM Kemenkes for waist, blood pressure and glucose; WHO 2011 haemoglobin cut-offs as used
by Kemenkes; Buku KIA / kartu bantu ibu hamil for KEK): "BMI classes from 19 y; waist, blood
pressure and glucose from 15 y; pregnant women are excluded from BMI and waist.
- BMI, computed from weight and height and rounded to 1 decimal first: bmi.severe_thinness
  < 17.0 <= bmi.thinness <= 18.4 < normal <= 25.0 < bmi.overweight <= 27.0 < bmi.obese (so
  16.96 -> 17.0 thinness, 25.04 -> 25.0 normal, 25.05 -> 25.1 overweight)
- waist: waist.central_obesity at >= 90 cm (men), >= 80 cm (women)
- blood pressure: bp.high at systolic >= 140 or diastolic >= 90; bp.low at systolic < 90 or
  diastolic < 60
- glucose: glucose.high at random >= 200 or fasting >= 126 mg/dL; glucose.low < 70
- haemoglobin (WHO): anaemia below 11.0 (6-59 months, pregnant women), 11.5 (5-11 y), 12.0
  (12-14 y, non-pregnant women >= 15 y), 13.0 (men >= 15 y): hb.anaemia_mild,
  hb.anaemia_moderate (< 10.0 for the 11.0 groups, < 11.0 otherwise), hb.anaemia_severe (< 7.0
  for the 11.0 groups, < 8.0 otherwise)
- pregnant women and WUS: muac.chronic_energy_deficiency (KEK) at LiLA < 23.5 cm
- a blood pressure with one value is judged on that value; glucose with no kind is random;
  haemoglobin is not classified under 6 months; pregnancy's cut-offs apply at any age"
"""

from __future__ import annotations

import datetime as dt
import decimal
from decimal import Decimal

import pytest

from posyandu.core.assess.adult import adult_findings, bmi
from posyandu.core.assess.assess import rules_for
from posyandu.core.assess.model import MeasurementRecord, Person
from posyandu.core.dates import add_months

D = dt.date
AS_OF = D(2026, 6, 15)
RULES = rules_for(AS_OF)


def findings(
    *,
    years: int = 30,
    months: int = 0,
    sex: str = "F",
    pregnant: bool | None = None,
    records: list[MeasurementRecord] | None = None,
    **values: object,
) -> list[str]:
    """Return the adult finding codes of a person that age on AS_OF, measured on AS_OF."""
    person = Person(
        sex=sex,
        birth_date=add_months(AS_OF, -(12 * years + months)),
        pregnant=pregnant,
    )
    if records is None:
        records = [MeasurementRecord(date=AS_OF, **values)]
    found = adult_findings(
        person,
        records,
        AS_OF,
        thresholds=RULES.family("adult_thresholds"),
        anaemia=RULES.family("anaemia"),
        stages=RULES.family("stages"),
    )
    return sorted(f.code for f in found)


# --- BMI ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight_kg", "rounded"),
    [(67.84, "17.0"), (67.76, "16.9"), (100.16, "25.0"), (100.2, "25.1"), (108.2, "27.1")],
)
def test_bmi_rounds_half_up_to_one_decimal(weight_kg, rounded):
    # Height 200 cm makes BMI = weight / 4 exactly: 16.96, 16.94, 25.04, 25.05, 27.05.
    assert bmi(weight_kg, 200.0, 1) == Decimal(rounded)


def _exact_bmi(weight_kg: float, height_cm: float, decimals: int) -> Decimal:
    # This test's own reading: the decimals as written, divided with digits to spare.
    context = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
    metres = context.divide(Decimal(str(height_cm)), Decimal(100))
    value = context.divide(Decimal(str(weight_kg)), context.multiply(metres, metres))
    return value.quantize(Decimal(1).scaleb(-decimals), context=context)


def test_bmi_rounds_every_weight_and_height_as_exact_decimal_division():
    # `bmi` settles most roundings in floats: it must round as exact decimals do everywhere,
    # ties included (heights 100, 200 and 250 cm put many quotients exactly on x.x5), and
    # give the same Decimal (22.4, not 22.40).
    heights = [100.0, 125.0, 145.3, 150.0, 158.7, 160.0, 171.9, 180.0, 200.0, 250.0]
    weights = [w / 10 for w in range(300, 1501)] + [w / 100 for w in range(2490, 2520)]
    for height_cm in heights:
        for weight_kg in weights:
            for decimals in (0, 1, 2):
                expected = _exact_bmi(weight_kg, height_cm, decimals)
                got = bmi(weight_kg, height_cm, decimals)
                assert (got, str(got)) == (expected, str(expected)), (weight_kg, height_cm)


@pytest.mark.parametrize(
    ("weight_kg", "expected"),
    [
        (67.76, ["bmi.severe_thinness"]),  # 16.94 -> 16.9
        (67.84, ["bmi.thinness"]),  # 16.96 -> 17.0
        (73.76, ["bmi.thinness"]),  # 18.44 -> 18.4
        (73.8, []),  # 18.45 -> 18.5 normal
        (100.16, []),  # 25.04 -> 25.0 normal
        (100.2, ["bmi.overweight"]),  # 25.05 -> 25.1
        (108.0, ["bmi.overweight"]),  # 27.0
        (108.2, ["bmi.obese"]),  # 27.05 -> 27.1
    ],
)
def test_bmi_class_at_each_band_edge(weight_kg, expected):
    assert findings(weight_kg=weight_kg, height_cm=200.0) == expected


def test_bmi_reads_a_length_as_well_as_a_height():
    assert findings(weight_kg=108.2, length_cm=200.0) == ["bmi.obese"]


def test_bmi_not_judged_before_19_years():
    assert findings(years=18, months=11, weight_kg=108.2, height_cm=200.0) == []
    assert findings(years=19, weight_kg=108.2, height_cm=200.0) == ["bmi.obese"]


def test_bmi_and_waist_not_judged_in_pregnancy():
    values = {"weight_kg": 108.2, "height_cm": 200.0, "waist_cm": 100.0}
    assert findings(pregnant=True, **values) == []
    assert findings(pregnant=False, **values) == ["bmi.obese", "waist.central_obesity"]


def test_bmi_needs_weight_and_height_from_one_record():
    records = [
        MeasurementRecord(date=AS_OF - dt.timedelta(days=30), height_cm=200.0),
        MeasurementRecord(date=AS_OF, weight_kg=108.2),
    ]
    assert findings(records=records) == []


# --- waist -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "waist_cm", "expected"),
    [
        ("M", 89.9, []),
        ("M", 90.0, ["waist.central_obesity"]),
        ("F", 79.9, []),
        ("F", 80.0, ["waist.central_obesity"]),
    ],
)
def test_waist_cut_off_by_sex(sex, waist_cm, expected):
    assert findings(sex=sex, waist_cm=waist_cm) == expected


def test_waist_judged_from_15_years():
    assert findings(years=14, months=11, waist_cm=95.0) == []
    assert findings(years=15, waist_cm=95.0) == ["waist.central_obesity"]


# --- blood pressure ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sbp", "dbp", "expected"),
    [
        (139, 89, []),
        (140, 89, ["bp.high"]),
        (139, 90, ["bp.high"]),
        (140, 90, ["bp.high"]),
        (90, 60, []),
        (89, 60, ["bp.low"]),
        (90, 59, ["bp.low"]),
        (150, 55, ["bp.high"]),  # both hold: the card's classes are exclusive, high wins
    ],
)
def test_bp_high_and_low_edges(sbp, dbp, expected):
    assert findings(sbp_mmhg=sbp, dbp_mmhg=dbp) == expected


def test_bp_with_one_value_is_judged_on_it():
    assert findings(sbp_mmhg=140) == ["bp.high"]
    assert findings(dbp_mmhg=59) == ["bp.low"]
    assert findings(sbp_mmhg=120) == []


def test_bp_from_15_years_or_in_pregnancy_at_any_age():
    assert findings(years=14, months=11, sbp_mmhg=150, dbp_mmhg=95) == []
    assert findings(years=15, sbp_mmhg=150, dbp_mmhg=95) == ["bp.high"]
    assert findings(years=14, pregnant=True, sbp_mmhg=150, dbp_mmhg=95) == ["bp.high"]


def test_bp_uses_the_latest_record_on_or_before_as_of():
    records = [
        MeasurementRecord(date=AS_OF - dt.timedelta(days=30), sbp_mmhg=160, dbp_mmhg=100),
        MeasurementRecord(date=AS_OF, sbp_mmhg=120, dbp_mmhg=80),
        MeasurementRecord(date=AS_OF + dt.timedelta(days=1), sbp_mmhg=80, dbp_mmhg=50),
    ]
    assert findings(records=records) == []


def test_bp_same_day_records_the_later_one_wins():
    records = [
        MeasurementRecord(date=AS_OF, sbp_mmhg=160, dbp_mmhg=100),
        MeasurementRecord(date=AS_OF, sbp_mmhg=120, dbp_mmhg=80),
    ]
    assert findings(records=records) == []


# --- glucose -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mg_dl", "kind", "expected"),
    [
        (199, "random", []),
        (200, "random", ["glucose.high"]),
        (125, "fasting", []),
        (126, "fasting", ["glucose.high"]),
        (150, "fasting", ["glucose.high"]),
        (150, "random", []),
        (70, "random", []),
        (69, "random", ["glucose.low"]),
        (70, "fasting", []),
        (69, "fasting", ["glucose.low"]),
    ],
)
def test_glucose_edges_by_kind(mg_dl, kind, expected):
    assert findings(glucose_mg_dl=mg_dl, glucose_kind=kind) == expected


def test_glucose_without_kind_is_random():
    assert findings(glucose_mg_dl=199) == []
    assert findings(glucose_mg_dl=200) == ["glucose.high"]


def test_glucose_judged_from_15_years():
    assert findings(years=14, glucose_mg_dl=250) == []
    assert findings(years=15, glucose_mg_dl=250) == ["glucose.high"]


# --- haemoglobin -------------------------------------------------------------------------

# (group, person, no anaemia at, mild at, moderate at, severe at) — each value the edge.
HB_GROUPS = [
    ("6-59 months", {"years": 2}, 11.0, (10.9, 10.0), (9.9, 7.0), 6.9),
    ("5-11 years", {"years": 5}, 11.5, (11.4, 11.0), (10.9, 8.0), 7.9),
    ("5-11 years", {"years": 11, "months": 11}, 11.5, (11.4, 11.0), (10.9, 8.0), 7.9),
    ("12-14 years", {"years": 12, "sex": "M"}, 12.0, (11.9, 11.0), (10.9, 8.0), 7.9),
    ("12-14 years", {"years": 14, "months": 11}, 12.0, (11.9, 11.0), (10.9, 8.0), 7.9),
    ("women >= 15", {"years": 15}, 12.0, (11.9, 11.0), (10.9, 8.0), 7.9),
    ("men >= 15", {"years": 15, "sex": "M"}, 13.0, (12.9, 11.0), (10.9, 8.0), 7.9),
    ("pregnant", {"years": 30, "pregnant": True}, 11.0, (10.9, 10.0), (9.9, 7.0), 6.9),
]


@pytest.mark.parametrize(
    ("group", "who", "normal", "mild", "moderate", "severe"),
    HB_GROUPS,
    ids=[f"{g[0]}-{i}" for i, g in enumerate(HB_GROUPS)],
)
def test_hb_group_edges(group, who, normal, mild, moderate, severe):
    assert findings(hb_g_dl=normal, **who) == [], group
    for hb in mild:
        assert findings(hb_g_dl=hb, **who) == ["hb.anaemia_mild"], (group, hb)
    for hb in moderate:
        assert findings(hb_g_dl=hb, **who) == ["hb.anaemia_moderate"], (group, hb)
    assert findings(hb_g_dl=severe, **who) == ["hb.anaemia_severe"], group


def test_hb_not_classified_under_6_months():
    assert findings(years=0, months=5, hb_g_dl=6.0) == []
    assert findings(years=0, months=6, hb_g_dl=6.0) == ["hb.anaemia_severe"]


def test_hb_pregnant_cut_off_applies_at_any_age():
    # 14 years: 12.0 would make 11.5 mild; in pregnancy the cut-off is 11.0.
    assert findings(years=14, hb_g_dl=11.5) == ["hb.anaemia_mild"]
    assert findings(years=14, pregnant=True, hb_g_dl=11.5) == []


def test_hb_group_follows_the_age_on_the_record_date():
    # Measured at 4 years 11 months (group 11.0); as_of she is 5 (group 11.5).
    record = MeasurementRecord(date=AS_OF - dt.timedelta(days=40), hb_g_dl=11.2)
    assert findings(years=5, records=[record]) == []


# --- KEK -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "muac_cm", "expected"),
    [
        ({"years": 30}, 23.4, ["muac.chronic_energy_deficiency"]),
        ({"years": 30}, 23.5, []),
        ({"years": 30, "pregnant": True}, 23.4, ["muac.chronic_energy_deficiency"]),
        ({"years": 30, "pregnant": True}, 23.5, []),
        ({"years": 15}, 23.4, ["muac.chronic_energy_deficiency"]),
        ({"years": 14, "months": 11}, 23.4, []),
        ({"years": 14, "pregnant": True}, 23.4, ["muac.chronic_energy_deficiency"]),
        ({"years": 49, "months": 11}, 23.4, ["muac.chronic_energy_deficiency"]),
        ({"years": 50}, 23.4, []),
        ({"years": 30, "sex": "M"}, 20.0, []),
    ],
)
def test_kek_for_pregnant_women_and_wus(who, muac_cm, expected):
    assert findings(muac_cm=muac_cm, **who) == expected


# --- all together ------------------------------------------------------------------------


def test_adult_missing_values_give_no_findings():
    assert findings() == []


def test_adult_findings_cite_their_own_basis():
    person = Person(sex="M", birth_date=D(1990, 1, 1))
    record = MeasurementRecord(date=AS_OF, weight_kg=108.2, height_cm=200.0, sbp_mmhg=150)
    found = adult_findings(
        person,
        [record],
        AS_OF,
        thresholds=RULES.family("adult_thresholds"),
        anaemia=RULES.family("anaemia"),
        stages=RULES.family("stages"),
    )
    basis = {f.code: f.basis for f in found}
    assert "Permenkes No. 41 Tahun 2014" in basis["bmi.obese"]
    assert "P2PTM" in basis["bp.high"]
    assert all(b.endswith("(adult_thresholds 2023.1)") for b in basis.values())
