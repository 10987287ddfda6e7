"""Rollups stay live and agree with a direct count: after writes, after refresh, after rebuild."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from posyandu.core.indicators import indicator_rules, indicators_for_month
from posyandu.pws import services
from posyandu.pws.mappers import posyandu_facts
from posyandu.pws.models import MonthlyRollup
from posyandu.pws.services import recent_months, rollup_rebuild, rollup_refresh
from posyandu.registry.models import Person
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceGiven, Visit
from tests.factories import PersonFactory
from tests.unit.pws.facts import (
    adult,
    child,
    months_ago,
    pregnancy,
    referral,
    service_day,
    this_month,
    weigh,
)

pytestmark = pytest.mark.django_db


def _rows(posyandu, month=None):
    rows = MonthlyRollup.objects.filter(posyandu=posyandu)
    if month is not None:
        rows = rows.filter(month=month)
    return {
        (r.month, r.indicator): (r.numerator, r.denominator, tuple(r.values), r.rules_version)
        for r in rows
    }


def _direct(posyandu, month):
    rules = indicator_rules(month)
    facts = posyandu_facts(posyandu)
    tallies = indicators_for_month(facts.persons, month, rules, service_days=facts.service_days)
    return {code: t[:2] for code, t in tallies.items() if t.numerator or t.denominator}


def _service_day_writes(jejaring):
    """A posyandu day: weighings (one up, one flat, one new), a pregnancy and a referral."""
    melati, last, now = jejaring.melati, months_ago(1), this_month().replace(day=2)
    up, flat, new = (child(melati, n) for n in ("Ani", "Banu", "Cici"))
    weigh(up, last, "9.0")
    weigh(up, now, "9.4")
    weigh(flat, last, "10.0")
    weigh(flat, now, "10.0")
    weigh(new, now, "9.6")
    child(melati, "Dodi")  # not weighed
    mother = adult(melati, "Eka")
    pregnancy(mother, now)
    referral(flat, now, jejaring.pustu)
    day = service_day(melati, now)
    Visit.objects.create(person=up, posyandu=melati, service_day=day, date=now)
    ImmunizationGiven.objects.create(person=up, vaccine="mr1", date=months_ago(5))
    ServiceGiven.objects.create(person=mother, code="ttd_pregnancy", date=now, quantity=30)
    # Adolescents: a girl of 14 with Hb 11.0 (anaemic: cut-off 12.0) given TTD rematri, and a
    # boy of 16 with Hb 14.0 (not anaemic: cut-off 13.0), both measured for weight and height.
    girl, boy = adult(melati, "Fitri", years=14), adult(melati, "Gilang", years=16, sex="M")
    weigh(girl, now, "40.0", lenhei_cm=Decimal("150.0"), measure="h", hb_g_dl=Decimal("11.0"))
    weigh(boy, now, "50.0", lenhei_cm=Decimal("165.0"), measure="h", hb_g_dl=Decimal("14.0"))
    ServiceGiven.objects.create(person=girl, code="ttd_rematri", date=now, quantity=4)


def test_rollup_equals_direct_count_after_service_writes(
    jejaring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _service_day_writes(jejaring)
    month = this_month()
    stored = {code: v[:2] for (_, code), v in _rows(jejaring.melati, month).items()}
    assert stored == _direct(jejaring.melati, month)
    assert stored["d_s"] == (3, 4)
    assert (stored["n"], stored["t"], stored["b"]) == ((1, 0), (1, 0), (1, 0))
    assert stored["bumil"] == (1, 0)
    assert stored["bumil_ttd"] == (1, 0)
    assert stored["service_days"] == (1, 0)
    assert stored["served"] == (1, 0)
    assert stored["cov_mr1"] == (1, 4)  # Ani, Banu, Cici and Dodi are 20 months old
    assert stored["cov_hb_remaja"] == (2, 2)
    assert stored["prev_anaemia_remaja"] == (1, 2)
    assert stored["cov_ttd_rematri"] == (1, 1)
    assert stored["cov_screen_7_15"] == (1, 1)  # the boy of 16 is past 15


def test_facts_are_counted_for_their_own_posyandu_only(
    jejaring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _service_day_writes(jejaring)
    assert not MonthlyRollup.objects.filter(posyandu=jejaring.mawar).exists()


def test_refresh_is_idempotent(jejaring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _service_day_writes(jejaring)
    before = _rows(jejaring.melati)
    rollup_refresh(posyandu=jejaring.melati, month=this_month())
    rollup_refresh(posyandu=jejaring.melati, month=this_month())
    assert _rows(jejaring.melati) == before


def test_rebuild_gives_identical_rows(jejaring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _service_day_writes(jejaring)
    live = _rows(jejaring.melati)
    MonthlyRollup.objects.all().delete()
    rollup_rebuild(months=recent_months(this_month()))
    assert _rows(jejaring.melati) == live
    assert (months_ago(1).replace(day=1), "d") in live  # last month was refreshed too


def test_one_refresh_per_posyandu_per_transaction(
    jejaring, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    real = services.rollup_refresh_months
    monkeypatch.setattr(
        services,
        "rollup_refresh_months",
        lambda **kw: calls.append(kw["posyandu"].name) or real(**kw),
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _service_day_writes(jejaring)
    assert calls == ["Melati"]


def _weigh_then_fail(kid):
    with transaction.atomic():
        weigh(kid, this_month(), "9.0")
        raise RuntimeError("the service failed half-way")


def test_a_rolled_back_write_refreshes_nothing_and_the_next_one_does(
    jejaring, django_capture_on_commit_callbacks
):
    kid = child(jejaring.melati, "Fani")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError, match="half-way"):
            _weigh_then_fail(kid)
        assert not MonthlyRollup.objects.exists()
        with transaction.atomic():
            weigh(kid, this_month(), "9.1")
    assert _rows(jejaring.melati, this_month())[(this_month(), "d")][:2] == (1, 0)


def test_a_correction_replaces_the_weighing_it_supersedes(
    jejaring, django_capture_on_commit_callbacks
):
    kid = child(jejaring.melati, "Gita")
    with django_capture_on_commit_callbacks(execute=True):
        weigh(kid, months_ago(1), "9.0")
        wrong = weigh(kid, this_month(), "9.0")
    assert _rows(jejaring.melati, this_month())[(this_month(), "t")][:2] == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        weigh(kid, this_month(), "9.5", supersedes=wrong)
    stored = _rows(jejaring.melati, this_month())
    assert (this_month(), "t") not in stored
    assert stored[(this_month(), "n")][:2] == (1, 0)


def test_deleting_a_weighing_refreshes(jejaring, django_capture_on_commit_callbacks):
    kid = child(jejaring.melati, "Hana")
    with django_capture_on_commit_callbacks(execute=True):
        weighing = weigh(kid, this_month(), "9.0")
    with django_capture_on_commit_callbacks(execute=True):
        weighing.delete()
    assert (this_month(), "d") not in _rows(jejaring.melati, this_month())


def test_person_edits_refresh_only_when_a_counted_field_changes(
    jejaring, django_capture_on_commit_callbacks
):
    kid = child(jejaring.melati, "Indah")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kid.phone = "0812"
        kid.save()
    assert callbacks == []
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        kid.has_buku_kia = True
        kid.save()
    assert len(callbacks) == 1
    assert _rows(jejaring.melati, this_month())[(this_month(), "k")][:2] == (1, 0)


def test_moving_a_person_refreshes_both_posyandu(jejaring, django_capture_on_commit_callbacks):
    kid = child(jejaring.melati, "Joko", sex="M")
    with django_capture_on_commit_callbacks(execute=True):
        weigh(kid, this_month(), "9.0")
    with django_capture_on_commit_callbacks(execute=True):
        kid.posyandu = jejaring.mawar
        kid.save()
    assert (this_month(), "s") not in _rows(jejaring.melati, this_month())
    assert _rows(jejaring.mawar, this_month())[(this_month(), "s")][:2] == (1, 0)


def test_a_merged_duplicate_counts_once_with_the_survivor(
    jejaring, django_capture_on_commit_callbacks
):
    survivor = child(jejaring.melati, "Kiki")
    duplicate = child(jejaring.melati, "Kiki (dobel)")
    with django_capture_on_commit_callbacks(execute=True):
        weigh(duplicate, this_month(), "9.0")
        duplicate.merged_into = survivor
        duplicate.save()
    stored = _rows(jejaring.melati, this_month())
    assert stored[(this_month(), "s")][:2] == (1, 0)
    assert stored[(this_month(), "d")][:2] == (1, 0)


def test_bulk_create_fires_no_refresh_until_rebuild(jejaring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Person.objects.bulk_create([PersonFactory.build(posyandu=jejaring.melati)])
    assert callbacks == []
    call_command("pws_rebuild", months=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _rows(jejaring.melati, this_month())[(this_month(), "s")][:2] == (1, 0)


def test_refresh_reads_a_fixed_number_of_queries(jejaring, django_assert_max_num_queries):
    for n in range(10):
        kid = child(jejaring.melati, f"Anak {n}")
        Measurement.objects.bulk_create([Measurement(person=kid, date=this_month(), weight_kg=9)])
    # The facts (eight reads), then in one transaction the lock (PostgreSQL), the posyandu
    # rows and its four regions' rows: each read once, and written where they changed.
    with django_assert_max_num_queries(16):
        rollup_refresh(posyandu=jejaring.melati, month=this_month())


def test_pws_rebuild_rejects_a_bad_month():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("pws_rebuild", until="11/2026")


def test_a_failed_refresh_leaves_the_previous_rollup_whole(
    jejaring, django_capture_on_commit_callbacks, monkeypatch
):
    kid = child(jejaring.melati, "Lala")
    with django_capture_on_commit_callbacks(execute=True):
        weighing = weigh(kid, this_month(), "9.0")
    before = _rows(jejaring.melati)
    Measurement.objects.filter(pk=weighing.pk).delete()  # D would drop to zero: its row goes

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(MonthlyRollup.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError, match="went away"):
        rollup_refresh(posyandu=jejaring.melati, month=this_month())
    assert _rows(jejaring.melati) == before  # the stale-row delete was rolled back too


def test_paused_rollups_refresh_nothing_until_rebuild(jejaring, django_capture_on_commit_callbacks):
    from posyandu.pws.signals import rollups_paused

    with rollups_paused(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        weigh(child(jejaring.melati, "Mira"), this_month(), "9.0")
    assert callbacks == []
    rollup_rebuild(months=[this_month()])
    assert _rows(jejaring.melati, this_month())[(this_month(), "d")][:2] == (1, 0)
