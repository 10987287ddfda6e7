"""Immunisations due, overdue and missed for a child under five.

Rule (ASSESS.md, "Immunisation"; source: KMK No. HK.01.07/MENKES/1098/2024 tentang Jenis dan
Jadwal Imunisasi Program, amended by KMK No. HK.01.07/MENKES/35/2025; the 2017 schedule from
Permenkes No. 12 Tahun 2017, Lampiran): scheduled months hb0 0, bcg opv1 1, opv2 dpt_hb_hib1
pcv1 rv1 2, opv3 dpt_hb_hib2 pcv2 rv2 3, opv4 dpt_hb_hib3 ipv1 rv3 4, mr1 ipv2 9, je 10 (JE-
endemic provinces), pcv3 12, dpt_hb_hib4 mr2 18. Doses after as_of are ignored; given doses are
not listed; in a series only the dose after the highest-numbered one given is considered; due
date = birth + scheduled months, but a series dose no earlier than 28 days after the previous
dose; "due" until due date + 1 calendar month, then "overdue"; hb0 "missed" from day 8, bcg
"missed" from 12 months; nothing from 60 months; sorted by code; any overdue dose raises
immunization.overdue.
"""

from __future__ import annotations

import datetime as dt

import pytest

from posyandu.core.assess.immunisation import DueDose, immunization_findings, immunizations_due
from posyandu.core.errors import InputError
from posyandu.core.rulebook import RuleVersion, rule_in_force

D = dt.date
SCHEDULE = rule_in_force("immunisation_schedule", D(2026, 11, 23))
SCHEDULE_2017 = rule_in_force("immunisation_schedule", D(2020, 1, 1))
BORN = D(2025, 3, 2)


def due_list(
    as_of: str,
    doses: list[tuple[str, str]] | None = None,
    *,
    born: dt.date = BORN,
    province: str | None = None,
    schedule: RuleVersion = SCHEDULE,
) -> list[DueDose]:
    """Return the due list on `as_of` for ("vaccine", "yyyy-mm-dd") doses given."""
    return immunizations_due(
        birth_date=born,
        doses=[(code, D.fromisoformat(day)) for code, day in doses or []],
        as_of=D.fromisoformat(as_of),
        province_code=province,
        schedule=schedule,
    )


def listed(as_of: str, doses: list[tuple[str, str]] | None = None, **kwargs) -> dict[str, tuple]:
    """Return {vaccine: (status, due date as yyyy-mm-dd)} for the due list on `as_of`."""
    return {d.vaccine: (d.status, d.due_date.isoformat()) for d in due_list(as_of, doses, **kwargs)}


def test_immunisation_two_month_old_full_list_sorted_by_code():
    assert due_list("2025-05-02") == [
        DueDose("bcg", "overdue", D(2025, 4, 2)),
        DueDose("dpt_hb_hib1", "due", D(2025, 5, 2)),
        DueDose("hb0", "missed", D(2025, 3, 2)),
        DueDose("opv1", "overdue", D(2025, 4, 2)),
        DueDose("pcv1", "due", D(2025, 5, 2)),
        DueDose("rv1", "due", D(2025, 5, 2)),
    ]


def test_immunisation_listed_from_exact_due_day_not_the_day_before():
    assert "opv1" not in listed("2025-04-01")
    assert listed("2025-04-02")["opv1"] == ("due", "2025-04-02")


def test_immunisation_due_until_one_month_after_then_overdue():
    assert listed("2025-05-01")["opv1"] == ("due", "2025-04-02")
    assert listed("2025-05-02")["opv1"] == ("overdue", "2025-04-02")


def test_immunisation_month_end_birth_due_and_overdue_clamped():
    born = D(2025, 1, 31)
    assert listed("2025-02-28", born=born)["opv1"] == ("due", "2025-02-28")
    assert listed("2025-03-27", born=born)["opv1"] == ("due", "2025-02-28")
    assert listed("2025-03-28", born=born)["opv1"] == ("overdue", "2025-02-28")


def test_immunisation_hb0_due_on_day_7_missed_on_day_8():
    assert listed("2025-03-09")["hb0"] == ("due", "2025-03-02")
    assert listed("2025-03-10")["hb0"] == ("missed", "2025-03-02")


def test_immunisation_hb0_given_late_is_not_listed():
    assert "hb0" not in listed("2025-03-20", [("hb0", "2025-03-12")])


def test_immunisation_bcg_overdue_at_11_months_missed_at_12():
    assert listed("2026-03-01")["bcg"] == ("overdue", "2025-04-02")
    assert listed("2026-03-02")["bcg"] == ("missed", "2025-04-02")


def test_immunisation_28_days_after_late_dose_pushes_due_date():
    doses = [("opv1", "2025-04-20")]  # opv2 scheduled 2025-05-02, spacing gives 2025-05-18
    assert "opv2" not in listed("2025-05-17", doses)
    assert listed("2025-05-18", doses)["opv2"] == ("due", "2025-05-18")


