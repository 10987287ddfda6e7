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
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt
import polars as pl

from posyandu.core.dates import DAYS_PER_MONTH
from posyandu.core.growth import who2006_zscores, who2007_zscores
from posyandu.core.growth.classify import classify_z_codes
from posyandu.core.growth.tables import FloatArray, IntArray
from posyandu.core.growth.who2006 import MEASURE_HEIGHT, MEASURE_LENGTH

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
_SEX = {"1": 1, "m": 1, "l": 1, "2": 2, "f": 2, "p": 2}
_MEASURE = {"l": MEASURE_LENGTH, "h": MEASURE_HEIGHT}
_OEDEMA = {"y": 1, "1": 1, "n": 0, "2": 0}


# Below this, z * 100 is exact enough in a double for a Decimal(15, 2) cast to keep the digits.
_DECIMAL_LIMIT = 1e13


class CsvInputError(Exception):
    """The input as a whole cannot be scored (unreadable, or a required column is missing)."""


@dataclass
class _Parsed:
    """Parsed columns as NumPy arrays, and complaints as (row, field order, message) frames."""

    n: int
    values: dict[str, npt.NDArray[Any]] = field(default_factory=dict)
    complaints: list[pl.DataFrame] = field(default_factory=list)

    def complain(self, raw: pl.Series, rows: pl.Series, problem: str, order: int) -> None:
        """Record "<column>: '<cell>' <problem>" for each row in `rows`."""
        if rows.len():
            text = raw.gather(rows).str.strip_chars()
            self.add(rows, f"{raw.name}: '" + text + f"' {problem}", order)

    def add(self, rows: pl.Series, messages: pl.Series | str, order: int) -> None:
        """Record one message per row; `order` sorts a row's messages (input column order)."""
        if rows.len():
            complaints = pl.DataFrame({"row": rows.cast(pl.UInt32), "message": messages})
            self.complaints.append(complaints.with_columns(order=pl.lit(order, pl.Int32)))

    def errors(self) -> pl.Series:
        """Return the error column: each row's complaints joined by "; ", null if none."""
        column = pl.repeat(None, self.n, dtype=pl.String, eager=True).alias("error")
        if not self.complaints:
            return column
        joined = (
            pl.concat(self.complaints)
            .sort("row", "order")
            .group_by("row", maintain_order=True)
            .agg(pl.col("message").str.join("; "))
        )
        return column.scatter(joined["row"], joined["message"])


