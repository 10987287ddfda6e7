"""The named personas of the test suite, placed in a small jejaring (pytest plugin).

Kabupaten Contoh (52.01)
├── Kecamatan Sukamaju (52.01.01): Puskesmas Sukamaju  ← puskesmas_admin
│   ├── Desa Sukamaju (52.01.01.2001): Pustu Sukamaju  ← bidan_rina; desa_official
│   │   ├── Posyandu Melati                            ← kader_sari
│   │   └── Posyandu Mawar
│   └── Desa Sukasari (52.01.01.2002): Pustu Sukasari
│       └── Posyandu Anggrek
└── Kecamatan Jauh (52.01.02): Puskesmas Jauh
    └── Desa Jauh (52.01.02.2001): Pustu Jauh
        └── Posyandu Kenanga                           ← outsider (a kader elsewhere)
dinkes_analyst: the whole kabupaten.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User

from posyandu.accounts.models import Membership
from posyandu.regions.models import Facility, Region
from tests.factories import PersonFactory, UserFactory

PASSWORD = "posyandu-test"


@dataclass
class Jejaring:
    kabupaten: Region
    desa_sukamaju: Region
    puskesmas: Facility
    pustu: Facility
    melati: Facility
    mawar: Facility
    anggrek: Facility
    kenanga: Facility
    users: dict[str, User]

    def user(self, persona: str) -> User:
        return self.users[persona]


def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    return Region.objects.create(code=code, name=name, level=level, parent=parent)


def _facility(kind: str, name: str, region: Region, parent: Facility | None) -> Facility:
    return Facility.objects.create(kind=kind, name=name, region=region, parent=parent)


def _member(username: str, role: str, **place: object) -> User:
    user = UserFactory(username=username)
    Membership.objects.create(user=user, role=role, **place)
    return user


def build_jejaring() -> Jejaring:
    """Create the regions, facilities and persona users drawn in the module docstring."""
    prov = _region("52", "Nusa Tenggara Barat", "province", None)
    kab = _region("52.01", "Kabupaten Contoh", "kabupaten", prov)
    kec = _region("52.01.01", "Sukamaju", "kecamatan", kab)
    kec_far = _region("52.01.02", "Jauh", "kecamatan", kab)
    desa = _region("52.01.01.2001", "Sukamaju", "desa", kec)
    desa2 = _region("52.01.01.2002", "Sukasari", "desa", kec)
    desa_far = _region("52.01.02.2001", "Jauh", "desa", kec_far)
    pkm = _facility("puskesmas", "Sukamaju", kec, None)
    pustu = _facility("pustu", "Sukamaju", desa, pkm)
    pustu2 = _facility("pustu", "Sukasari", desa2, pkm)
    pkm_far = _facility("puskesmas", "Jauh", kec_far, None)
    pustu_far = _facility("pustu", "Jauh", desa_far, pkm_far)
    melati = _facility("posyandu", "Melati", desa, pustu)
    mawar = _facility("posyandu", "Mawar", desa, pustu)
    anggrek = _facility("posyandu", "Anggrek", desa2, pustu2)
    kenanga = _facility("posyandu", "Kenanga", desa_far, pustu_far)
    users = {
        "kader_sari": _member("kader_sari", "kader", facility=melati),
        "bidan_rina": _member("bidan_rina", "bidan", facility=pustu),
        "puskesmas_admin": _member("puskesmas_admin", "puskesmas", facility=pkm),
        "dinkes_analyst": _member("dinkes_analyst", "dinkes", region=kab),
        "desa_official": _member("desa_official", "desa", region=desa),
        "outsider": _member("outsider", "kader", facility=kenanga),
    }
    return Jejaring(kab, desa, pkm, pustu, melati, mawar, anggrek, kenanga, users)


@pytest.fixture
def jejaring(db: None) -> Jejaring:
    """The persona jejaring (see module docstring)."""
    return build_jejaring()


@pytest.fixture
def people(jejaring: Jejaring) -> dict[str, object]:
    """One named person at each posyandu."""
    return {
        "melati": PersonFactory(posyandu=jejaring.melati, name="Ayu Melati"),
        "mawar": PersonFactory(posyandu=jejaring.mawar, name="Budi Mawar", sex="M"),
        "anggrek": PersonFactory(posyandu=jejaring.anggrek, name="Citra Anggrek"),
        "kenanga": PersonFactory(posyandu=jejaring.kenanga, name="Dewi Kenanga"),
    }
