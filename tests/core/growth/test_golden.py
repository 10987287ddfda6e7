"""Every row of WHO's three reference files agrees with our engines, to the second decimal."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
import pytest

from posyandu.core.growth import (
    ChildMeasurement,
    child_zscores_2006,
    measure_codes,
    who2006_zscores,
    who2007_zscores,
)
from posyandu.core.growth.who2006 import OUTPUT_KEYS_2006
from posyandu.core.growth.who2007 import OUTPUT_KEYS_2007
from tests.core.growth import golden

Columns = dict[str, npt.NDArray[np.float64]]


@cache
def _ours_2006() -> Columns:
    d = golden.read("golden_2006.csv")
    return who2006_zscores(
        sex=golden.numbers(d, "sex").astype(int),
        age_days=golden.numbers(d, "age_days"),
        weight_kg=golden.numbers(d, "weight"),
        lenhei_cm=golden.numbers(d, "lenhei"),
        measure=measure_codes(d["measure"].to_list()),
        oedema=np.array([v == "y" for v in d["oedema"].to_list()]),
        headc_cm=golden.numbers(d, "headc"),
        armc_cm=golden.numbers(d, "armc"),
        triskin_mm=golden.numbers(d, "triskin"),
        subskin_mm=golden.numbers(d, "subskin"),
    )


@cache
def _ours_2007(name: str, age: str, height: str) -> Columns:
    d = golden.read(name)
    return who2007_zscores(
        sex=golden.numbers(d, "sex").astype(int),
        age_months=golden.numbers(d, age),
        weight_kg=golden.numbers(d, "weight"),
        height_cm=golden.numbers(d, height),
        oedema=np.array([v == "y" for v in d["oedema"].to_list()]),
    )


def test_golden_files_have_the_rows_we_compare() -> None:
    assert golden.read("golden_2006.csv").height == 1500
    assert golden.read("golden_2007.csv").height == 800
    assert golden.read("survey_who2007_z.csv").height == 933


@pytest.mark.parametrize("column", OUTPUT_KEYS_2006)
def test_who2006_golden_every_row_matches(column: str) -> None:
    d = golden.read("golden_2006.csv")
    problems = golden.mismatches(d["id"].to_list(), column, _ours_2006()[column], d[column])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("column", OUTPUT_KEYS_2007)
def test_who2007_golden_every_row_matches(column: str) -> None:
    d = golden.read("golden_2007.csv")
    ours = _ours_2007("golden_2007.csv", "age_months", "lenhei")[column]
    problems = golden.mismatches(d["id"].to_list(), column, ours, d[column])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("column", OUTPUT_KEYS_2007)
def test_who2007_survey_every_row_matches_with_inclusive_age_limits(column: str) -> None:
    d = golden.read("survey_who2007_z.csv")
    ours = _ours_2007("survey_who2007_z.csv", "agemons", "height")[column]
    expected, blanked = golden.survey_expected(d, column)
    problems = golden.mismatches(d["id"].to_list(), column, ours, expected)
    assert not problems, "\n".join(problems)
    # Exactly the 4 survey rows past 228.0 months (hfa, bfa) or 120.0 months (wfa) differ
    # from the old macro, and only by being blank.
    assert blanked == 4


def test_who2007_survey_rows_past_the_limit_are_the_known_ones() -> None:
    d = golden.read("survey_who2007_z.csv")
    ages = golden.numbers(d, "agemons")
    ids = d["id"].to_numpy()
    has_hfa = d["zhfa"].is_not_null().to_numpy()
    has_wfa = d["zwfa"].is_not_null().to_numpy()
    assert sorted(ids[(ages > 228) & has_hfa].tolist()) == ["265", "320", "634", "852"]
    assert sorted(ids[(ages > 120) & has_wfa].tolist()) == ["251", "285", "297", "614"]


def _child(row: dict[str, str | None]) -> ChildMeasurement:
    def number(key: str) -> float | None:
        value = row[key]
        return None if value is None else float(value)

    measure = row["measure"]
    return ChildMeasurement(
        sex=1 if row["sex"] == "1" else 2,
        age_days=int(str(row["age_days"])),
        weight_kg=number("weight"),
        lenhei_cm=number("lenhei"),
        measure="l" if measure == "l" else "h" if measure == "h" else None,
        oedema=row["oedema"] == "y",
        headc_cm=number("headc"),
        armc_cm=number("armc"),
        triskin_mm=number("triskin"),
        subskin_mm=number("subskin"),
    )


_SCALAR_FIELDS = {
    "zlen": "hfa", "zwei": "wfa", "zwfl": "wfh", "zbmi": "bfa",
    "zhc": "hcfa", "zac": "acfa", "zts": "tsfa", "zss": "ssfa",
}  # fmt: skip


def test_child_zscores_2006_golden_every_row_matches() -> None:
    d = golden.read("golden_2006.csv")
    problems = []
    for row in d.iter_rows(named=True):
        result = child_zscores_2006(_child(row))
        for column, field in _SCALAR_FIELDS.items():
            z = getattr(result, field)
            flag = getattr(result, field + "_flag")
            problems += golden.mismatches([row["id"]], column, [z], [row[column]])
            problems += golden.mismatches(
                [row["id"]], "f" + column[1:], [None if flag is None else float(flag)],
                [row["f" + column[1:]]],
            )  # fmt: skip
    assert not problems, "\n".join(problems)
