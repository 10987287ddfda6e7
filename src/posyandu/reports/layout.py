"""The versioned layouts of the monthly reports (data/layouts.toml): rows, columns, order."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FILE = Path(__file__).with_name("data") / "layouts.toml"


@dataclass(frozen=True)
class Section:
    """One block of the indicator sheet: a PWS indicator group and its rows."""

    group: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """One version of the report layouts."""

    version: str
    valid_from: dt.date
    basis: str
    skdn_counts: tuple[str, ...]
    skdn_ratios: tuple[str, ...]
    age_bands: tuple[tuple[int, int], ...]
    sections: tuple[Section, ...]
    puskesmas_codes: tuple[str, ...]

    @property
    def codes(self) -> list[str]:
        """Return every indicator code the layout prints (no repeats)."""
        out = [*self.skdn_counts, *self.skdn_ratios, *self.puskesmas_codes]
        out += [code for s in self.sections for code in s.codes]
        return list(dict.fromkeys(out))


@cache
def all_layouts() -> tuple[Layout, ...]:
    """Return every layout version, oldest first."""
    data = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    versions = [
        Layout(
            version=str(v["version"]),
            valid_from=v["valid_from"],
            basis=str(v["basis"]),
            skdn_counts=tuple(v["skdn_counts"]),
            skdn_ratios=tuple(v["skdn_ratios"]),
            age_bands=tuple((int(lo), int(hi)) for lo, hi in v["age_bands"]),
            sections=tuple(Section(s["group"], tuple(s["codes"])) for s in v["section"]),
            puskesmas_codes=tuple(v["puskesmas"]["codes"]),
        )
        for v in data["version"]
    ]
    return tuple(sorted(versions, key=lambda layout: layout.valid_from))


def layout_for(day: dt.date) -> Layout:
    """Return the layout in force on `day` (the oldest one before the first version)."""
    found = [layout for layout in all_layouts() if layout.valid_from <= day]
    return found[-1] if found else all_layouts()[0]
