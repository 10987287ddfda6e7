"""`posyandu zscore`: WHO growth z-scores and Permenkes 2/2020 classes for a CSV of children.

Input: a CSV with a header row. `sex` and one of `age_days`/`age_months` are required; the
other columns are optional: `id, weight` (kg), `lenhei` (cm), `measure` (l lying / h
standing), `oedema` (y/n), `headc, armc` (cm), `triskin, subskin` (mm). sex is 1/2, m/f or
l/p (laki-laki/perempuan), any case. Numbers may use a decimal comma (12,5).

Reference: a row with an `age_days` value is scored against the WHO 2006 standards; a row with
only `age_months` against WHO 2006 below 60 months (days = months × 30.4375) and against the
WHO 2007 reference from 60 months. A row without any age gets WHO 2006 weight-for-length/height
only, as WHO's software does.

Output: every input column unchanged (an input column named like an output column is
replaced), then the z-scores and flags, the class columns and `error`. z has 2 decimals; cells
WHO leaves empty stay empty. Classes use the Permenkes 0-59 month bands for WHO 2006 z-scores
(which exist only below 60 months) and the 5-18 year bands for WHO 2007 z-scores, under the
rules in force on the day of the run. A blank, missing or malformed cell never stops the run:
the cell counts as missing and `error` names the field and value.

Exit status: 0 when the output was written (even with row errors), 2 when the input cannot be
read or lacks a required column.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
import polars as pl

from posyandu.core.growth import who2006_zscores, who2007_zscores
from posyandu.core.growth.classify import classify_z_codes
from posyandu.core.growth.tables import FloatArray, IntArray
from posyandu.core.growth.who2006 import DAYS_PER_MONTH, MEASURE_HEIGHT, MEASURE_LENGTH

Z_COLUMNS = (
    "zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi", "zhc", "fhc",
    "zac", "fac", "zts", "fts", "zss", "fss", "zhfa", "fhfa", "zwfa", "fwfa", "zbfa", "fbfa",
)  # fmt: skip
CLASS_COLUMNS = ("wfa_class", "hfa_class", "wfh_class", "bfa_class", "hcfa_class")
OUTPUT_COLUMNS = (*Z_COLUMNS, *CLASS_COLUMNS, "error")

# class column -> (indicator, [(z column, Permenkes age group)]); 2006 and 2007 z never share
# a row, so the first z present decides. Weight-for-age has no class from 60 months.
_CLASS_SOURCES = {
    "wfa_class": ("wfa", [("zwei", "0-59m")]),
    "hfa_class": ("hfa", [("zlen", "0-59m"), ("zhfa", "5-18y")]),
    "wfh_class": ("wfh", [("zwfl", "0-59m")]),
    "bfa_class": ("bfa", [("zbmi", "0-59m"), ("zbfa", "5-18y")]),
    "hcfa_class": ("hcfa", [("zhc", "0-59m")]),
}
# number column -> lowest allowed value (inclusive), or None: must be greater than 0
_NUMBERS = {
    "age_days": 0.0, "age_months": 0.0, "weight": None, "lenhei": None,
    "headc": None, "armc": None, "triskin": None, "subskin": None,
}  # fmt: skip
_MEASUREMENTS = ("weight", "lenhei", "headc", "armc", "triskin", "subskin")
_SEX = {"1": 1, "m": 1, "l": 1, "2": 2, "f": 2, "p": 2}
_MEASURE = {"l": MEASURE_LENGTH, "h": MEASURE_HEIGHT}
_OEDEMA = {"y": True, "1": True, "n": False, "2": False}


class CsvInputError(Exception):
    """The input as a whole cannot be scored (unreadable, or a required column is missing)."""


_NUM = "\x00number"  # suffix of the parsed-number scratch columns: no CSV header has it


def _quoted(name: str, problem: str) -> pl.Expr:
    return pl.concat_str([pl.lit(f"{name}: '"), pl.col(name), pl.lit(f"' {problem}")])


def _number(name: str) -> tuple[pl.Expr, pl.Expr]:
    """Return (value, error) expressions; ages may be 0, measurements must be above 0."""
    parsed = pl.col(name + _NUM)
    is_number = parsed.is_not_null() & parsed.is_finite()
    lowest = _NUMBERS[name]
    in_range = parsed >= lowest if lowest is not None else parsed > 0.0
    problem = "must not be negative" if lowest is not None else "must be greater than 0"
    value = pl.when(is_number & in_range).then(parsed).alias(name)
    error = (
        pl.when(pl.col(name).is_not_null() & ~is_number)
        .then(_quoted(name, "is not a number"))
        .when(is_number & ~in_range)
        .then(_quoted(name, problem))
    )
    return value, error


def _code(
    name: str, codes: dict[str, int] | dict[str, bool], problem: str
) -> tuple[pl.Expr, pl.Expr]:
    """Return (code, error) for a coded column (any case); blank gives null and no error."""
    code = pl.col(name).str.to_lowercase().replace_strict(codes, default=None)
    error = pl.when(pl.col(name).is_not_null() & code.is_null()).then(_quoted(name, problem))
    return code.alias(name), error


def _parse(frame: pl.DataFrame) -> pl.DataFrame:
    """Parse every known column at once; add `error` joining each field's complaint."""
    stripped = []
    for name in ("sex", *_NUMBERS, "measure", "oedema"):
        if name in frame.columns:
            text = pl.col(name).str.strip_chars()
            stripped.append(pl.when(text != "").then(text).alias(name))
        else:
            stripped.append(pl.lit(None, pl.String).alias(name))
    # Staged so that each column is stripped and parsed once, not once per use.
    numbers = [
        pl.col(name)
        .str.replace(",", ".", literal=True)
        .cast(pl.Float64, strict=False)
        .alias(name + _NUM)
        for name in _NUMBERS
    ]
    sex, sex_error = _code("sex", _SEX, "is not 1/2, m/f or l/p")
    values, errors = (
        [sex],
        [pl.when(pl.col("sex").is_null()).then(pl.lit("sex: missing")).otherwise(sex_error)],
    )
    for name in _NUMBERS:
        value, error = _number(name)
        values.append(value)
        errors.append(error)
    for name, codes, problem in (
        ("measure", _MEASURE, "is not l or h"),
        ("oedema", _OEDEMA, "is not y or n"),
    ):
        value, error = _code(name, codes, problem)
        values.append(value)
        errors.append(error)
    error_text = pl.concat_str(errors, separator="; ", ignore_nulls=True)
    # Eager stages on purpose: fused into one lazy plan, the stripping and parsing were
    # re-evaluated for every expression that reads them (ten times slower).
    clean = frame.select(stripped).with_columns(numbers)
    return clean.select(*values, pl.when(error_text != "").then(error_text).alias("error"))


