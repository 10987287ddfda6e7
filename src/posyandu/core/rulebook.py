"""Versioned rule tables: every threshold, schedule and list the core applies.

Each rule family is one TOML file in `posyandu/core/data/rules/<family>.toml` holding one or
more `[[version]]` tables. Every version states its `version` id, the date it is `valid_from`,
its legal `basis` (regulation and article) and its payload. A new regulation is a new version
with a new valid-from date; old versions stay, so a past assessment can be recomputed under
the rules that were in force on its date.

    [[version]]
    version = "2020.1"
    valid_from = 2020-01-16
    basis = "Permenkes No. 2 Tahun 2020 tentang Standar Antropometri Anak"
    ...payload...
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from posyandu.core.errors import RulesError

_RESERVED = frozenset({"version", "valid_from", "basis"})


@dataclass(frozen=True)
class RuleVersion:
    """One version of one rule family."""

    family: str
    version: str
    valid_from: dt.date
    basis: str
    data: MappingProxyType[str, Any] = field(repr=False)

    @property
    def citation(self) -> str:
        """Return 'basis (family version)', the text a finding shows as its 'why'."""
        return f"{self.basis} ({self.family} {self.version})"


def _parse_version(family: str, raw: dict[str, Any]) -> RuleVersion:
    try:
        version, valid_from, basis = raw["version"], raw["valid_from"], raw["basis"]
    except KeyError as exc:
        raise RulesError(f"rules {family}: a version lacks {exc.args[0]!r}") from exc
    if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
        raise RulesError(f"rules {family} {version}: valid_from must be a date")
    payload = {k: v for k, v in raw.items() if k not in _RESERVED}
    return RuleVersion(family, str(version), valid_from, str(basis), MappingProxyType(payload))


@cache
def family_versions(family: str) -> tuple[RuleVersion, ...]:
    """Return every version of a rule family, oldest first (loaded once)."""
    source = resources.files("posyandu.core.data.rules").joinpath(f"{family}.toml")
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesError(f"no rules family {family!r}") from exc
    raw_versions = tomllib.loads(text).get("version", [])
    versions = sorted(
        (_parse_version(family, raw) for raw in raw_versions), key=lambda v: v.valid_from
    )
    if not versions:
        raise RulesError(f"rules {family}: no [[version]] table")
    return tuple(versions)


def rule_in_force(family: str, on: dt.date, version: str | None = None) -> RuleVersion:
    """Return the version of `family` in force on `on`, or the named `version` when given."""
    versions = family_versions(family)
    if version is not None:
        for candidate in versions:
            if candidate.version == version:
                return candidate
        known = ", ".join(v.version for v in versions)
        raise RulesError(f"rules {family}: no version {version!r} (known: {known})")
    in_force = [v for v in versions if v.valid_from <= on]
    if not in_force:
        raise RulesError(f"rules {family}: no version in force on {on.isoformat()}")
    return in_force[-1]
