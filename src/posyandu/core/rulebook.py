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

import bisect
import datetime as dt
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

from posyandu.core.errors import RulesError

_RESERVED = frozenset({"version", "valid_from", "basis"})

T = TypeVar("T")


@dataclass(frozen=True)
class RuleVersion:
    """One version of one rule family."""

    family: str
    version: str
    valid_from: dt.date
    basis: str
    data: MappingProxyType[str, Any] = field(repr=False)
    # What `parsed` has read out of `data`, by reader: not part of the version's identity.
    _parsed: dict[Callable[[RuleVersion], Any], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def citation(self) -> str:
        """Return 'basis (family version)', the text a finding shows as its 'why'."""
        return f"{self.basis} ({self.family} {self.version})"

    def parsed(self, reader: Callable[[RuleVersion], T]) -> T:
        """Return `reader(self)`, read and validated once per version and reader.

        The rule modules read their tables through this, so a table is checked once, not on
        every assessment. A reader that raises is not remembered: it raises again next time.
        """
        try:
            value: T = self._parsed[reader]
        except KeyError:
            value = self._parsed[reader] = reader(self)
        return value


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


@cache
def _index(family: str) -> tuple[dict[str, RuleVersion], list[dt.date]]:
    """Return a family's versions by id (the first of an id wins) and their valid-from dates."""
    versions = family_versions(family)
    by_id: dict[str, RuleVersion] = {}
    for candidate in versions:
        by_id.setdefault(candidate.version, candidate)
    return by_id, [v.valid_from for v in versions]


def rule_in_force(family: str, on: dt.date, version: str | None = None) -> RuleVersion:
    """Return the version of `family` in force on `on`, or the named `version` when given."""
    by_id, starts = _index(family)
    if version is not None:
        found = by_id.get(version)
        if found is None:
            known = ", ".join(v.version for v in family_versions(family))
            raise RulesError(f"rules {family}: no version {version!r} (known: {known})")
        return found
    in_force = bisect.bisect_right(starts, on)
    if not in_force:
        raise RulesError(f"rules {family}: no version in force on {on.isoformat()}")
    return family_versions(family)[in_force - 1]
