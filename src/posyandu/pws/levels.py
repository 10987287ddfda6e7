"""Sum posyandu rollups up the Kemendagri levels: desa, kecamatan, kabupaten, province.

A Kemendagri region code has a fixed length per level (62.11.05.2001: 2-2-2-4 digits,
dotted), so the region of a posyandu at each level is the start of its own region's code, and
a region's sum is the sum of the level below it. No ORM here: rows in, sums out, so the live
refresh and `pws_rebuild` sum alike (data migration 0003 keeps a frozen copy of this summing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from posyandu.core.indicators import Tally, combine

# Each level and the length of its codes, from the smallest region up.
REGION_LEVELS: tuple[tuple[str, int], ...] = (
    ("desa", 13),
    ("kecamatan", 8),
    ("kabupaten", 5),
    ("province", 2),
)
Row = tuple[str, dt.date, str, Tally]  # (region code, month, indicator, tally)
Key = tuple[str, str, dt.date, str]  # (level, region code, month, indicator)


def level_of(code: str) -> str | None:
    """Return the level of a region code by its length (None for a malformed one)."""
    return next((level for level, length in REGION_LEVELS if len(code) == length), None)


def chain(code: str) -> list[tuple[str, str]]:
    """Return (level, region code) of every level a posyandu of region `code` counts in."""
    return [(level, code[:length]) for level, length in REGION_LEVELS]


def sum_levels(
    posyandu_rows: Iterable[Row], siblings: Mapping[str, Iterable[Row]] | None = None
) -> dict[Key, Tally]:
    """Return the sum of every region of every level, by (level, code, month, indicator).

    `posyandu_rows` carry the code of the posyandu's region. `siblings[level]` are stored rows
    of that level added into the level above with the ones summed here: a refresh sums one
    posyandu's chain from its desa's posyandu and reads the rest of each level.
    """
    out: dict[Key, Tally] = {}
    below: list[Row] = list(posyandu_rows)
    for level, length in REGION_LEVELS:
        groups: dict[tuple[str, dt.date, str], list[Tally]] = defaultdict(list)
        for code, month, indicator, tally in below:
            groups[code[:length], month, indicator].append(tally)
        below = list((siblings or {}).get(level, ()))
        for (code, month, indicator), tallies in groups.items():
            tally = combine(tallies)
            out[level, code, month, indicator] = tally
            below.append((code, month, indicator, tally))
    return out
