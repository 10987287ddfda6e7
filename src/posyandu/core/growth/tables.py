"""The WHO LMS tables, read once from the package data into flat NumPy arrays.

Every table is keyed by an integer: the age in days (2006 standards), the age in completed
months (2007 reference) or the length/height in tenths of a centimetre (weight-for-length and
weight-for-height). The rows of both sexes are laid end to end in one array per parameter and
one extra NaN row is appended, so a lookup is a single `np.take`: rows that have no table row
(unknown sex, key outside the table, missing input) point at the NaN row and give NaN z-scores
without any branch.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Lms(NamedTuple):
    """The Box-Cox power (L), median (M) and coefficient of variation (S), as columns."""

    lam: FloatArray
    mu: FloatArray
    sigma: FloatArray

    def take(self, rows: IntArray) -> Lms:
        """Return the parameters of the given rows."""
        return Lms(self.lam.take(rows), self.mu.take(rows), self.sigma.take(rows))


_DATA_PACKAGE = "posyandu.core.growth.data"

#: file name of each table, by the short name the engines use
TABLE_FILES: dict[str, str] = {
    "wfa": "weianthro.txt",
    "lhfa": "lenanthro.txt",
    "bfa": "bmianthro.txt",
    "hcfa": "hcanthro.txt",
    "acfa": "acanthro.txt",
    "tsfa": "tsanthro.txt",
    "ssfa": "ssanthro.txt",
    "wfl": "wflanthro.txt",
    "wfh": "wfhanthro.txt",
    "wfa2007": "wfawho2007.txt",
    "hfa2007": "hfawho2007.txt",
    "bfa2007": "bfawho2007.txt",
}

#: tables keyed by length/height in cm (stored with 0.1 cm steps) rather than by age
_BY_LENGTH = frozenset({"wfl", "wfh"})


@dataclass(frozen=True)
class LmsTable:
    """One LMS table: both sexes end to end, plus a trailing NaN row at index `missing`."""

    name: str
    first: int  # smallest key (day, month or tenth of a cm)
    size: int  # rows per sex
    lms: Lms
    l_is_one: bool  # L == 1 on every row: z is then (y/M - 1)/S, no power needed

    @property
    def missing(self) -> int:
        """Return the index of the NaN row."""
        return 2 * self.size

    @property
    def last(self) -> int:
        """Return the largest key."""
        return self.first + self.size - 1

    def index(self, female: IntArray, key: IntArray, usable: npt.NDArray[np.bool_]) -> IntArray:
        """Return the row of each `key`, or the NaN row where not usable or not in the table.

        `female` is 1 for girls and 0 for boys; `usable` must be False where sex is unknown.
        """
        row = key - self.first
        ok = usable & (row >= 0) & (row < self.size)
        row += female * self.size
        row[~ok] = self.missing
        return row


def _parse(name: str, text: str) -> LmsTable:
    raw = np.loadtxt(io.StringIO(text), delimiter="\t", skiprows=1, usecols=(0, 1, 2, 3, 4))
    sex, key_raw, l_col, m_col, s_col = raw.T
    # Length tables step by 0.1 cm: keep tenths as exact integers, never compare floats.
    key = np.rint(key_raw * 10 if name in _BY_LENGTH else key_raw).astype(np.int64)
    size = int(np.count_nonzero(sex == 1))
    first = int(key[0])
    expected_sex = np.repeat(np.array([1.0, 2.0]), size)
    expected_key = np.tile(np.arange(first, first + size, dtype=np.int64), 2)
    if len(key) != 2 * size or not (
        np.array_equal(sex, expected_sex) and np.array_equal(key, expected_key)
    ):
        raise ValueError(f"growth table {name}: rows are not consecutive keys per sex")

    def with_nan(col: FloatArray) -> FloatArray:
        return np.append(col, np.nan).astype(np.float64)

    return LmsTable(
        name=name,
        first=first,
        size=size,
        lms=Lms(with_nan(l_col), with_nan(m_col), with_nan(s_col)),
        l_is_one=bool(np.all(l_col == 1.0)),
    )


@cache
def table(name: str) -> LmsTable:
    """Return the named LMS table (see TABLE_FILES), loaded from package data on first use."""
    try:
        file_name = TABLE_FILES[name]
    except KeyError:
        raise ValueError(f"no growth table {name!r}") from None
    text = resources.files(_DATA_PACKAGE).joinpath(file_name).read_text(encoding="ascii")
    return _parse(name, text)


@cache
def stacked(first: str, second: str) -> tuple[Lms, int]:
    """Return two tables' L, M, S columns laid end to end, and the row offset of the second.

    Each table keeps its trailing NaN row, so `missing` of either table still points at NaN.
    """
    a, b = table(first).lms, table(second).lms
    joined = Lms(*(np.concatenate(pair) for pair in zip(a, b, strict=True)))
    return joined, len(a.lam)
