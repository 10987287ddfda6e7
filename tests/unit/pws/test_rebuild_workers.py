"""The parallel rebuild (one process per share of the posyandu) writes the same rows as one.

On PostgreSQL the processes really run (their own connections, so the facts are committed:
a transactional test); on SQLite `workers` falls back to this process, with the same rows.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from posyandu.pws.models import MonthlyRollup
from posyandu.pws.services import recent_months, rollup_rebuild
from tests.unit.pws.facts import adult, child, months_ago, pregnancy, this_month, weigh

pytestmark = pytest.mark.django_db(transaction=True)


def _all_rows():
    return {
        (r.posyandu_id, r.month, r.indicator): (r.numerator, r.denominator, tuple(r.values))
        for r in MonthlyRollup.objects.all()
    }


def _facts(jejaring):
    with transaction.atomic():
        for posyandu in (jejaring.melati, jejaring.mawar):
            up, flat = child(posyandu, "Ani"), child(posyandu, "Banu")
            weigh(up, months_ago(1), "9.0")
            weigh(up, this_month(), "9.5")
            weigh(flat, this_month(), "10.0")
        pregnancy(adult(jejaring.melati, "Eka"), this_month())


def test_parallel_rebuild_writes_the_rows_of_a_serial_one(jejaring):
    _facts(jejaring)
    months = recent_months(this_month(), 3)
    MonthlyRollup.objects.all().delete()
    serial_count = rollup_rebuild(months=months)
    serial = _all_rows()
    assert {key[0] for key in serial} == {jejaring.melati.pk, jejaring.mawar.pk}
    MonthlyRollup.objects.all().delete()
    parallel_count = rollup_rebuild(months=months, workers=2)
    assert _all_rows() == serial
    assert parallel_count == serial_count == len(serial)


def test_pws_rebuild_workers_must_be_positive():
    with pytest.raises(CommandError, match="--workers must be at least 1, not 0"):
        call_command("pws_rebuild", workers=0)
