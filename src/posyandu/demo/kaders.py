"""The kader of each posyandu (5-10, the head kader with the posyandu's login) and their
trainings and assessments on the basic competencies.

Competency codes come from the kader app's catalogue (posyandu.kaders.competencies), trained
a group at a time. Most kader are certified at the tier their passed competencies reach
(purwa from 1, madya from 10, utama from 20: background knowledge, DOMAIN 7.4 ⚠); the others
are not yet.
"""

from __future__ import annotations

import datetime as dt
import random

from posyandu.demo import names
from posyandu.demo.context import Site
from posyandu.demo.families import person_name
from posyandu.demo.identity import new_uuid
from posyandu.demo.schedule import local_time, stamp
from posyandu.kaders.competencies import catalogue_in_force
from posyandu.kaders.models import CompetencyRecord, Kader

_TIERS = ((20, Kader.Tier.UTAMA), (10, Kader.Tier.MADYA), (1, Kader.Tier.PURWA))
# Chance that a kader was trained in a group: the newer life-cycle groups less often, so some
# posyandu have no kader competent in, say, elderly screening (the gap list has something).
_GROUP_TRAINED = {"pengelolaan": 0.9, "bayi_balita": 0.85, "ibu_hamil_menyusui": 0.6}
_OTHER_GROUP_TRAINED = 0.3


def _records(
    site: Site, rng: random.Random, kader: Kader, as_of: dt.date
) -> list[CompetencyRecord]:
    trainer = rng.choice(names.TRAINERS).format(
        puskesmas=site.puskesmas.name, pustu=site.pustu.name
    )
    rows = []
    for group, competencies in catalogue_in_force(as_of).by_group():
        if rng.random() >= _GROUP_TRAINED.get(group.code, _OTHER_GROUP_TRAINED):
            continue
        trained_on = as_of - dt.timedelta(days=rng.randint(30, 3 * 365))
        for competency in competencies:
            if rng.random() < 0.85:
                rows.extend(
                    _trained_and_assessed(rng, kader, competency.code, trained_on, trainer, as_of)
                )
    return rows


def _trained_and_assessed(
    rng: random.Random, kader: Kader, code: str, on: dt.date, by: str, as_of: dt.date
) -> list[CompetencyRecord]:
    rows = [
        CompetencyRecord(
            uuid=new_uuid(rng), kader=kader, competency=code, kind="trained", date=on, by=by
        )
    ]
    if rng.random() < 0.75:
        rows.append(
            CompetencyRecord(
                uuid=new_uuid(rng), kader=kader, competency=code, kind="assessed", by=by,
                date=min(as_of, on + dt.timedelta(days=rng.randint(7, 120))),
                passed=rng.random() < 0.85,
            )
        )  # fmt: skip
    for row in rows:
        stamp(row, local_time(row.date, 12, rng.randint(0, 59)))
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
        joined = min((r.date for r in rows), default=as_of) - dt.timedelta(
            days=rng.randint(30, 900)
        )
        stamp(kader, local_time(joined, 10, rng.randint(0, 59)))
        passed = len({r.competency for r in rows if r.passed})
        if rng.random() < 0.7:  # the others are not (yet) certified
            kader.tier = next((tier for floor, tier in _TIERS if passed >= floor), "")
        kaders.append(kader)
        records.extend(rows)
    return kaders, records
