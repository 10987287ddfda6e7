"""Referrals by issue month, the open-referral stock, persons served and service days held."""

from posyandu.core.indicators import ServiceDayFacts, indicators_for_month
from tests.core.indicators.build import OCT, RULES, D, ReferralFacts, person

SEP = D(2026, 9, 1)


def _referred():
    return person(
        "r",
        D(1990, 1, 1),
        referrals=(
            ReferralFacts(D(2026, 10, 3), answered_on=D(2026, 10, 6)),  # 3 days
            ReferralFacts(D(2026, 10, 10), answered_on=D(2026, 10, 20)),  # 10 days
            ReferralFacts(D(2026, 10, 28)),  # open 3 days on 31 October
            ReferralFacts(D(2026, 9, 1)),  # open 60 days
            ReferralFacts(D(2026, 9, 20), answered_on=D(2026, 10, 25)),  # 10 days open on 30/9
            ReferralFacts(D(2026, 9, 2), closed_on=D(2026, 9, 5)),  # closed without feedback
        ),
    )


def test_referrals_issued_answered_and_median_days():
    got = indicators_for_month([_referred()], OCT, RULES)
    assert got["ref_issued"].numerator == 3
    assert got["ref_answer_rate"][:2] == (2, 3)
    assert got["ref_feedback_days"] == (13, 2, (3, 10))


def test_open_over_seven_days_is_a_stock_at_the_month_end():
    person_ = _referred()
    assert indicators_for_month([person_], OCT, RULES)["ref_open_7d"].numerator == 1
    assert indicators_for_month([person_], SEP, RULES)["ref_open_7d"].numerator == 2


def test_served_counts_persons_with_a_visit_in_the_month():
    visited = person("v", D(1990, 1, 1), visits=(D(2026, 10, 5), D(2026, 10, 6)))
    absent = person("a", D(1990, 1, 1), visits=(D(2026, 9, 5),))
    assert indicators_for_month([visited, absent], OCT, RULES)["served"].numerator == 1


def test_service_days_count_only_the_days_that_opened():
    days = [
        ServiceDayFacts(D(2026, 10, 5), "confirmed"),
        ServiceDayFacts(D(2026, 10, 19), "planned"),
        ServiceDayFacts(D(2026, 9, 7), "open"),
    ]
    got = indicators_for_month([], OCT, RULES, service_days=days)
    assert got["service_days"] == (1, 0, ())
