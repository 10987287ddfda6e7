"""Demo identity numbers: every NIK is valid for its holder, and none repeats."""

from __future__ import annotations

import datetime as dt

from posyandu.core.nik import check_nik
from posyandu.core.rulebook import rule_in_force
from posyandu.demo.identity import Registry, region_digits, seeded

RULES = rule_in_force("nik", dt.date(2026, 11, 23))


def test_identity_nik_encodes_birth_date_and_sex():
    registry = Registry()
    woman = registry.nik("321901", dt.date(1990, 3, 7), "F")
    man = registry.nik("321901", dt.date(1990, 3, 7), "M")
    assert woman == "3219014703900001"  # 7 + 40 for a woman
    assert man == "3219010703900001"
    assert check_nik(woman, birth_date=dt.date(1990, 3, 7), sex="F", rules=RULES).sex == "F"


def test_identity_numbers_never_repeat():
    registry = Registry()
    niks = {registry.nik("321902", dt.date(2001, 12, 31), "M") for _ in range(50)}
    kks = {registry.no_kk("321902", dt.date(2020, 1, 1)) for _ in range(50)}
    assert len(niks) == 50
    assert len(kks) == 50
    assert all(len(n) == 16 and n.isdigit() for n in niks | kks)


def test_identity_region_digits_and_seeded_generators():
    assert region_digits("32.19.05") == "321905"
    assert seeded(1, "x").random() == seeded(1, "x").random()
    assert seeded(1, "x").random() != seeded(2, "x").random()
