"""When `posyandu demo` refuses, and that the same seed gives the same kabupaten."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction

from posyandu.accounts.models import Membership
from posyandu.demo.build import load_demo
from posyandu.demo.scale import SCALES
from posyandu.pws.models import MonthlyRollup
from posyandu.registry.models import Person
from posyandu.visits.models import Measurement

pytestmark = pytest.mark.django_db
AS_OF = "2026-11-23"


def _demo(**options: object) -> str:
    out = io.StringIO()
    call_command("demo", scale="small", as_of=AS_OF, stdout=out, **options)
    return out.getvalue()


def test_demo_refuses_when_demo_mode_is_off(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="POSYANDU_DEBUG"):
        _demo()
    assert not Person.objects.exists()


def test_demo_refuses_a_database_with_other_people_unless_forced(people):
    with pytest.raises(CommandError, match="already holds 4 persons"):
        _demo()
    assert Person.objects.count() == 4
    assert "Loaded the demo" in _demo(force=True)
    assert Person.objects.count() > 400


def test_demo_refuses_a_bad_reference_date():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("demo", scale="small", as_of="23/11/2026", stdout=io.StringIO())


def test_demo_places_logins_left_by_an_older_demo():
    # The first demo command made logins without a place in the jejaring.
    User.objects.create_user("kader_sari", password="posyandu-demo")
    _demo()
    membership = Membership.objects.get(user__username="kader_sari")
    assert (membership.role, membership.facility.name) == ("kader", "Melati")


def test_demo_restart_adds_missing_pws_rollups():
    load_demo(scale=SCALES["small"], seed=1, as_of=dt.date.fromisoformat(AS_OF))
    assert not MonthlyRollup.objects.exists()
    out = _demo()
    assert "already loaded" in out
    assert "PWS rollups" in out
    assert MonthlyRollup.objects.exists()


def _snapshot() -> list[tuple[object, ...]]:
    people = Person.objects.order_by("uuid").values_list("uuid", "name", "birth_date", "nik")
    weights = Measurement.objects.order_by("uuid").values_list("uuid", "date", "weight_kg")
    return [*people, *weights]


def test_demo_same_seed_gives_the_same_kabupaten():
    snapshots = []
    for seed in (7, 7, 8):
        saved = transaction.savepoint()
        load_demo(scale=SCALES["small"], seed=seed, as_of=dt.date.fromisoformat(AS_OF))
        snapshots.append(_snapshot())
        transaction.savepoint_rollback(saved)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0] != snapshots[2]
