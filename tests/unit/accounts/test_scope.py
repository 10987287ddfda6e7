"""Access follows the jejaring: each persona sees the persons of exactly her posyandu set."""

import pytest

from posyandu.accounts.scope import area_posyandu_for, posyandu_for

EXPECTED = {
    "kader_sari": {"Melati"},
    "bidan_rina": {"Melati", "Mawar"},
    "puskesmas_admin": {"Melati", "Mawar", "Anggrek"},
    "dinkes_analyst": {"Melati", "Mawar", "Anggrek", "Kenanga"},
    "desa_official": set(),
    "outsider": {"Kenanga"},
}


@pytest.mark.parametrize(("persona", "names"), EXPECTED.items())
def test_posyandu_for_persona_follows_jejaring(jejaring, persona, names):
    assert {f.name for f in posyandu_for(jejaring.user(persona))} == names


def test_area_posyandu_for_desa_official_is_her_village(jejaring):
    names = {f.name for f in area_posyandu_for(jejaring.user("desa_official"))}
    assert names == {"Melati", "Mawar"}


def test_posyandu_for_user_without_membership_is_empty(jejaring, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x")
    assert not posyandu_for(stranger).exists()