def _floats(parsed: pl.DataFrame, name: str) -> FloatArray:
    return parsed[name].cast(pl.Float64).to_numpy()


def _on_rows(rows: IntArray, n: int, scores: dict[str, FloatArray]) -> dict[str, FloatArray]:
    """Spread scores computed for `rows` into columns of n rows (NaN elsewhere)."""
    if len(rows) == n:
        return scores
    out = {}
    for name, values in scores.items():
        full = np.full(n, np.nan)
        full[rows] = values
        out[name] = full
    return out


@np.errstate(all="ignore")  # absurd ages overflow to inf; those rows are not 2006 rows anyway
def _score(parsed: pl.DataFrame) -> dict[str, FloatArray]:
    """Run each WHO engine on the rows it owns only."""
    n = parsed.height
    days, months = _floats(parsed, "age_days"), _floats(parsed, "age_months")
    only_months = np.isnan(days) & ~np.isnan(months)
    is_2007 = only_months & (months >= 60.0)
    rows_2006, rows_2007 = np.flatnonzero(~is_2007), np.flatnonzero(is_2007)
    columns = {
        "sex": parsed["sex"].fill_null(0).cast(pl.Int8).to_numpy(),
        "age_2006": np.where(only_months, months * DAYS_PER_MONTH, days),
        "months": months,
        "measure": parsed["measure"].fill_null(0).cast(pl.Int8).to_numpy(),
        "oedema": parsed["oedema"].fill_null(False).cast(pl.Boolean).to_numpy(),
        **{name: _floats(parsed, name) for name in _MEASUREMENTS},
    }

    def take(rows: IntArray) -> dict[str, npt.NDArray[Any]]:
        return columns if len(rows) == n else {k: v[rows] for k, v in columns.items()}

    c = take(rows_2006)
    scores = who2006_zscores(
        c["sex"], c["age_2006"], c["weight"], c["lenhei"], c["measure"], c["oedema"],
        c["headc"], c["armc"], c["triskin"], c["subskin"],
    )  # fmt: skip
    out = _on_rows(rows_2006, n, scores)
    c = take(rows_2007)
    scores = who2007_zscores(c["sex"], c["months"], c["weight"], c["lenhei"], c["oedema"])
    return out | _on_rows(rows_2007, n, scores)


