"""The people who log in: the demo personas and one worker per facility, each with a Membership.

The personas (posyandu.accounts.demo.DEMO_LOGINS) sit where the test personas sit; every other
posyandu gets a head kader, every other Pustu a bidan and every other Puskesmas a staff member,
so the records of every place name who made them. All share the published demo password.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from posyandu.accounts.demo import DEMO_PASSWORD
from posyandu.accounts.models import Membership
from posyandu.demo import names
from posyandu.demo.context import Jejaring
from posyandu.demo.writer import BulkWriter
from posyandu.regions.models import Facility, Region


@dataclass(frozen=True)
class Account:
    """A login to create: who, in which role, where."""

    username: str
    first_name: str
    last_name: str
    role: str
    facility: Facility | None = None
    region: Region | None = None


_ROMAN_DIGITS = {" VI": "6", " V": "5", " IV": "4", " III": "3", " II": "2"}


def slug(name: str) -> str:
    """Return a username part for a facility name ('Nusa Indah II' → 'nusaindah2')."""
    for roman, digit in _ROMAN_DIGITS.items():
        if name.endswith(roman):
            name = name[: -len(roman)] + digit
            break
    return name.lower().replace(" ", "")


def _posyandu(jejaring: Jejaring, name: str) -> Facility | None:
    return next((s.posyandu for s in jejaring.sites if s.posyandu.name == name), None)


def persona_accounts(jejaring: Jejaring) -> list[Account]:
    """Return the demo personas that have a place in this jejaring (small scale has fewer)."""
    kab, desa = jejaring.kabupaten, jejaring.desa[0]
    wanted = [
        ("kader_sari", "Sari", "Wulandari", "kader", _posyandu(jejaring, "Melati"), None),
        ("bidan_rina", "Rina", "Handayani", "bidan", jejaring.pustu[0], None),
        ("puskesmas_admin", "Agus", "Setiawan", "puskesmas", jejaring.puskesmas[0], None),
        ("dinkes_analyst", "Dewi", "Lestari", "dinkes", None, kab),
        ("desa_official", "Dadang", "Suherman", "desa", None, desa),
        ("pokjanal", "Yuli", "Rahayu", "pokjanal", None, kab),
        ("kader_dewi", "Dewi", "Purnamasari", "kader", _posyandu(jejaring, "Mawar"), None),
        ("kader_euis", "Euis", "Komariah", "kader", _posyandu(jejaring, "Anggrek"), None),
        ("kader_nur", "Nur", "Hasanah", "kader", _posyandu(jejaring, "Kenanga"), None),
    ]
    return [Account(*row) for row in wanted if row[4] is not None or row[5] is not None]


def _worker(rng: random.Random, username: str, role: str, facility: Facility) -> Account:
    sex = "M" if role == "puskesmas" and rng.random() < 0.4 else "F"
    first = rng.choice(names.given_names(sex, rng.randint(1970, 2000)))
    return Account(username, first, rng.choice(names.second_names(sex)), role, facility)


def worker_accounts(jejaring: Jejaring, rng: random.Random, taken: set[int]) -> list[Account]:
    """Return a worker for every facility without a persona (facility pks in `taken`)."""
    accounts = []
    for pkm in jejaring.puskesmas:
        if pkm.pk not in taken:
            accounts.append(_worker(rng, f"puskesmas_{slug(pkm.name)}", "puskesmas", pkm))
    for pustu in jejaring.pustu:
        if pustu.pk not in taken:
            accounts.append(_worker(rng, f"bidan_{slug(pustu.name)}", "bidan", pustu))
    for site in jejaring.sites:
        if site.posyandu.pk not in taken:
            accounts.append(
                _worker(rng, f"kader_{slug(site.posyandu.name)}", "kader", site.posyandu)
            )
    return accounts


def build_staff(jejaring: Jejaring, rng: random.Random, writer: BulkWriter) -> dict[str, User]:
    """Create the logins and memberships; point every site at its kader and bidan users."""
    personas = persona_accounts(jejaring)
    taken = {a.facility.pk for a in personas if a.facility is not None}
    accounts = personas + worker_accounts(jejaring, rng, taken)
    users = _users(accounts, writer)
    have = set(Membership.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    writer.save(
        [
            Membership(user=users[a.username], role=a.role, facility=a.facility, region=a.region)
            for a in accounts
            if users[a.username].pk not in have
        ]
    )
    by_facility = {a.facility.pk: users[a.username] for a in accounts if a.facility is not None}
    for site in jejaring.sites:
        site.kader_user = by_facility[site.posyandu.pk]
        site.bidan_user = by_facility[site.pustu.pk]
        site.puskesmas_user = by_facility[site.puskesmas.pk]
    return users


def _users(accounts: list[Account], writer: BulkWriter) -> dict[str, User]:
    """Return the users of `accounts`, creating the missing ones with the demo password.

    Users left by an earlier version of the demo (logins without places) are kept as they are.
    """
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in accounts])
    }
    password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    new = [
        User(username=a.username, first_name=a.first_name, last_name=a.last_name, password=password)
        for a in accounts
        if a.username not in existing
    ]
    writer.save(new)
    return existing | {user.username: user for user in new}
