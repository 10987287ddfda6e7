"""CSV downloads of the PWS: a file name a browser saves as it is, whatever the place's name."""

from __future__ import annotations

import pytest
from django.utils import timezone

from posyandu.pws.views.common import csv_response


def test_csv_name_is_a_slug_of_what_the_page_asked_for():
    response = csv_response('pws-"D/S" Śrī; 2026-05.csv', ["a"], [["1"]])
    assert response["Content-Disposition"] == 'attachment; filename="pws-ds-sri-2026-05.csv"'


@pytest.mark.django_db
def test_summary_csv_keeps_its_name(client, jejaring):
    month = f"{timezone.localdate():%Y-%m}"
    client.force_login(jejaring.user("desa_official"))
    response = client.get(f"/pws/ringkasan.csv?bulan={month}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pws-ringkasan-{month}.csv"'
