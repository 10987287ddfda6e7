"""The catalogue of kader competencies, read from versioned data (competencies.toml).

Like the core's rule tables, each version has a valid-from date and a basis; the version in
force on a date is the latest whose valid_from is on or before it.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


class CatalogueError(ValueError):
    """The competency catalogue is malformed."""


@dataclass(frozen=True)
class Group:
    """A group of competencies (pengelolaan posyandu, bayi dan balita, ...)."""

    code: str
    title: str


@dataclass(frozen=True)
class Competency:
    """One basic competency: a stable code, its group and its title (Indonesian)."""

    code: str
    group: str
    title: str


@dataclass(frozen=True)
class Catalogue:
    """One version of the competency catalogue."""

    version: str
    valid_from: dt.date
    basis: str
    note: str
    groups: tuple[Group, ...]
    competencies: tuple[Competency, ...]

    def get(self, code: str) -> Competency | None:
        """Return the competency with this code, or None."""
        return next((c for c in self.competencies if c.code == code), None)

    def by_group(self) -> list[tuple[Group, list[Competency]]]:
        """Return the groups in order, each with its competencies."""
        return [(g, [c for c in self.competencies if c.group == g.code]) for g in self.groups]


def _parse(raw: dict[str, object]) -> Catalogue:
    try:
        groups = tuple(Group(str(g["code"]), str(g["title"])) for g in raw["groups"])  # type: ignore[attr-defined]
        items = tuple(
            Competency(str(c["code"]), str(c["group"]), str(c["title"]))
            for c in raw["competency"]  # type: ignore[attr-defined]
        )
        catalogue = Catalogue(
            str(raw["version"]),
            raw["valid_from"],  # type: ignore[arg-type]
            str(raw["basis"]),
            str(raw.get("note", "")),
            groups,
            items,
        )
    except (KeyError, TypeError) as exc:
        raise CatalogueError(f"competencies: malformed version ({exc})") from exc
    known = {g.code for g in groups}
    codes = [c.code for c in items]
    if len(set(codes)) != len(codes) or any(c.group not in known for c in items):
        raise CatalogueError(f"competencies {catalogue.version}: duplicate code or unknown group")
    return catalogue


@cache
def catalogue_versions() -> tuple[Catalogue, ...]:
    """Return every version of the catalogue, oldest first (read once)."""
    text = resources.files("posyandu.kaders").joinpath("competencies.toml").read_text("utf-8")
    versions = [_parse(raw) for raw in tomllib.loads(text).get("version", [])]
    if not versions:
        raise CatalogueError("competencies: no [[version]] table")
    return tuple(sorted(versions, key=lambda v: v.valid_from))


def catalogue_in_force(on: dt.date) -> Catalogue:
    """Return the catalogue version in force on `on` (the oldest one before any)."""
    versions = catalogue_versions()
    in_force = [v for v in versions if v.valid_from <= on]
    return in_force[-1] if in_force else versions[0]
