"""NIK: 6-digit region code, DDMMYY birth date (+40 on the day for women), 4-digit serial.

Source: UU 24/2013 (Adminduk) as summarised in DOMAIN 7.6; province codes from Kemendagri.
"""

import datetime as dt

import pytest

from posyandu.core.errors import InputError
from posyandu.core.nik import check_nik, parse_nik
from posyandu.core.rulebook import rule_in_force

RULES = rule_in_force("nik", dt.date(2026, 11, 23))


def test_parse_nik_man():
    nik = parse_nik("5171010203900001", RULES)
    assert (nik.region_code, nik.province_code, nik.sex) == ("517101", "51", "M")
    assert (nik.birth_day, nik.birth_month, nik.birth_year_2, nik.serial) == (2, 3, 90, "0001")


def test_parse_nik_woman_day_has_forty_added():
    nik = parse_nik("3273014512250002", RULES)
    assert (nik.sex, nik.birth_day, nik.birth_month, nik.birth_year_2) == ("F", 5, 12, 25)


def test_parse_nik_tolerates_spaces_and_dots():
    assert parse_nik("5171 0102 0390 0001", RULES).value == "5171010203900001"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("517101020390001", "must be 16 digits"),
        ("51710102039000012", "must be 16 digits"),
        ("51710102039O0001", "must be 16 digits"),
        ("9971010203900001", "unknown province code '99'"),
        ("5171013203900001", "no valid birth date"),
        ("5171017203900001", "no valid birth date"),
        ("5171010213900001", "no valid birth date"),
        ("5171010203900000", "serial 0000"),
    ],
)
def test_parse_nik_rejects_malformed_with_field_name(raw, message):
    with pytest.raises(InputError, match=message) as excinfo:
        parse_nik(raw, RULES)
    assert excinfo.value.field == "nik"


def test_check_nik_agrees_with_birth_date_and_sex():
    nik = check_nik("3273014512250002", birth_date=dt.date(2025, 12, 5), sex="F", rules=RULES)
    assert nik.serial == "0002"


def test_check_nik_rejects_wrong_sex():
    with pytest.raises(InputError, match="encodes sex F, the person is M"):
        check_nik("3273014512250002", birth_date=dt.date(2025, 12, 5), sex="M", rules=RULES)


def test_check_nik_rejects_other_birth_date():
    with pytest.raises(InputError, match="born 06-12-25"):
        check_nik("3273014512250002", birth_date=dt.date(2025, 12, 6), sex="F", rules=RULES)
