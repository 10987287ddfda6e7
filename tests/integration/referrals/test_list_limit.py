"""A long referral list is split into pages, the most pressing referrals on the first."""

import datetime as dt

from django.utils import timezone

from posyandu.referrals.models import Referral
from posyandu.referrals.views import PAGE_SIZE
from tests.factories import PersonFactory


def _many(jejaring, count, name, urgency=Referral.Urgency.ROUTINE, days_ago=0):
    person = PersonFactory(posyandu=jejaring.melati, name=name)
    today = timezone.localdate()
    Referral.objects.bulk_create(
        Referral(
            person=person,
            from_facility=jejaring.melati,
            to_facility=jejaring.pustu,
            reasons=["bp.high"],
            urgency=urgency,
            issued_on=today - dt.timedelta(days=days_ago + n % 30),
        )
        for n in range(count)
    )


def test_referral_list_pages_through_every_referral_most_pressing_first(client, jejaring):
    _many(jejaring, PAGE_SIZE + 5, "Anak Rutin")
    _many(jejaring, 3, "Anak Gawat", urgency=Referral.Urgency.URGENT)
    client.force_login(jejaring.user("bidan_rina"))

    first = client.get("/rujukan/").content.decode()
    second = client.get("/rujukan/?halaman=2").content.decode()

    assert first.count("Anak Gawat") == 3  # urgent ones lead the first page
    assert first.count("Anak Rutin") == PAGE_SIZE - 3
    assert second.count("Anak Rutin") == 8
    assert "Anak Gawat" not in second
    assert f"Halaman 1 dari 2 ({PAGE_SIZE + 8} seluruhnya)" in first
    assert 'href="?halaman=2"' in first
    assert 'href="?halaman=1"' in second


def test_referral_list_out_of_range_page_shows_the_last_page(client, jejaring):
    _many(jejaring, 4, "Anak Rutin")
    client.force_login(jejaring.user("bidan_rina"))
    for page in ("99", "abc", "-1"):
        response = client.get(f"/rujukan/?halaman={page}")
        assert response.status_code == 200
        assert response.content.decode().count("Anak Rutin") == 4
