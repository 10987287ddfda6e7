"""How big the demo kabupaten is: the default for `make run`, a small one for tests, a big one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    """The size of one demo data set."""

    name: str
    kecamatan: int
    desa_per_kecamatan: int
    posyandu_per_desa: tuple[int, int]  # inclusive range; the personas' desa always has 2+
    persons: int
    months: int  # service days per posyandu, the last one in the month of as_of


SCALES: dict[str, Scale] = {
    "kabupaten-demo": Scale("kabupaten-demo", 5, 4, (2, 4), 30_000, 24),
    "small": Scale("small", 1, 2, (1, 1), 500, 6),
    # A realistic kabupaten for the PWS benchmark (PostgreSQL): 25 Puskesmas, 100 Pustu,
    # ~1,000 posyandu, 1 M persons, three years of activity (docs/OPERATIONS.md).
    "kabupaten": Scale("kabupaten", 25, 4, (8, 12), 1_000_000, 36),
    # One kecamatan of it (one Puskesmas, ~40 posyandu of ~1,000 persons, three years): the
    # same posyandu, desa and Puskesmas sizes in a twenty-fifth of the build time.
    "kecamatan": Scale("kecamatan", 1, 4, (8, 12), 40_000, 36),
}
DEFAULT_SCALE = "kabupaten-demo"
