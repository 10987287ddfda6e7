"""Coverage per dose in birth cohorts, IDL before the first birthday, and drop-out."""

import pytest

from posyandu.core.indicators import indicators_for_month
from posyandu.core.indicators.immunisation import doses_given
from tests.core.indicators.build import OCT, RULES, D, doses, person

BORN = D(2025, 6, 10)  # 16 months on 31 October 2026: cohort 12-23
IDL_DOSES = [
    ("hb0", D(2025, 6, 10)),
    ("bcg", D(2025, 7, 10)),
    ("opv1", D(2025, 7, 10)),
    ("opv2", D(2025, 8, 10)),
    ("opv3", D(2025, 9, 10)),
    ("opv4", D(2025, 10, 10)),
    ("dpt_hb_hib1", D(2025, 8, 10)),
    ("dpt_hb_hib2", D(2025, 9, 10)),
    ("dpt_hb_hib3", D(2025, 10, 10)),
    ("ipv1", D(2025, 10, 10)),
    ("mr1", D(2026, 3, 10)),
]


def test_idl_needs_every_basic_dose_before_the_first_birthday():
    late = [*IDL_DOSES[:-1], ("mr1", D(2026, 6, 15))]  # MR1 after the first birthday
    kids = [
        person("complete", BORN, doses=doses(*IDL_DOSES)),
        person("late", BORN, doses=doses(*late)),
        person("none", BORN),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["cov_idl"][:2] == (1, 3)
    assert got["cov_mr1"][:2] == (2, 3)  # coverage counts the late dose


def test_coverage_ignores_doses_after_the_month():
    kid = person("k", BORN, doses=doses(("bcg", D(2026, 11, 2))))
    assert indicators_for_month([kid], OCT, RULES)["imm_bcg"].numerator == 0


def test_a_later_dose_implies_the_earlier_ones_of_its_series():
    given = doses_given(doses(("dpt_hb_hib3", D(2025, 10, 10))), D(2026, 10, 31))
    assert given["dpt_hb_hib1"] == given["dpt_hb_hib2"] == D(2025, 10, 10)
    assert "opv1" not in given


def test_dpt_drop_out_counts_children_who_started_and_stopped():
    kids = [
        person("stopped", BORN, doses=doses(("dpt_hb_hib1", D(2025, 8, 10)))),
        person("finished", BORN, doses=doses(("dpt_hb_hib3", D(2025, 10, 10)))),
        person("never", BORN),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["do_dpt_hb_hib"][:2] == (1, 2)


def test_mr_drop_out_is_measured_in_the_24_to_35_month_cohort():
    older = D(2024, 6, 10)  # 28 months
    kids = [
        person("mr1_only", older, doses=doses(("mr1", D(2025, 3, 10)))),
        person("both", older, doses=doses(("mr1", D(2025, 3, 10)), ("mr2", D(2025, 12, 10)))),
        person("young", BORN, doses=doses(("mr1", D(2026, 3, 10)))),
    ]
    got = indicators_for_month(kids, OCT, RULES)
    assert got["do_mr"][:2] == (1, 2)
    assert got["cov_mr2"][:2] == (1, 2)


@pytest.mark.parametrize(("birth", "cohort"), [(D(2025, 11, 1), None), (D(2025, 10, 31), "12_23")])
def test_cohort_starts_at_twelve_completed_months(birth, cohort):
    got = indicators_for_month([person("k", birth)], OCT, RULES)
    assert got["cohort_12_23"].numerator == (1 if cohort else 0)
