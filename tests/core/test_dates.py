"""Calendar ages and month arithmetic (ASSESS.md, "Stages")."""

import calendar
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


def _reference_add_months(start, months):
    # The calendar module's month lengths, as the rule reads: clamp to the last day.
    year, month0 = divmod(start.year * 12 + start.month - 1 + months, 12)
    return D(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def test_add_months_and_completed_months_agree_with_the_calendar_every_day():
    # Every day of 2023-2025 (leap 2024, every month end) against ages of 0 to 27 months.
    days = [D(2023, 1, 1) + dt.timedelta(days=n) for n in range(3 * 366)]
    for birth in days[::7] + [d for d in days if d.day >= 28]:
        for months in range(-3, 28):
            assert add_months(birth, months) == _reference_add_months(birth, months)
        for on in days[::5] + [d for d in days if d.day >= 27]:
            expected = (on.year - birth.year) * 12 + on.month - birth.month
            if _reference_add_months(birth, expected) > on:
                expected -= 1
            assert completed_months(birth, on) == expected, (birth, on)


def test_age_between_gives_the_same_age_when_asked_again():
    born, on = D(2024, 2, 29), D(2026, 2, 28)
    assert Age.between(born, on) == Age.between(born, on) == Age(days=730, months=24, years=2)


def test_age_cannot_be_changed_once_made():
    # One Age is shared by the stages, growth, services and the Assessment that reports it.
    age = Age.between(D(2025, 3, 2), D(2026, 11, 23))
    with pytest.raises(AttributeError):
        age.months = 0  # type: ignore[misc]
    assert age == Age(days=631, months=20, years=1)
