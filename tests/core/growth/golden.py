"""WHO's golden outputs: reading them and comparing our columns with them as 2-decimal text."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl

REFERENCE = Path(__file__).parent / "reference"

Z_2006 = ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss")
Z_2007 = ("zhfa", "zwfa", "zbfa")

# The survey file was scored by WHO's older WHO 2007 macro, which kept ages up to the end of
# month 228 (weight-for-age: month 120). WHO's anthroplus, whose code we follow, stops at
# exactly 228.0 and 120.0 months; its own test suite blanks these same survey rows before
# comparing (tests/testthat/test-zscores.R). Limits: z column -> last age in months.
SURVEY_AGE_LIMITS = {"zhfa": 228.0, "zbfa": 228.0, "zwfa": 120.0}


def read(name: str) -> pl.DataFrame:
    """Return a reference CSV with every column as text."""
    return pl.read_csv(REFERENCE / name, infer_schema=False)


def numbers(frame: pl.DataFrame, column: str) -> npt.NDArray[np.float64]:
    """Return a text column as floats, NaN where blank."""
    return frame[column].cast(pl.Float64, strict=False).fill_null(np.nan).to_numpy()


def as_text(values: Sequence[object] | npt.NDArray[np.float64]) -> list[str]:
    """Return each value with 2 decimals, '' where blank or NaN."""
    out = []
    for value in values:
        if value is None or value == "" or (isinstance(value, float) and np.isnan(value)):
            out.append("")
        else:
            out.append(f"{float(str(value)):.2f}")
    return out


def mismatches(
    ids: Sequence[str], column: str, ours: Sequence[object], who: Sequence[object]
) -> list[str]:
    """Return one line per row where our value differs from WHO's (2 decimals, as text)."""
    return [
        f"{row_id}: {column} ours={a!r} WHO={b!r}"
        for row_id, a, b in zip(ids, as_text(ours), as_text(who), strict=True)
        if a != b
    ]


def survey_expected(frame: pl.DataFrame, z_column: str) -> tuple[list[str | None], int]:
    """Return WHO's survey column with rows past anthroplus's age limit blanked, and their count.

    The flag column follows its z column: pass "zhfa" for "fhfa" too.
    """
    ages = numbers(frame, "agemons")
    limit = SURVEY_AGE_LIMITS["z" + z_column[1:]]
    values = frame[z_column].to_list()
    blanked = 0
    for i, age in enumerate(ages):
        if age > limit and values[i] is not None:
            values[i] = None
            blanked += 1
    return values, blanked