def _classes(scores: dict[str, FloatArray], on: dt.date) -> list[pl.Series]:
    out = []
    for column, (indicator, sources) in _CLASS_SOURCES.items():
        parts = []
        for z_name, age_group in sources:
            codes, labels = classify_z_codes(indicator, scores[z_name], age_group, on)
            lookup = pl.Series([*labels, None], dtype=pl.String)
            parts.append(lookup.gather(np.where(codes < 0, len(labels), codes)))
        out.append(pl.select(pl.coalesce(parts)).to_series().alias(column))
    return out


def score_frame(frame: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Return the frame (all text columns) with z-scores, flags, classes and errors appended."""
    parsed = _parse(frame)
    scores = _score(parsed)
    results = [
        pl.Series(name, scores[name], nan_to_null=True).cast(
            pl.Float64 if name.startswith("z") else pl.Int8
        )
        for name in Z_COLUMNS
    ]
    kept = frame.drop([c for c in frame.columns if c in OUTPUT_COLUMNS])
    return kept.hstack([*results, *_classes(scores, on), parsed["error"]])


def _read(input_path: str) -> pl.DataFrame:
    """Read every column as text; raise CsvInputError when the file cannot be scored."""
    shown = "standard input" if input_path == "-" else input_path
    try:
        source: str | io.BytesIO = (
            io.BytesIO(sys.stdin.buffer.read()) if input_path == "-" else input_path
        )
        frame = pl.read_csv(
            source, infer_schema=False, truncate_ragged_lines=True, encoding="utf8-lossy"
        )
    except pl.exceptions.NoDataError:
        raise CsvInputError(f"{shown} is empty") from None
    except (OSError, pl.exceptions.PolarsError) as exc:
        # Polars appends tuning hints that do not apply to all-text reading: drop them.
        reason = " ".join(str(exc).split("You might want to try")[0].split())
        raise CsvInputError(f"cannot read {shown}: {reason or type(exc).__name__}") from exc
    frame = frame.rename({c: c.lstrip("\ufeff") for c in frame.columns[:1]})
    missing = [c for c in ("sex",) if c not in frame.columns]
    if not {"age_days", "age_months"} & set(frame.columns):
        missing.append("age_days or age_months")
    if missing:
        raise CsvInputError(f"{shown}: missing column {' and '.join(missing)}")
    return frame


def _write(frame: pl.DataFrame, output_path: str) -> None:
    target: str | BinaryIO = sys.stdout.buffer if output_path == "-" else output_path
    frame.write_csv(target, float_precision=2, float_scientific=False)
    if output_path == "-":
        sys.stdout.buffer.flush()


def zscore_csv(input_path: str, output_path: str, *, on: dt.date | None = None) -> int:
    """Score a CSV of children ('-' for stdin/stdout); return the exit status (0, or 2)."""
    try:
        frame = _read(input_path)
    except CsvInputError as exc:
        print(f"posyandu zscore: {exc}", file=sys.stderr)
        return 2
    # Classes follow the rules in force today (the file carries no measurement date).
    today = on or dt.datetime.now(dt.UTC).astimezone().date()
    _write(score_frame(frame, today), output_path)
    return 0
