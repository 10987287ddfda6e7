"""Pregnant women (KEK, anaemia, TTD) and PTM screening of adults and the elderly."""

from posyandu.core.assess import MeasurementRecord
from posyandu.core.indicators import indicators_for_month
from tests.core.indicators.build import (
    OCT,
    RULES,
    D,
    PregnancyFacts,
    ReferralFacts,
    ServiceFact,
    person,
)

MOTHER = D(1996, 1, 1)


def _mother(pid, pregnancy, *, measurements=(), services=()):
    return person(
        pid, MOTHER, pregnancies=(pregnancy,), measurements=measurements, services=services
    )


def test_pregnant_woman_with_low_muac_and_anaemia_and_ninety_tablets():
    pregnancy = PregnancyFacts(registered_on=D(2026, 10, 3), last_menstrual_period=D(2026, 7, 1))
    woman = _mother(
        "bumil",
        pregnancy,
        measurements=(MeasurementRecord(date=D(2026, 10, 3), muac_cm=22.0, hb_g_dl=10.2),),
        services=(
            ServiceFact("ttd_pregnancy", D(2026, 10, 3), 60),
            ServiceFact("ttd_pregnancy", D(2026, 10, 20), 30),
        ),
    )
    got = indicators_for_month([woman], OCT, RULES)
    ones = ("bumil", "bumil_new", "bumil_kek", "bumil_anaemia", "bumil_ttd", "bumil_ttd90")
    assert all(got[code].numerator == 1 for code in ones)
    assert got["prev_kek"][:2] == (1, 1)


def test_muac_before_the_pregnancy_does_not_count():
    pregnancy = PregnancyFacts(registered_on=D(2026, 9, 1), last_menstrual_period=D(2026, 8, 1))
    woman = _mother(
        "w", pregnancy, measurements=(MeasurementRecord(date=D(2026, 5, 1), muac_cm=22.0),)
    )
    got = indicators_for_month([woman], OCT, RULES)
    assert (got["bumil"].numerator, got["bumil_muac"].numerator) == (1, 0)
    assert got["bumil_new"].numerator == 0


def test_pregnancy_ends_at_delivery_at_outcome_and_after_42_weeks():
    women = [
        _mother("delivered", PregnancyFacts(D(2026, 3, 1), delivery_date=D(2026, 10, 20))),
        _mother("later", PregnancyFacts(D(2026, 3, 1), delivery_date=D(2026, 11, 2))),
        _mother("miscarried", PregnancyFacts(D(2026, 9, 1), outcome="miscarriage")),
        _mother("stale", PregnancyFacts(D(2025, 12, 1))),  # no delivery recorded, 47 weeks
    ]
    got = indicators_for_month(women, OCT, RULES)
    assert got["bumil"].numerator == 1  # only "later" is pregnant on 31 October


def test_ttd_without_quantity_is_received_but_adds_no_tablets():
    woman = _mother(
        "w",
        PregnancyFacts(D(2026, 10, 1)),
        services=(ServiceFact("ttd_pregnancy", D(2026, 10, 2), None),),
    )
    got = indicators_for_month([woman], OCT, RULES)
    assert (got["cov_ttd"][:2], got["cov_ttd90"][:2]) == ((1, 1), (0, 1))


def test_adult_screened_this_year_with_high_bp_and_referred():
    adult = person(
        "a",
        D(1986, 1, 1),
        sex="M",
        measurements=(MeasurementRecord(date=D(2026, 3, 10), sbp_mmhg=150, dbp_mmhg=95),),
        referrals=(ReferralFacts(D(2026, 4, 1)),),
    )
    untouched = person("b", D(1990, 1, 1), sex="M")
    got = indicators_for_month([adult, untouched], OCT, RULES)
    assert got["cov_ptm_15_59"][:2] == (1, 2)
    assert got["prev_bp_high"][:2] == (1, 1)
    assert got["ptm_referred"][:2] == (1, 1)
    # A new year starts the count again.
    next_year = indicators_for_month([adult], D(2027, 1, 1), RULES)
    assert next_year["cov_ptm_15_59"][:2] == (0, 1)


def test_elderly_glucose_high_counts_for_the_elderly_only():
    elder = person(
        "e",
        D(1960, 1, 1),
        measurements=(MeasurementRecord(date=D(2026, 10, 1), glucose_mg_dl=250),),
    )
    got = indicators_for_month([elder], OCT, RULES)
    assert got["cov_ptm_60"][:2] == (1, 1)
    assert got["adult_15_59"].numerator == 0
    assert got["prev_glucose_high"][:2] == (1, 1)
    assert got["ptm_referred"][:2] == (0, 1)
