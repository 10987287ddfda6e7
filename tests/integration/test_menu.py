"""The main menu: each role sees the sections it may open, and every link it sees opens."""

import re

import pytest

pytestmark = pytest.mark.django_db

MENU = re.compile(r'<nav[^>]*aria-label="Menu utama"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a[^>]*href="([^"]+)"')

# Written out per role on purpose (a table, not the menu's own rules): the menu in the order
# shown, the personal sections first, then the aggregate ones.
DAY, PEOPLE, REFERRALS, HOMES, KADER = (
    "/hari-buka/",
    "/warga/",
    "/rujukan/",
    "/kunjungan-rumah/",
    "/kader/",
)
OFFLINE, REVIEW, PWS, REPORTS, POKJANAL = (
    "/luring/",
    "/sinkron/tinjau/",
    "/pws/",
    "/laporan/",
    "/pokjanal/",
)
NAKES_MENU = [DAY, PEOPLE, REFERRALS, HOMES, KADER, OFFLINE, REVIEW, PWS, REPORTS]
EXPECTED = {
    "kader_sari": [DAY, PEOPLE, REFERRALS, HOMES, KADER, OFFLINE, PWS, REPORTS],
    "bidan_rina": NAKES_MENU,
    "puskesmas_admin": [*NAKES_MENU, POKJANAL],
    "dinkes_analyst": [DAY, PEOPLE, REFERRALS, KADER, PWS, REPORTS, POKJANAL],
    "desa_official": [PWS, REPORTS, POKJANAL],
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_role_sees_its_sections_and_every_one_opens(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    page = client.get("/pws/").content.decode()
    links = LINK.findall(MENU.search(page).group(1))
    assert links == EXPECTED[persona]
    for link in links:
        assert client.get(link).status_code == 200, link
