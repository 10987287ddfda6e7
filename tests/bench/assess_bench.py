"""Throughput of `assess` on a synthetic village: how many assessments per second on one core.

    .venv/bin/python -m tests.bench.assess_bench              # 100,000 persons
    .venv/bin/python -m tests.bench.assess_bench --profile    # + cProfile of 10,000 persons
    .venv/bin/python -m tests.bench.assess_bench -n 20000     # a quicker look
    .venv/bin/python -m tests.bench.assess_bench --no-cli --dump /tmp/a.jsonl  # + every result

`--dump FILE` writes the JSON of every assessment, one per line (not timed): compare two
dumps byte for byte (`cmp`) to check that a speed change left every result as it was.

Measures, single process pinned to one CPU with BLAS/OpenMP threads at 1:
  build   building the synthetic persons (tests/bench/synthetic.py), timed on its own;
  (a)     parse_input for each record + assess_many over chunks of CHUNK records (the garbage
          collector paused for each chunk's parsing, as the JSONL path does);
  (b)     parse_input only, assess_many only (on the parsed inputs, in chunks), `assess` one
          record at a time (the web's path: one WHO call per person) and assessment_to_dict;
  (c)     the JSONL command-line path end to end: `posyandu.assess_json.assess_files` on a
          temporary JSONL file with one person per line (reading, json, assess, writing).
The target is >= 20,000 assessments per second on one core. Each timed pass is preceded by a
warm-up on a few records so that rule tables and WHO tables are loaded before the clock runs.
Each row gives wall-clock and CPU-time rates: on a shared machine the CPU one is the fairer.
Before each pass what the bench already holds (every person, parsed input and result) is
frozen out of the garbage collector (`gc.freeze`; `--no-freeze` to leave it in): a streaming
batch never holds 100,000 of each, and the collector re-scanning them is not assessment work.
"""

from __future__ import annotations

import os

# One core: keep numpy's BLAS/OpenMP pools at one thread (set before anything imports numpy).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import collections  # noqa: E402
import cProfile  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, NamedTuple  # noqa: E402

from tests.bench.synthetic import persons  # noqa: E402

AS_OF = dt.date(2026, 11, 23)
TARGET_PER_S = 20_000
WARM_UP = 200
CHUNK = 5_000  # records per assess_many call, as the JSONL path uses


class _Row:
    """One line of the results table."""

    def __init__(self, label: str, n: int, clock: _Clock, target: bool, note: str = "") -> None:
        self.label = label
        self.n = n
        self.seconds = clock.wall
        self.cpu_seconds = clock.cpu
        self.target = target
        self.note = note

    @property
    def per_s(self) -> float:
        return self.n / self.seconds if self.seconds > 0 else float("inf")

    @property
    def per_cpu_s(self) -> float:
        return self.n / self.cpu_seconds if self.cpu_seconds > 0 else float("inf")


def _pin_one_core() -> str:
    """Pin this process to one CPU (Linux); return a note of what was done."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
    except (AttributeError, OSError) as exc:  # not Linux, or not allowed
        return f"not pinned ({exc.__class__.__name__})"
    return f"pinned to CPU {cpus[-1]} of {len(cpus)}"


class _Clock(NamedTuple):
    """Wall time, and this process's CPU time: on a busy machine the second is the fairer."""

    wall: float
    cpu: float


# Freeze what the bench already holds out of the garbage collector before each timed pass
# (--no-freeze: do not). The bench holds every person, parsed input and result at once, which
# a streaming batch does not; without this, a pass is charged for the collector scanning
# those again and again, up to a third of "assess only" on a 100,000-person run.
_FREEZE = [True]


def _timed(fn: Callable[..., Any], *args: Any) -> tuple[Any, _Clock]:
    if _FREEZE[0]:
        gc.collect()
        gc.freeze()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, _Clock(time.perf_counter() - start, time.process_time() - start_cpu)


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[start : start + CHUNK] for start in range(0, len(items), CHUNK)]


