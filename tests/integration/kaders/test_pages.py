"""Kader registry pages: the list, one kader, registering, gaps per posyandu."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from posyandu.kaders.models import CompetencyRecord, Kader
from tests.unit.kaders.factories import CompetencyRecordFactory, KaderFactory


def _login(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    return client


def test_kader_list_shows_competency_counts_per_posyandu(client, jejaring):
    sari = KaderFactory(posyandu=jejaring.melati, name="Sari Wulandari")
    CompetencyRecordFactory(kader=sari, competency="bayi_balita.pertumbuhan")
    KaderFactory(posyandu=jejaring.kenanga, name="Kader Jauh")
    text = _login(client, jejaring, "kader_sari").get("/kader/").content.decode()
    assert "Sari Wulandari" in text
    assert "1/25" in text
    assert "Kader Jauh" not in text
    assert "/kader/baru/" not in text  # a kader reads, does not register


def test_kader_list_offers_registration_to_bidan(client, jejaring):
    text = _login(client, jejaring, "bidan_rina").get("/kader/").content.decode()
    assert "/kader/baru/" in text


@pytest.mark.parametrize("path", ["/kader/", "/kader/kesenjangan/", "/kader/baru/"])
def test_kader_pages_refused_to_desa_official(client, jejaring, path):
    assert _login(client, jejaring, "desa_official").get(path).status_code == 403


def test_kader_register_page_saves_a_kader(client, jejaring):
    key = uuid.uuid4()
    response = _login(client, jejaring, "bidan_rina").post(
        "/kader/baru/",
        {"uuid": str(key), "posyandu": str(jejaring.melati.uuid), "name": "Dewi", "phone": "0812"},
    )
    assert response.status_code == 302
    assert Kader.objects.get(uuid=key).posyandu == jejaring.melati


def test_kader_register_page_refused_to_kader(client, jejaring):
    assert _login(client, jejaring, "kader_sari").get("/kader/baru/").status_code == 403


def test_kader_detail_shows_status_per_competency_and_form_to_bidan(client, jejaring):
    kader = KaderFactory(posyandu=jejaring.melati, name="Sari")
    CompetencyRecordFactory(kader=kader, competency="dewasa_lansia.skrining_lansia")
    text = _login(client, jejaring, "bidan_rina").get(f"/kader/{kader.uuid}/").content.decode()
    assert "Melakukan skrining fungsional lansia" in text
    assert "Usia dewasa dan lansia" in text
    assert 'name="competency"' in text


def test_kader_detail_has_no_form_for_the_kader_herself(client, jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    text = _login(client, jejaring, "kader_sari").get(f"/kader/{kader.uuid}/").content.decode()
    assert kader.name in text
    assert 'name="competency"' not in text
    response = client.post(f"/kader/{kader.uuid}/", {"competency": "remaja.gizi"})
    assert response.status_code == 403


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("desa_official", 403)])
def test_kader_detail_outside_scope_is_not_found_or_refused(client, jejaring, persona, status):
    kader = KaderFactory(posyandu=jejaring.melati)
    response = _login(client, jejaring, persona).get(f"/kader/{kader.uuid}/")
    assert response.status_code == status
    assert kader.name not in response.content.decode()


def test_bidan_adds_an_assessment_on_the_detail_page(client, jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    key = uuid.uuid4()
    response = _login(client, jejaring, "bidan_rina").post(
        f"/kader/{kader.uuid}/",
        {
            "uuid": str(key),
            "competency": "remaja.gizi",
            "kind": "assessed",
            "date": timezone.localdate().isoformat(),
            "by": "Bidan Rina",
            "passed": "1",
        },
    )
    assert response.status_code == 302
    assert CompetencyRecord.objects.get(uuid=key).passed is True


def test_bidan_certifies_a_tier(client, jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    response = _login(client, jejaring, "bidan_rina").post(
        f"/kader/{kader.uuid}/tingkat/", {"tier": "madya"}
    )
    assert response.status_code == 302
    kader.refresh_from_db()
    assert kader.tier == "madya"


def test_gaps_page_names_missing_competency_per_posyandu(client, jejaring):
    sari = KaderFactory(posyandu=jejaring.melati, tier="purwa")
    CompetencyRecordFactory(kader=sari, competency="bayi_balita.pertumbuhan")
    text = _login(client, jejaring, "bidan_rina").get("/kader/kesenjangan/").content.decode()
    sections = {part.split("</h2>")[0]: part for part in text.split('<section class="card">')[1:]}
    melati = next(body for head, body in sections.items() if "Melati" in head)
    mawar = next(body for head, body in sections.items() if "Mawar" in head)
    assert "Melakukan skrining fungsional lansia (SKILAS, AKS)" in melati
    assert "Memantau pertumbuhan" not in melati  # Sari is competent there
    assert "Memantau pertumbuhan" in mawar


@pytest.mark.parametrize("path", ["/kader/", "/kader/kesenjangan/"])
def test_kader_pages_query_count_is_constant(client, jejaring, django_assert_max_num_queries, path):
    _login(client, jejaring, "bidan_rina")
    for _ in range(3):
        CompetencyRecordFactory(kader=KaderFactory(posyandu=jejaring.melati))
    with django_assert_max_num_queries(12) as small:
        assert client.get(path).status_code == 200
    for _ in range(17):
        CompetencyRecordFactory(kader=KaderFactory(posyandu=jejaring.melati))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(path)
