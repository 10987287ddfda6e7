"""Calendar ages and month arithmetic (ASSESS.md, "Stages")."""

import datetime as dt

import pytest

from posyandu.core.dates import Age, add_months, completed_months

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 3, 2), 18, D(2026, 9, 2)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_completed_months_birthday_eve_is_one_short():
    born = D(2025, 3, 2)
    assert completed_months(born, D(2026, 3, 1)) == 11
    assert completed_months(born, D(2026, 3, 2)) == 12


def test_completed_months_end_of_month_birth():
    born = D(2025, 1, 31)
    assert completed_months(born, D(2025, 2, 27)) == 0
    assert completed_months(born, D(2025, 2, 28)) == 1
    assert completed_months(born, D(2025, 3, 30)) == 1
    assert completed_months(born, D(2025, 3, 31)) == 2


def test_age_between_counts_days_months_years():
    age = Age.between(D(2025, 3, 2), D(2026, 11, 23))
    assert age == Age(days=631, months=20, years=1)


def test_age_years_on_leap_day_birthday():
    born = D(2020, 2, 29)
    assert Age.between(born, D(2021, 2, 27)).years == 0
    assert Age.between(born, D(2021, 2, 28)).years == 1
