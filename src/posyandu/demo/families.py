"""Households and the people in them, for one posyandu.

Families are drawn the way a village is made: a couple with the children born to the wife at
Indonesian age-specific fertility rates (older children have mostly left home), sometimes a
widowed grandmother; single parents, elderly couples or widows living alone, and a few young
adults alone. The result has an Indonesian age pyramid (about 10 % under five) and every child
living with its mother is linked to her.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from posyandu.demo import names
from posyandu.demo.context import Site
from posyandu.demo.health import Body, ChildPath
from posyandu.demo.identity import Registry, new_uuid
from posyandu.registry.models import Household, Person, Pregnancy

DAYS_PER_YEAR = 365.25
# Births per woman-year by the mother's age (SDKI-like; total fertility about 2.3).
_FERTILITY = ((17, 20, 0.05), (20, 25, 0.14), (25, 30, 0.145), (30, 35, 0.11), (35, 40, 0.06),
              (40, 45, 0.018))  # fmt: skip
# (kind, weight) of households.
_KINDS = (("family", 74), ("single_parent", 6), ("elderly", 13), ("single", 7))


@dataclass(eq=False)
class Resident:
    """A person being generated, with what later steps need to know about her."""

    person: Person
    mother: Resident | None = None
    children: list[Resident] = field(default_factory=list)
    pregnancies: list[Pregnancy] = field(default_factory=list)
    # Latent health traits (posyandu.demo.health), set for the ages that need them.
    child: ChildPath | None = None
    body: Body | None = None

    @property
    def sex(self) -> str:
        """Return 'M' or 'F'."""
        return self.person.sex

    @property
    def birth(self) -> dt.date:
        """Return the birth date."""
        return self.person.birth_date

    def age_days(self, on: dt.date) -> int:
        """Return the age in days on a date."""
        return (on - self.person.birth_date).days


@dataclass
class Member:
    """A household member before it becomes a Person: sex, age and mother (by position)."""

    sex: str
    birth: dt.date
    mother: int | None = None


def _born(as_of: dt.date, years: float) -> dt.date:
    return as_of - dt.timedelta(days=int(years * DAYS_PER_YEAR))


def _fertility(age: float) -> float:
    return next((rate for low, high, rate in _FERTILITY if low <= age < high), 0.0)


def _children(rng: random.Random, mother_birth: dt.date, as_of: dt.date) -> list[float]:
    """Return the ages at which the mother gave birth, spacing births by 18 months or more."""
    ages: list[float] = []
    age = 17.0
    now = (as_of - mother_birth).days / DAYS_PER_YEAR
    while age < min(now, 45.0):
        if (not ages or age - ages[-1] >= 1.5) and rng.random() < _fertility(age) / 4:
            ages.append(age + rng.random() * 0.25)
        age += 0.25
    return [a for a in ages if a < now]


def _stays_home(rng: random.Random, age: float) -> bool:
    return age < 19 or rng.random() < max(0.04, 1.0 - (age - 19.0) * 0.11)


def _family(rng: random.Random, as_of: dt.date, with_father: bool) -> list[Member]:
    wife_age = rng.triangular(18, 64, 26)
    wife = Member("F", _born(as_of, wife_age))
    members = [wife]
    if with_father:
        members.insert(0, Member("M", _born(as_of, wife_age + rng.triangular(-1, 10, 3))))
    mother = len(members) - 1
    for at in _children(rng, wife.birth, as_of):
        birth = wife.birth + dt.timedelta(days=int(at * DAYS_PER_YEAR))
        if _stays_home(rng, (as_of - birth).days / DAYS_PER_YEAR):
            members.append(Member(rng.choice("MF"), birth, mother))
    if with_father and wife_age > 24 and rng.random() < 0.16:
        members.append(Member("F", _born(as_of, min(wife_age + rng.uniform(22, 32), 92))))
    return members


def draw_household(rng: random.Random, as_of: dt.date) -> list[Member]:
    """Return the members of one household, its head first."""
    kind = rng.choices([k for k, _ in _KINDS], weights=[w for _, w in _KINDS])[0]
    if kind in ("family", "single_parent"):
        return _family(rng, as_of, with_father=kind == "family")
    if kind == "single":
        return [Member(rng.choice("MF"), _born(as_of, rng.uniform(19, 40)))]
    head_age = rng.triangular(60, 90, 63)
    if rng.random() < 0.45:
        wife = _born(as_of, head_age - rng.uniform(0, 9))
        return [Member("M", _born(as_of, head_age)), Member("F", wife)]
    return [Member("F" if rng.random() < 0.72 else "M", _born(as_of, head_age))]


def person_name(rng: random.Random, sex: str, birth: dt.date) -> str:
    """Return a name in fashion for the birth year; one name or two."""
    first = rng.choice(names.given_names(sex, birth.year))
    if rng.random() < 0.2:
        return first
    return f"{first} {rng.choice(names.second_names(sex))}"


@dataclass
class People:
    """The households and residents of one posyandu."""

    households: list[Household] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)


def build_people(site: Site, rng: random.Random, ids: Registry, as_of: dt.date) -> People:
    """Return the households and residents of a posyandu, about `site.persons_target` people."""
    people = People()
    while len(people.residents) < site.persons_target:
        members = draw_household(rng, as_of)
        full_names = [person_name(rng, m.sex, m.birth) for m in members]
        household = _household(site, rng, ids, full_names[0], len(people.households))
        household.no_kk = _no_kk(site, rng, ids, members[0], as_of)
        residents: list[Resident] = []
        for member, name in zip(members, full_names, strict=True):
            mother = residents[member.mother] if member.mother is not None else None
            person = _person(site, rng, ids, member, name, as_of)
            person.household = household
            residents.append(Resident(person, mother))
            if mother is not None:
                person.mother = mother.person
                mother.children.append(residents[-1])
        people.households.append(household)
        people.residents.extend(residents)
    return people


def _no_kk(site: Site, rng: random.Random, ids: Registry, head: Member, as_of: dt.date) -> str:
    """Return a family-card number for most households (issued in the last 15 years)."""
    if rng.random() >= 0.9:
        return ""
    adult = head.birth + dt.timedelta(days=int(17 * DAYS_PER_YEAR))
    issued = max(adult, as_of - dt.timedelta(days=int(15 * DAYS_PER_YEAR)))
    issued += dt.timedelta(days=rng.randint(0, max(0, (as_of - issued).days)))
    return ids.no_kk(site.region6, issued)


def _household(
    site: Site, rng: random.Random, ids: Registry, head_name: str, number: int
) -> Household:
    dusun = site.posyandu.dusun.split(" (")[0]
    rw = site.posyandu.dusun.split("(")[-1].rstrip(")")
    rt = 1 + number // 25
    return Household(
        uuid=new_uuid(rng),
        posyandu=site.posyandu,
        head_name=head_name,
        address=f"Kp. {dusun.removeprefix('Dusun ')} RT {rt:02d}/{rw}",
        dusun=f"{dusun}, RT {rt:02d}/{rw}",
    )


def _nik_share(age_years: float) -> float:
    """Return the share with a NIK at an age: most adults, few infants (DOMAIN 7.6)."""
    if age_years < 1:
        return 0.3
    if age_years < 5:
        return 0.65
    return 0.85 if age_years < 17 else 0.96


def _nik_region(site: Site, rng: random.Random) -> str:
    """Return the kecamatan digits of a NIK: mostly here, some from elsewhere (moved in)."""
    draw = rng.random()
    if draw < 0.85:
        return site.region6
    if draw < 0.95:
        return f"{site.region6[:4]}{rng.randint(1, 5):02d}"
    return f"{site.region6[:2]}{rng.randint(1, 18):02d}{rng.randint(1, 30):02d}"


def _person(
    site: Site, rng: random.Random, ids: Registry, member: Member, name: str, as_of: dt.date
) -> Person:
    age = (as_of - member.birth).days / DAYS_PER_YEAR
    nik = None
    if rng.random() < _nik_share(age):
        nik = ids.nik(_nik_region(site, rng), member.birth, member.sex)
    phone = ""
    if 18 <= age < 65 and rng.random() < 0.55:
        phone = rng.choice(names.PHONE_PREFIXES) + f"{rng.randrange(10**7, 10**8)}"
    return Person(
        uuid=new_uuid(rng),
        posyandu=site.posyandu,
        name=name,
        sex=member.sex,
        birth_date=member.birth,
        nik=nik,
        phone=phone,
        smoker=_smoker(rng, member.sex, age),
        has_buku_kia=(rng.random() < 0.88) if age < 6 else None,
        created_by=site.kader_user,
    )


def _smoker(rng: random.Random, sex: str, age: float) -> bool | None:
    """Return smoking status: about 60 % of adult men smoke (Riskesdas), few women; some unknown."""
    if age < 15 or rng.random() < 0.12:
        return None
    share = (0.25 if age < 19 else 0.62) if sex == "M" else 0.02
    return rng.random() < share
