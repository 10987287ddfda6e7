"""The main menu: each role sees the sections it may open, and every link it sees opens."""

import re

import pytest

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav[^>]*aria-label="Menu utama"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a[^>]*href="([^"]+)"')

EXPECTED = {
    "kader_sari": [
        "/hari-buka/",
        "/warga/",
        "/rujukan/",
        "/kunjungan-rumah/",
        "/kader/",
        "/luring/",
        "/pws/",
        "/laporan/",
    ],
    "bidan_rina": [
        "/hari-buka/",
        "/warga/",
        "/rujukan/",
        "/kunjungan-rumah/",
        "/kader/",
        "/luring/",
        "/sinkron/tinjau/",
        "/pws/",
        "/laporan/",
    ],
    "puskesmas_admin": [
        "/hari-buka/",
        "/warga/",
        "/rujukan/",
        "/kunjungan-rumah/",
        "/kader/",
        "/luring/",
        "/sinkron/tinjau/",
        "/pws/",
        "/laporan/",
        "/pokjanal/",
    ],
    "dinkes_analyst": [
        "/hari-buka/",
        "/warga/",
        "/rujukan/",
        "/kader/",
        "/pws/",
        "/laporan/",
        "/pokjanal/",
    ],
    "desa_official": ["/pws/", "/laporan/", "/pokjanal/"],
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_sees_its_sections_and_every_one_opens(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    page = client.get("/pws/").content.decode()
    links = LINK.findall(MENU.search(page).group(1))
    assert links == EXPECTED[persona]
    for link in links:
        assert client.get(link).status_code == 200, link
