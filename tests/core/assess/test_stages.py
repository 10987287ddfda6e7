"""Life-cycle stages (sasaran siklus hidup).

Rule (ASSESS.md, "Stages"; source: KMK HK.01.07/MENKES/2015/2023, Juknis ILP, and Permenkes
25/2014 on Upaya Kesehatan Anak, via DOMAIN.md 1.1): "bayi_baru_lahir 0-28 days · bayi 0-11
months · baduta 0-23 months · balita 0-59 months · anak_prasekolah 60-71 months · usia_sekolah
6-9 years · remaja 10-18 years · usia_dewasa 19-59 years · lansia >= 60 years · wus women 15-49
years · ibu_hamil when pregnant · ibu_nifas from the delivery day (day 0) to day 42 after
delivery_date inclusive. Ages are completed days, calendar months and years on as_of (born
2025-03-02: on 2026-03-01 she is 11 months, on 2026-03-02 she is 12 months)."
"""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.assess.model import Person
from posyandu.core.assess.stages import in_stage, is_child, life_stages
from posyandu.core.dates import Age, add_months
from posyandu.core.errors import RulesError
from posyandu.core.rulebook import RuleVersion, rule_in_force

D = dt.date
TABLE = rule_in_force("stages", D(2026, 1, 1))
AS_OF = D(2026, 3, 2)


def stages_at(*, days: int = 0, months: int = 0, years: int = 0, sex: str = "F", **kw) -> list[str]:
    """Return the stages on AS_OF of a person born that long before it."""
    born = add_months(AS_OF, -(months + 12 * years)) - dt.timedelta(days=days)
    return life_stages(Person(sex=sex, birth_date=born, **kw), AS_OF, TABLE)


# (stage, age just inside the bound, age just outside it)
AGE_EDGES = [
    ("bayi_baru_lahir", {"days": 28}, {"days": 29}),
    ("bayi", {"months": 11, "days": 27}, {"months": 12}),
    ("baduta", {"months": 23, "days": 27}, {"months": 24}),
    ("balita", {"months": 59, "days": 27}, {"months": 60}),
    ("anak_prasekolah", {"months": 60}, {"months": 59, "days": 27}),
    ("anak_prasekolah", {"months": 71, "days": 27}, {"months": 72}),
    ("usia_sekolah", {"years": 6}, {"years": 5, "months": 11, "days": 27}),
    ("usia_sekolah", {"years": 9, "months": 11}, {"years": 10}),
    ("remaja", {"years": 10}, {"years": 9, "months": 11}),
    ("remaja", {"years": 18, "months": 11}, {"years": 19}),
    ("usia_dewasa", {"years": 19}, {"years": 18, "months": 11}),
    ("usia_dewasa", {"years": 59, "months": 11}, {"years": 60}),
    ("lansia", {"years": 60}, {"years": 59, "months": 11}),
    ("wus", {"years": 15}, {"years": 14, "months": 11}),
    ("wus", {"years": 49, "months": 11}, {"years": 50}),
]


@pytest.mark.parametrize(("stage", "inside", "outside"), AGE_EDGES)
def test_stage_bound_holds_inside_and_not_outside(stage, inside, outside):
    assert stage in stages_at(**inside)
    assert stage not in stages_at(**outside)


def test_stages_birthday_eve_is_still_eleven_months():
    born = D(2025, 3, 2)
    person = Person(sex="F", birth_date=born)
    assert "bayi" in life_stages(person, D(2026, 3, 1), TABLE)
    assert "bayi" not in life_stages(person, D(2026, 3, 2), TABLE)


def test_stages_newborn_is_in_four_overlapping_stages_sorted():
    assert stages_at(days=0) == ["baduta", "balita", "bayi", "bayi_baru_lahir"]


def test_stages_lansia_has_no_upper_bound():
    assert stages_at(years=104, sex="M") == ["lansia"]


def test_stages_wus_is_for_women_only():
    assert stages_at(years=30, sex="M") == ["usia_dewasa"]
    assert stages_at(years=30, sex="F") == ["usia_dewasa", "wus"]


def test_stages_ibu_hamil_only_when_pregnancy_is_recorded():
    assert "ibu_hamil" in stages_at(years=25, pregnant=True)
    assert "ibu_hamil" not in stages_at(years=25, pregnant=False)
    assert "ibu_hamil" not in stages_at(years=25, pregnant=None)


@pytest.mark.parametrize(
    ("days_since_delivery", "nifas"), [(-1, False), (0, True), (42, True), (43, False)]
)
def test_stages_ibu_nifas_from_delivery_day_to_day_42(days_since_delivery, nifas):
    delivered = AS_OF - dt.timedelta(days=days_since_delivery)
    assert ("ibu_nifas" in stages_at(years=25, delivery_date=delivered)) is nifas


def test_stages_no_delivery_date_is_not_nifas():
    assert "ibu_nifas" not in stages_at(years=25)


def test_in_stage_judges_one_stage_on_another_day():
    person = Person(sex="F", birth_date=D(2000, 6, 15))
    assert in_stage("wus", person, D(2015, 6, 15), TABLE)
    assert not in_stage("wus", person, D(2015, 6, 14), TABLE)


def test_in_stage_unknown_code_is_a_rules_error():
    with pytest.raises(RulesError, match="no stage 'toddler'"):
        in_stage("toddler", Person(sex="F", birth_date=D(2020, 1, 1)), AS_OF, TABLE)


def test_is_child_up_to_eighteen_completed_years():
    assert is_child(Age(days=6939, months=227, years=18), TABLE)
    assert not is_child(Age(days=6940, months=228, years=19), TABLE)


def test_stages_bad_unit_in_the_table_is_a_rules_error():
    bad = RuleVersion(
        "stages",
        "test",
        D(2020, 1, 1),
        "test",
        {"stages": [{"code": "bayi", "unit": "weeks", "min": 0, "max": 52}]},
    )
    with pytest.raises(RulesError, match="bad age unit 'weeks'"):
        life_stages(Person(sex="F", birth_date=D(2026, 1, 1)), AS_OF, bad)
