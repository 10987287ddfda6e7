"""The packaged WHO tables (checksums, layout) and R-compatible rounding."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from posyandu.core.growth.tables import TABLE_FILES, table
from posyandu.core.growth.zscore import flag, r_round2

DATA = Path(__file__).parents[3] / "src" / "posyandu" / "core" / "growth" / "data"


def _listed_checksums() -> dict[str, str]:
    text = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    return dict(re.findall(r"\| `(\w+\.txt)` \|[^|]*\|[^|]*\| `([0-9a-f]{64})` \|", text))


def test_source_md_lists_every_table_with_its_sha256() -> None:
    listed = _listed_checksums()
    assert sorted(listed) == sorted(p.name for p in DATA.glob("*.txt"))
    for name, digest in listed.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [("wfa", 0, 1826), ("lhfa", 0, 1826), ("acfa", 91, 1826), ("wfl", 450, 1100),
     ("wfh", 650, 1200), ("hfa2007", 60, 229), ("wfa2007", 60, 121), ("bfa2007", 60, 229)],
)  # fmt: skip
def test_table_keys_cover_the_expected_range(name: str, first: int, last: int) -> None:
    tab = table(name)
    assert (tab.first, tab.last) == (first, last)
    assert np.isnan(tab.lms.mu[tab.missing])
    assert tab.lms.mu.shape == (2 * tab.size + 1,)


def test_every_table_loads_once() -> None:
    for name in TABLE_FILES:
        assert table(name) is table(name)


def test_unknown_table_is_refused() -> None:
    with pytest.raises(ValueError, match="no growth table"):
        table("nope")


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(0.125, 0.12), (0.135, 0.14), (2.675, 2.67), (-0.125, -0.12), (1.005, 1.0),
     (0.115, 0.12), (-2.345, -2.35), (17.0549999, 17.05), (-0.004, 0.0), (3.0, 3.0)],
)  # fmt: skip
def test_r_round2_matches_r_round(value: float, rounded: float) -> None:
    # R >= 4.0: the nearer of the two 2-decimal neighbours in double arithmetic, even on ties.
    assert r_round2(np.array([value]))[0] == rounded


def test_r_round2_never_gives_negative_zero_and_keeps_nan() -> None:
    out = r_round2(np.array([-0.001, np.nan, np.inf, 2.0**50 + 0.5]))
    assert str(out[0]) == "0.0"
    assert np.isnan(out[1])
    assert out[2] == np.inf
    assert out[3] == 2.0**50 + 0.5  # R leaves numbers this large as they are


def test_flag_is_nan_without_z_and_inclusive_at_the_limits() -> None:
    out = flag(np.array([-6.01, -6.0, 5.0, 5.01, np.nan]), -6.0, 5.0)
    assert out[:4].tolist() == [1.0, 0.0, 0.0, 1.0]
    assert np.isnan(out[4])
