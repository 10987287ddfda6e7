"""Identifiers of the demo data: UUIDs from the seeded generator, valid NIKs and No. KK.

A NIK is region code (6 digits: province, kabupaten, kecamatan) + birth date DDMMYY with 40
added to the day for women + a 4-digit serial (DOMAIN 7.6); a No. KK is region code + issue
date DDMMYY + serial. Serials count up per prefix, so every number is unique.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter

WOMEN_DAY_OFFSET = 40  # posyandu.core nik rules, version 2022.1


def new_uuid(rng: random.Random) -> uuid.UUID:
    """Return a version-4 UUID drawn from `rng` (so the data set is the same for a seed)."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def region_digits(code: str) -> str:
    """Return the 6 NIK digits of a kecamatan code ('32.19.01' → '321901')."""
    digits = code.replace(".", "")[:6]
    if len(digits) != 6 or not digits.isdigit():
        raise ValueError(f"{code!r} is not a kecamatan code")
    return digits


class Registry:
    """Hand out unique NIKs and family-card numbers for the whole data set."""

    def __init__(self) -> None:
        self._serials: Counter[str] = Counter()

    def _next(self, prefix: str) -> str:
        self._serials[prefix] += 1
        serial = self._serials[prefix]
        if serial > 9999:
            raise ValueError(f"more than 9999 numbers for prefix {prefix}")
        return f"{prefix}{serial:04d}"

    def nik(self, region6: str, birth_date: dt.date, sex: str) -> str:
        """Return a new NIK for a person born in a kecamatan (region6) on birth_date."""
        day = birth_date.day + (WOMEN_DAY_OFFSET if sex == "F" else 0)
        return self._next(f"{region6}{day:02d}{birth_date:%m%y}")

    def no_kk(self, region6: str, issued_on: dt.date) -> str:
        """Return a new family-card number issued in a kecamatan on a date."""
        return self._next(f"{region6}{issued_on:%d%m%y}")


def seeded(*parts: object) -> random.Random:
    """Return a generator seeded from `parts`: the same parts give the same data set."""
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - reproducible data, no secret
