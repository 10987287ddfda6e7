"""Run every benchmark: `.venv/bin/python -m tests.bench` (or `make bench`)."""

from __future__ import annotations

import importlib

# Each module has a main() that prints its own figures; add new benchmarks here.
BENCHES = (
    "tests.bench.growth",
    "tests.bench.assess_bench",
    "tests.bench.offline_bench",
    "tests.bench.pws_bench",
    "tests.bench.sync_bench",
)


def run_all() -> None:
    """Import and run each benchmark module's main() in turn."""
    for name in BENCHES:
        print(f"== {name}")
        importlib.import_module(name).main()


if __name__ == "__main__":
    run_all()
