"""The kader of each posyandu (5-10, the head kader with the posyandu's login) and their
trainings and assessments on the basic competencies.

Competency codes come from the kader app's catalogue (posyandu/kaders/competencies.toml) when
it exists, else k01..k25. The tier follows the number of competencies passed (purwa from 1,
madya from 10, utama from 20: background knowledge, DOMAIN 7.4 ⚠).
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from posyandu.demo import names
from posyandu.demo.context import Site
from posyandu.demo.families import person_name
from posyandu.demo.identity import new_uuid
from posyandu.kaders.models import CompetencyRecord, Kader

_TIERS = ((20, Kader.Tier.UTAMA), (10, Kader.Tier.MADYA), (1, Kader.Tier.PURWA))


def _codes(node: Any) -> list[str]:
    """Return every `code` value in a parsed TOML document, in document order."""
    if isinstance(node, dict):
        found = [str(node["code"])] if "code" in node else []
        return found + [c for value in node.values() for c in _codes(value)]
    if isinstance(node, list):
        return [c for item in node for c in _codes(item)]
    return []


@cache
def competency_codes() -> tuple[str, ...]:
    """Return the competency catalogue's codes (k01..k25 when there is no catalogue)."""
    try:
        text = resources.files("posyandu.kaders").joinpath("competencies.toml").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        text = ""
    codes = list(dict.fromkeys(_codes(tomllib.loads(text)))) if text else []
    return tuple(codes) if codes else tuple(f"k{n:02d}" for n in range(1, 26))


def _records(
    site: Site, rng: random.Random, kader: Kader, as_of: dt.date
) -> list[CompetencyRecord]:
    codes = competency_codes()
    trained = rng.sample(codes, rng.randint(min(3, len(codes)), len(codes)))
    trainer = rng.choice(names.TRAINERS).format(
        puskesmas=site.puskesmas.name, pustu=site.pustu.name
    )
    rows = []
    for code in trained:
        on = as_of - dt.timedelta(days=rng.randint(30, 3 * 365))
        rows.append(
            CompetencyRecord(
                uuid=new_uuid(rng),
                kader=kader,
                competency=code,
                kind="trained",
                date=on,
                by=trainer,
            )
        )
        if rng.random() < 0.75:
            assessed = min(as_of, on + dt.timedelta(days=rng.randint(7, 120)))
            rows.append(
                CompetencyRecord(
                    uuid=new_uuid(rng), kader=kader, competency=code, kind="assessed",
                    date=assessed, by=trainer, passed=rng.random() < 0.85,
                )
            )  # fmt: skip
    return rows


def build_kaders(
    site: Site, rng: random.Random, as_of: dt.date
) -> tuple[list[Kader], list[CompetencyRecord]]:
    """Return a posyandu's kader (the first is the head kader, with the login) and their records."""
    kaders, records = [], []
    for n in range(rng.randint(5, 10)):
        user = site.kader_user if n == 0 else None
        sex = "M" if n > 0 and rng.random() < 0.08 else "F"
        name = (
            user.get_full_name()
            if user is not None
            else person_name(rng, sex, dt.date(rng.randint(1965, 2002), 1, 1))
        )
        kader = Kader(
            uuid=new_uuid(rng), posyandu=site.posyandu, user=user, name=name,
            phone=rng.choice(names.PHONE_PREFIXES) + f"{rng.randrange(10**7, 10**8)}",
            active=n == 0 or rng.random() < 0.9,
        )  # fmt: skip
        rows = _records(site, rng, kader, as_of)
        passed = len({r.competency for r in rows if r.passed})
        kader.tier = next((tier for floor, tier in _TIERS if passed >= floor), "")
        kaders.append(kader)
        records.extend(rows)
    return kaders, records