def _retry(raw: pl.Series, first: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Return the cells a fast parse refused (row indices) and their stripped text."""
    refused = (first.is_null() & raw.is_not_null()).arg_true()
    return refused, raw.gather(refused).str.strip_chars()


def _number(parsed: _Parsed, raw: pl.Series, order: int) -> None:
    """Parse a number column; ages may be 0, measurements must be above 0."""
    # Fast path: a plain cast. Only the cells it refuses (spaces, decimal comma, junk) are
    # stripped and retried, so clean files never pay for string cleaning.
    value = raw.cast(pl.Float64, strict=False)
    refused, text = _retry(raw, value)
    retried = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    value = value.scatter(refused, retried)
    junk = refused.filter(retried.is_null() & (text != ""))
    nonfinite = (value.is_nan() | value.is_infinite()).fill_null(False)
    parsed.complain(raw, pl.concat([junk, nonfinite.arg_true()]).sort(), "is not a number", order)
    numbers = value.fill_nan(None).fill_null(np.nan).to_numpy()
    lowest = _NUMBERS[raw.name]
    with np.errstate(invalid="ignore"):
        wrong = numbers < lowest if lowest is not None else numbers <= 0.0
    wrong &= np.isfinite(numbers)
    problem = "must not be negative" if lowest is not None else "must be greater than 0"
    parsed.complain(raw, pl.Series(np.flatnonzero(wrong), dtype=pl.UInt32), problem, order)
    parsed.values[raw.name] = np.where(np.isfinite(numbers) & ~wrong, numbers, np.nan)


def _code(
    parsed: _Parsed, raw: pl.Series, codes: dict[str, int], problem: str, order: int
) -> pl.Series:
    """Parse a coded column (any case, spaces ignored) into int8, 0 where blank or unknown.

    Returns the rows whose cell is blank (null or spaces only).
    """
    exact = codes | {key.upper(): code for key, code in codes.items()}
    code = raw.replace_strict(exact, default=None, return_dtype=pl.Int8)
    refused, text = _retry(raw, code)
    retried = text.str.to_lowercase().replace_strict(codes, default=None, return_dtype=pl.Int8)
    code = code.scatter(refused, retried)
    parsed.complain(raw, refused.filter(retried.is_null() & (text != "")), problem, order)
    parsed.values[raw.name] = code.fill_null(0).to_numpy()
    return pl.concat([raw.is_null().arg_true(), refused.filter(text == "")])


def _parse(frame: pl.DataFrame) -> _Parsed:
    """Parse every known column; a cell that does not parse is missing and complained about."""
    parsed = _Parsed(frame.height)

    def column(name: str) -> pl.Series:
        if name in frame.columns:
            return frame[name]
        return pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias(name)

    sex = column("sex")
    blank_sex = _code(parsed, sex, _SEX, "is not 1/2, m/f or l/p", 0)
    parsed.add(blank_sex, "sex: missing", 0)
    for order, name in enumerate(_NUMBERS, start=1):
        _number(parsed, column(name), order)
    _code(parsed, column("measure"), _MEASURE, "is not l or h", len(_NUMBERS) + 1)
    _code(parsed, column("oedema"), _OEDEMA, "is not y or n", len(_NUMBERS) + 2)
    return parsed


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
def _score(parsed: _Parsed) -> dict[str, FloatArray]:
    """Run each WHO engine on the rows it owns only."""
    n, v = parsed.n, parsed.values
    days, months = v["age_days"], v["age_months"]
    only_months = np.isnan(days) & ~np.isnan(months)
    is_2007 = only_months & (months >= 60.0)
    rows_2006, rows_2007 = np.flatnonzero(~is_2007), np.flatnonzero(is_2007)
    columns = v | {
        "age_2006": np.where(only_months, months * DAYS_PER_MONTH, days),
        "oedema": v["oedema"] == 1,
    }

    def take(rows: IntArray) -> dict[str, npt.NDArray[Any]]:
        return columns if len(rows) == n else {k: c[rows] for k, c in columns.items()}

    c = take(rows_2006)
    scores = who2006_zscores(
        c["sex"], c["age_2006"], c["weight"], c["lenhei"], c["measure"], c["oedema"],
        c["headc"], c["armc"], c["triskin"], c["subskin"],
    )  # fmt: skip
    out = _on_rows(rows_2006, n, scores)
    c = take(rows_2007)
    scores = who2007_zscores(c["sex"], c["age_months"], c["weight"], c["lenhei"], c["oedema"])
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


def _z_column(name: str, values: FloatArray) -> pl.Series:
    """Return a z column that the CSV writer prints with exactly 2 decimals, blank for NaN."""
    present = values[~np.isnan(values)]
    if present.size == 0 or np.abs(present).max() < _DECIMAL_LIMIT:
        # The values are already rounded; as decimals they print as "1.70", and writing them
        # is 2.5 times faster than asking the writer to format floats to 2 decimals.
        return pl.Series(name, values, nan_to_null=True).cast(pl.Decimal(15, 2))
    # Only absurd inputs give z this large: format those columns one value at a time.
    return pl.Series(name, [None if np.isnan(v) else f"{v:.2f}" for v in values], pl.String)


def score_frame(frame: pl.DataFrame, on: dt.date) -> pl.DataFrame:
    """Return the frame (all text columns) with z-scores, flags, classes and errors appended."""
    parsed = _parse(frame)
    scores = _score(parsed)
    results = [
        _z_column(name, scores[name])
        if name.startswith("z")
        else pl.Series(name, scores[name], nan_to_null=True).cast(pl.Int8)
        for name in Z_COLUMNS
    ]
    kept = frame.drop([c for c in frame.columns if c in OUTPUT_COLUMNS])
    return kept.hstack([*results, *_classes(scores, on), parsed.errors()])


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
    frame.write_csv(target)
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
