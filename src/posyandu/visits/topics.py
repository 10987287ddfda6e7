"""The counselling topics of step 5, read from the versioned `counselling_topics.toml`.

Like the core's rule tables, the catalogue has versions with a valid-from date and a basis, so a
past visit's topics are read against the catalogue in force on its date.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Topic:
    """One counselling topic: its stable code, Indonesian label and the stages it is for."""

    code: str
    label: str
    stages: frozenset[str]


@dataclass(frozen=True)
class TopicCatalogue:
    """One version of the catalogue."""

    version: str
    valid_from: dt.date
    basis: str
    topics: tuple[Topic, ...]

    def codes(self) -> frozenset[str]:
        """Return every topic code of this version."""
        return frozenset(topic.code for topic in self.topics)

    def for_stages(self, stages: Iterable[str]) -> list[Topic]:
        """Return the topics offered to someone in `stages`, in catalogue order."""
        wanted = set(stages)
        return [topic for topic in self.topics if topic.stages & wanted]


def _catalogue(raw: dict[str, Any]) -> TopicCatalogue:
    topics = tuple(
        Topic(str(t["code"]), str(t["label"]), frozenset(t["stages"])) for t in raw["topic"]
    )
    return TopicCatalogue(str(raw["version"]), raw["valid_from"], str(raw["basis"]), topics)


@cache
def _versions() -> tuple[TopicCatalogue, ...]:
    text = resources.files("posyandu.visits").joinpath("counselling_topics.toml").read_text("utf-8")
    versions = [_catalogue(raw) for raw in tomllib.loads(text)["version"]]
    return tuple(sorted(versions, key=lambda v: v.valid_from))


def topics_in_force(on: dt.date) -> TopicCatalogue:
    """Return the catalogue in force on `on` (the oldest one before any version began)."""
    versions = _versions()
    in_force = [v for v in versions if v.valid_from <= on]
    return in_force[-1] if in_force else versions[0]