def _parse_and_assess(objs: Sequence[dict[str, Any]]) -> list[str]:
    """Assess every object; return the messages of those that failed (none expected)."""
    from posyandu.core.assess import assess_many, collector_paused, parse_input
    from posyandu.core.errors import CoreError

    failures: list[str] = []
    for chunk in _chunks(objs):
        inputs = []
        with collector_paused():  # as the JSONL path parses a chunk
            for obj in chunk:
                try:
                    inputs.append(parse_input(obj))
                except CoreError as exc:  # the generator's bug, not the engine's: report, go on
                    failures.append(f"{obj.get('id')}: {exc}")
        results = assess_many(inputs)
        failures += [
            f"{r.id}: {e}" for r, e in zip(inputs, results, strict=True) if isinstance(e, CoreError)
        ]
    return failures


def _parse_all(objs: Sequence[dict[str, Any]]) -> list[Any]:
    from posyandu.core.assess import collector_paused, parse_input

    with collector_paused():  # as the JSONL path parses
        return [parse_input(obj) for obj in objs]


def _assess_all(inputs: Sequence[Any]) -> list[Any]:
    from posyandu.core.assess import assess_many

    return [result for chunk in _chunks(inputs) for result in assess_many(chunk)]


def _assess_one_by_one(inputs: Sequence[Any]) -> list[Any]:
    from posyandu.core.assess import assess

    return [assess(record) for record in inputs]


def _to_dict_all(results: Sequence[Any]) -> list[dict[str, Any]]:
    from posyandu.core.assess import assessment_to_dict

    return [assessment_to_dict(result) for result in results]


def _warm_up(objs: Sequence[dict[str, Any]]) -> None:
    _to_dict_all(_assess_all(_parse_all(objs[:WARM_UP])))


def _mix(results: Sequence[dict[str, Any]]) -> str:
    """Return a one-line summary of stages and a few findings, to show what was measured."""
    stages: collections.Counter[str] = collections.Counter()
    findings: collections.Counter[str] = collections.Counter()
    for result in results:
        stages.update(result["stages"])
        findings.update(result["findings"])
    n = max(1, len(results))
    shown = ", ".join(f"{code} {100 * count / n:.1f}%" for code, count in stages.most_common())
    keys = ("hfa.stunted", "hfa.severely_stunted", "wfh.wasted", "wfh.severely_wasted", "bp.high")
    found = ", ".join(f"{k} {findings[k]}" for k in keys)
    return f"stages: {shown}\nfindings (count): {found}"


def _cli_pass(objs: Sequence[dict[str, Any]]) -> tuple[_Row, _Row, str]:
    """Write a temporary JSONL file, run assess_files on it; return (write, run) rows + note."""
    from posyandu.assess_json import assess_files

    with tempfile.TemporaryDirectory(prefix="assess-bench-") as tmp:
        src = Path(tmp) / "persons.jsonl"
        out = Path(tmp) / "assessments.jsonl"

        def write() -> None:
            with src.open("w", encoding="utf-8") as fh:
                for obj in objs:
                    fh.write(json.dumps(obj, ensure_ascii=False))
                    fh.write("\n")

        _, write_s = _timed(write)
        warm = Path(tmp) / "warm.jsonl"
        warm.write_text("".join(json.dumps(o) + "\n" for o in objs[:WARM_UP]), encoding="utf-8")
        assess_files(str(warm), str(Path(tmp) / "warm.out.jsonl"), rules_version=None)
        status, run_s = _timed(lambda: assess_files(str(src), str(out), rules_version=None))
        lines = out.read_text(encoding="utf-8").splitlines()
        errors = sum(1 for line in lines if line.startswith('{"id"') and '"error": ' in line)
        size_mb = src.stat().st_size / 1e6
    note = f"exit {status}, {len(lines)} lines out, {errors} errors, input {size_mb:.0f} MB"
    return (
        _Row("    (write the JSONL input, not counted)", len(objs), write_s, target=False),
        _Row("(c) JSONL CLI end to end (assess_files)", len(objs), run_s, target=True, note=note),
        note,
    )


def _print_table(rows: Sequence[_Row]) -> None:
    print()
    head = f"{'step':<44} {'n':>8} {'seconds':>8} {'per second':>11} {'per CPU s':>10}"
    print(f"{head}  vs target")
    print("-" * 100)
    for row in rows:
        share = 100 * row.per_s / TARGET_PER_S
        versus = f"{share:5.1f}% of {TARGET_PER_S:,}/s" if row.target else ""
        figures = f"{row.seconds:>8.2f} {row.per_s:>11,.0f} {row.per_cpu_s:>10,.0f}"
        print(f"{row.label:<44} {row.n:>8,} {figures}  {versus}")
    print("-" * 100)
    print(
        "per CPU s: n / this process's CPU time, the fairer figure when other work shares the CPU"
    )
    print(f"target: >= {TARGET_PER_S:,} assessments/s on one core (assess_many, in chunks)")


