"""How big the demo kabupaten is: the default for `make run`, and a small one for tests."""

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
}
DEFAULT_SCALE = "kabupaten-demo"