def test_immunisation_on_time_previous_dose_keeps_scheduled_date():
    assert listed("2025-05-02", [("opv1", "2025-04-02")])["opv2"] == ("due", "2025-05-02")


def test_immunisation_spacing_counts_from_latest_repeat_of_previous_dose():
    doses = [("opv1", "2025-04-02"), ("opv1", "2025-04-20")]
    assert listed("2025-05-18", doses)["opv2"] == ("due", "2025-05-18")


def test_immunisation_hb0_does_not_delay_first_dpt_hb_hib():
    doses = [("hb0", "2025-04-25")]
    assert listed("2025-05-02", doses)["dpt_hb_hib1"] == ("due", "2025-05-02")


def test_immunisation_series_gap_considers_only_next_dose():
    doses = [("opv3", "2025-07-20")]  # opv1 and opv2 never recorded
    on_first = listed("2025-08-16", doses)
    assert not {"opv1", "opv2", "opv3", "opv4"} & on_first.keys()
    assert listed("2025-08-17", doses)["opv4"] == ("due", "2025-08-17")


def test_immunisation_later_series_dose_waits_for_earlier():
    # dpt_hb_hib1 never given: dpt_hb_hib2 and 3 are not listed, however late.
    on_day = listed("2025-08-02")
    assert on_day["dpt_hb_hib1"] == ("overdue", "2025-05-02")
    assert not {"dpt_hb_hib2", "dpt_hb_hib3"} & on_day.keys()


def test_immunisation_doses_after_as_of_are_ignored():
    assert listed("2025-05-15", [("bcg", "2025-06-01")])["bcg"] == ("overdue", "2025-04-02")


@pytest.mark.parametrize(("province", "has_je"), [("51", True), ("32", False), (None, False)])
def test_immunisation_je_only_in_endemic_province(province, has_je):
    assert ("je" in listed("2026-01-02", province=province)) is has_je


def test_immunisation_je_due_at_10_months_in_bali():
    assert listed("2026-01-02", province="51")["je"] == ("due", "2026-01-02")


def test_immunisation_59_months_listed_60_months_nothing():
    born = D(2021, 3, 2)
    assert listed("2026-03-01", born=born)["mr1"] == ("overdue", "2021-12-02")
    assert due_list("2026-03-02", born=born) == []


def test_immunisation_fully_vaccinated_child_has_nothing_due():
    codes = [d["vaccine"] for d in SCHEDULE.data["doses"] if d["vaccine"] != "je"]
    assert due_list("2027-01-01", [(code, "2026-09-02") for code in codes]) == []


def test_immunisation_2017_schedule_has_no_pcv_or_rv():
    codes_2017 = listed("2019-04-01", born=D(2019, 1, 1), schedule=SCHEDULE_2017).keys()
    codes_2025 = listed("2019-04-01", born=D(2019, 1, 1)).keys()
    assert not {c for c in codes_2017 if c.startswith(("pcv", "rv"))}
    assert {"pcv1", "rv1"} <= codes_2025


def test_immunisation_2017_schedule_accepts_later_vaccine_codes():
    # A PCV dose from a demonstration programme neither errors nor changes the 2017 list.
    old = {"born": D(2019, 1, 1), "schedule": SCHEDULE_2017}
    with_pcv = due_list("2019-04-01", [("pcv1", "2019-03-01")], **old)
    assert with_pcv == due_list("2019-04-01", **old)


def test_immunisation_schedule_version_changes_on_kmk_35_2025():
    assert rule_in_force("immunisation_schedule", D(2025, 1, 20)).version == "2017.1"
    assert rule_in_force("immunisation_schedule", D(2025, 1, 21)).version == "2025.1"
    assert "KMK No. HK.01.07/MENKES/35/2025" in SCHEDULE.citation


def test_immunisation_unknown_vaccine_code_names_the_field():
    with pytest.raises(InputError) as info:
        due_list("2025-05-02", [("bcg", "2025-04-02"), ("polio9", "2025-04-02")])
    assert info.value.field == "immunizations[1].vaccine"
    assert "polio9" in str(info.value)


def test_immunisation_dose_before_birth_names_the_field():
    with pytest.raises(InputError) as info:
        due_list("2025-05-02", [("hb0", "2025-03-01")])
    assert info.value.field == "immunizations[0].date"


def test_immunisation_findings_overdue_only():
    overdue = DueDose("opv1", "overdue", D(2025, 4, 2))
    missed = DueDose("hb0", "missed", D(2025, 3, 2))
    due = DueDose("pcv1", "due", D(2025, 5, 2))
    assert immunization_findings([due, overdue, missed]) == ["immunization.overdue"]
    assert immunization_findings([due, missed]) == []
