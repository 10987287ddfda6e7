"""A long referral list is cut to the most pressing ones, and says so."""

import datetime as dt

from django.utils import timezone

from posyandu.referrals.models import Referral
from posyandu.referrals.views import LIST_LIMIT
from tests.factories import PersonFactory


def test_referral_list_shows_the_first_ones_and_the_total(client, jejaring):
    person = PersonFactory(posyandu=jejaring.melati, name="Anak Rujukan")
    today = timezone.localdate()
    Referral.objects.bulk_create(
        Referral(
            person=person,
            from_facility=jejaring.melati,
            to_facility=jejaring.pustu,
            reasons=["bp.high"],
            issued_on=today - dt.timedelta(days=n % 30),
        )
        for n in range(LIST_LIMIT + 5)
    )
    client.force_login(jejaring.user("bidan_rina"))
    text = client.get("/rujukan/").content.decode()
    assert text.count("Anak Rujukan") == LIST_LIMIT
    assert f"{LIST_LIMIT + 5}" in text
