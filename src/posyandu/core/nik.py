"""Parse and check a NIK (Nomor Induk Kependudukan), the 16-digit national identity number.

Structure (UU 24/2013 on Adminduk; DOMAIN 7.6): region code of 6 digits (province 2, kabupaten 2,
kecamatan 2), the birth date as DDMMYY with 40 added to DD for women, and a 4-digit serial.
A NIK is optional in this system; when given it must be well formed and agree with the
person's birth date and sex.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from posyandu.core.errors import InputError
from posyandu.core.rulebook import RuleVersion


@dataclass(frozen=True)
class Nik:
    """The parts of a well-formed NIK."""

    value: str
    region_code: str  # 6 digits: province, kabupaten, kecamatan
    sex: str  # "M" or "F"
    birth_day: int
    birth_month: int
    birth_year_2: int  # the last two digits of the birth year
    serial: str

    @property
    def province_code(self) -> str:
        """Return the 2-digit province code."""
        return self.region_code[:2]


def parse_nik(raw: str, rules: RuleVersion, field: str = "nik") -> Nik:
    """Return the parts of `raw`, or raise InputError naming `field` and what is wrong."""
    value = raw.strip().replace(" ", "").replace(".", "")
    if len(value) != 16 or not value.isdigit():
        raise InputError(field, f"{raw!r} must be 16 digits")
    if value[:2] not in rules.data["province_codes"]:
        raise InputError(field, f"{raw!r} starts with an unknown province code {value[:2]!r}")
    offset = int(rules.data["women_day_offset"])
    day, month, year2 = int(value[6:8]), int(value[8:10]), int(value[10:12])
    sex = "F" if day > offset else "M"
    day = day - offset if sex == "F" else day
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise InputError(field, f"{raw!r} holds no valid birth date (digits 7-12)")
    if value[12:] == "0000":
        raise InputError(field, f"{raw!r} has serial 0000")
    return Nik(value, value[:6], sex, day, month, year2, value[12:])


def check_nik(raw: str, *, birth_date: dt.date, sex: str, rules: RuleVersion) -> Nik:
    """Return the parsed NIK when it agrees with `birth_date` and `sex`, else raise InputError."""
    nik = parse_nik(raw, rules)
    if nik.sex != sex:
        raise InputError("nik", f"{raw!r} encodes sex {nik.sex}, the person is {sex}")
    encoded = (nik.birth_day, nik.birth_month, nik.birth_year_2)
    if encoded != (birth_date.day, birth_date.month, birth_date.year % 100):
        raise InputError(
            "nik",
            f"{raw!r} encodes birth date {nik.birth_day:02d}-{nik.birth_month:02d}-"
            f"{nik.birth_year_2:02d}, the person was born {birth_date:%d-%m-%y}",
        )
    return nik