def _profile(objs: Sequence[dict[str, Any]], top: int = 25) -> None:
    """Print the cProfile of parse_input + assess_many over `objs`: top cumulative, own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    _parse_and_assess(objs)
    profiler.disable()
    for order, count in (("cumulative", top), ("tottime", 15)):
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer).strip_dirs().sort_stats(order)
        stats.print_stats(count)
        print(f"\n=== cProfile of parse_input + assess_many, {len(objs):,} persons, by {order} ===")
        print(buffer.getvalue().split("\n", 4)[-1].rstrip())  # drop pstats' own header lines


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="assess_bench", description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="persons (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--profile", action="store_true", help="also profile 10,000 persons")
    parser.add_argument("--profile-n", type=int, default=10_000, help=argparse.SUPPRESS)
    parser.add_argument("--no-cli", action="store_true", help="skip (c), the JSONL path")
    parser.add_argument(
        "--no-freeze", action="store_true", help="do not freeze the bench's own data out of the GC"
    )
    parser.add_argument("--dump", metavar="FILE", help="write every assessment's JSON to FILE")
    return parser.parse_args(argv)


def _passes_b(
    objs: Sequence[dict[str, Any]], dump: str | None = None
) -> tuple[list[_Row], list[dict[str, Any]]]:
    """Run (b): parse only, assess_many only, one at a time, to_dict; return rows and dicts.

    With `dump`, also write the JSON of each assessment of assess_many to that file (untimed).
    """
    n = len(objs)
    inputs, parse_s = _timed(_parse_all, objs)
    rows = [_Row("(b) parse_input only", n, parse_s, target=False)]
    results, assess_s = _timed(_assess_all, inputs)
    rows.append(_Row("(b) assess_many only (parsed inputs)", n, assess_s, target=True))
    _, one_s = _timed(_assess_one_by_one, inputs)
    rows.append(_Row("    assess one record at a time", n, one_s, target=False))
    dicts, to_dict_s = _timed(_to_dict_all, results)
    rows.append(_Row("    assessment_to_dict only", n, to_dict_s, target=False))
    if dump is not None:
        with open(dump, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts)
    return rows, dicts


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print the table (and the profile with --profile)."""
    args = _arguments(argv)
    _FREEZE[0] = not args.no_freeze
    pin = _pin_one_core()
    print(f"assess benchmark: {args.n:,} synthetic persons, as_of {AS_OF}, seed {args.seed}")
    print(f"python {sys.version.split()[0]}, {pin}, OMP/BLAS threads 1")
    frozen = "frozen out of the GC" if _FREEZE[0] else "left to the GC (--no-freeze)"
    print(f"data the bench holds between passes: {frozen}")

    objs, build_s = _timed(lambda: persons(args.n, as_of=AS_OF, seed=args.seed))
    rows = [_Row("build synthetic persons", args.n, build_s, target=False)]
    try:
        _warm_up(objs)
    except ImportError as exc:
        _print_table(rows)
        print(f"\nposyandu.core.assess is not ready ({exc}); only the generator was measured.")
        return 1

    failures, a_s = _timed(_parse_and_assess, objs)
    note = f"{len(failures)} failed" + (f", first: {failures[0]}" if failures else "")
    rows.append(_Row("(a) parse_input + assess_many", args.n, a_s, target=True, note=note))
    if failures:  # (b) needs every input to parse and assess
        _print_table(rows)
        print(f"(a): {note}")
        return 1
    rows_b, dicts = _passes_b(objs, args.dump)
    rows += rows_b
    if not args.no_cli:
        write_row, cli_row, _ = _cli_pass(objs)
        rows += [cli_row, write_row]

    _print_table(rows)
    for row in rows:
        if row.note:
            print(f"{row.label.strip()}: {row.note}")
    print(_mix(dicts))
    if args.profile:
        _profile(objs[: args.profile_n])
    return 0


if __name__ == "__main__":
    sys.exit(main())
