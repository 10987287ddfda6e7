"""Region rollups: each is the sum of its posyandu rollups, kept live, rebuilt alike, read alike."""

import datetime as dt
import importlib
import threading
import time
from collections import defaultdict

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posyandu.core.indicators import Tally
from posyandu.pws import levels, services
from posyandu.pws.models import MonthlyRollup, RegionRollup
from posyandu.pws.selectors import area_trend, pws_area, rules_for_month
from posyandu.pws.services import region_rollup_rebuild, rollup_rebuild, rollup_refresh
from posyandu.pws.signals import rollups_paused
from posyandu.regions.models import Facility, Region
from tests.unit.pws.facts import child, months_ago, referral, this_month, weigh

pytestmark = pytest.mark.django_db
LENGTHS = dict(levels.REGION_LEVELS)


def _summed_by_hand():
    """Sum every posyandu row into each region level by its code, as a reader would expect."""
    sums = defaultdict(lambda: [0, 0, []])
    for r in MonthlyRollup.objects.select_related("posyandu__region"):
        for level, length in LENGTHS.items():
            key = (level, r.posyandu.region.code[:length], r.month, r.indicator)
            sums[key][0] += r.numerator
            sums[key][1] += r.denominator
            sums[key][2] += r.values
    return {key: (num, den, sorted(values)) for key, (num, den, values) in sums.items()}


def _stored():
    return {
        (r.level, r.region_code, r.month, r.indicator): (r.numerator, r.denominator, r.values)
        for r in RegionRollup.objects.all()
    }


def _answered(person, days, to):
    """A referral issued this month and answered `days` later (a median value)."""
    issued = this_month().replace(day=1)
    ref = referral(person, issued, to)
    ref.feedback_at = timezone.make_aware(dt.datetime.combine(issued, dt.time(9)))
    ref.feedback_at += dt.timedelta(days=days)
    ref.save()


def _writes(jejaring):
    """Weighings at posyandu of two desa of one kecamatan and of another kecamatan, with
    answered referrals in two posyandu (the feedback days median)."""
    now = this_month().replace(day=2)
    for place, names in (
        (jejaring.melati, ("Ani", "Banu")),
        (jejaring.mawar, ("Cici",)),
        (jejaring.anggrek, ("Dodi",)),
        (jejaring.kenanga, ("Eka",)),
    ):
        for name in names:
            kid = child(place, name)
            weigh(kid, months_ago(1), "9.0")
            weigh(kid, now, "9.4")
    _answered(child(jejaring.melati, "Fani"), 3, jejaring.pustu)
    _answered(child(jejaring.mawar, "Gita"), 10, jejaring.pustu)


def test_region_rows_are_the_sum_of_their_posyandu_after_live_writes(
    jejaring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _writes(jejaring)
    stored = _stored()
    assert stored == _summed_by_hand()
    month = this_month()
    # The village sums its two posyandu; the kecamatan two villages; the kabupaten both.
    assert stored["desa", "52.01.01.2001", month, "d"][:2] == (3, 0)
    assert stored["kecamatan", "52.01.01", month, "d"][:2] == (4, 0)
    assert stored["kabupaten", "52.01", month, "d"][:2] == (5, 0)
    assert stored["province", "52", month, "d"][:2] == (5, 0)
    # Medians keep every value, merged and sorted, not an average of medians.
    assert stored["desa", "52.01.01.2001", month, "ref_feedback_days"] == (13, 2, [3, 10])


def test_a_rebuild_writes_the_region_rows_the_live_refresh_wrote(
    jejaring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _writes(jejaring)
    live = _stored()
    RegionRollup.objects.all().delete()
    rollup_rebuild(months=services.recent_months(this_month(), 2))
    assert _stored() == live
    RegionRollup.objects.all().delete()
    call_command("pws_rebuild", months=2, regions_only=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _stored() == live


def test_the_data_migration_sums_as_the_live_refresh(jejaring, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _writes(jejaring)
    live = _stored()
    RegionRollup.objects.all().delete()
    migration = importlib.import_module("posyandu.pws.migrations.0003_sum_region_rollups")
    migration.sum_region_rollups(apps, None)
    assert _stored() == live


def test_an_indicator_back_at_zero_leaves_no_region_row(
    jejaring, django_capture_on_commit_callbacks
):
    kid = child(jejaring.kenanga, "Hana")
    with django_capture_on_commit_callbacks(execute=True):
        weighing = weigh(kid, this_month(), "9.0")
    assert ("kabupaten", "52.01", this_month(), "d") in _stored()
    with django_capture_on_commit_callbacks(execute=True):
        weighing.delete()
    assert ("kabupaten", "52.01", this_month(), "d") not in _stored()
    assert _stored() == _summed_by_hand()


def test_a_posyandu_placed_in_a_kecamatan_counts_in_it_and_above(
    jejaring, django_capture_on_commit_callbacks
):
    kecamatan = Region.objects.get(code="52.01.01")
    odd = Facility.objects.create(
        kind="posyandu", name="Dahlia", region=kecamatan, parent=jejaring.puskesmas
    )
    with django_capture_on_commit_callbacks(execute=True):
        weigh(child(odd, "Ika"), this_month(), "9.0")
        weigh(child(jejaring.melati, "Joko"), this_month(), "9.0")
    stored = _stored()
    assert stored == _summed_by_hand()
    assert stored["kecamatan", "52.01.01", this_month(), "d"][:2] == (2, 0)
    assert stored["desa", "52.01.01.2001", this_month(), "d"][:2] == (1, 0)


def test_a_posyandu_moved_to_another_desa_takes_its_numbers_along(
    jejaring, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _writes(jejaring)
    month, sukamaju = this_month(), jejaring.melati.region
    kenanga, left = jejaring.kenanga, jejaring.kenanga.region.code
    assert left.startswith("52.01.02")
    assert _desa_d(sukamaju.code) == 3  # Melati (2 weighed) and Mawar (1)
    # Kenanga, alone in its desa of another kecamatan, moves into Sukamaju.
    with django_capture_on_commit_callbacks(execute=True):
        kenanga.region = sukamaju
        kenanga.save()
    stored = _stored()
    assert stored == _summed_by_hand()
    assert _desa_d(sukamaju.code) == 4
    # Its old desa and kecamatan (Jauh) have no posyandu left, so no rows; the kabupaten the same.
    assert not any(code.startswith("52.01.02") for _level, code, *_ in stored)
    assert stored["kabupaten", "52.01", month, "d"][:2] == (5, 0)
    # Back again: the same numbers as before the move.
    with django_capture_on_commit_callbacks(execute=True):
        kenanga.region = Region.objects.get(code=left)
        kenanga.save()
    assert _stored() == _summed_by_hand()
    assert _desa_d(sukamaju.code) == 3


def _desa_d(desa: str) -> int:
    rows = RegionRollup.objects.filter(level="desa", region_code=desa, month=this_month())
    row = rows.filter(indicator="d").first()
    return 0 if row is None else row.numerator


def test_a_refresh_with_nothing_new_writes_nothing(jejaring):
    weigh(child(jejaring.melati, "Kiki"), this_month(), "9.0")
    rollup_refresh(posyandu=jejaring.melati, month=this_month())
    before = {r.pk: r.computed_at for r in RegionRollup.objects.all()}
    rollup_refresh(posyandu=jejaring.melati, month=this_month())
    assert {r.pk: r.computed_at for r in RegionRollup.objects.all()} == before


@pytest.mark.parametrize("persona", ["desa_official", "dinkes_analyst"])
def test_a_region_reads_what_summing_its_posyandu_gives(
    jejaring, django_capture_on_commit_callbacks, persona
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _writes(jejaring)
    area = pws_area(jejaring.user(persona))
    assert area.region_code is not None
    summed = area.__class__(area.label, area.posyandu, area.names_allowed, area.default_level)
    months = [months_ago(1).replace(day=1), this_month()]
    codes = [d.code for d in rules_for_month(this_month()).definitions]
    read = area_trend(area, months, codes)
    assert read == area_trend(summed, months, codes)
    assert read[this_month(), "d"].tally.numerator > 0
    # The region reads its own rows, not its posyandu's: with those gone it still reads them.
    MonthlyRollup.objects.all().delete()
    assert area_trend(area, months, codes) == read
    assert area_trend(summed, months, codes)[this_month(), "d"].tally.numerator == 0


def test_sum_levels_adds_each_level_from_the_one_below():
    month = dt.date(2026, 11, 1)
    sums = levels.sum_levels(
        [
            ("52.01.01.2001", month, "d", Tally(2, 0)),
            ("52.01.01.2002", month, "d", Tally(1, 0)),
            ("52.01.01", month, "d", Tally(4, 0)),  # a posyandu placed in a kecamatan
        ],
        siblings={"kecamatan": [("52.01.02", month, "d", Tally(10, 0))]},
    )
    assert sums["desa", "52.01.01.2001", month, "d"].numerator == 2
    assert sums["desa", "52.01.01", month, "d"].numerator == 4
    assert sums["kecamatan", "52.01.01", month, "d"].numerator == 7
    assert sums["kabupaten", "52.01", month, "d"].numerator == 17
    assert sums["province", "52", month, "d"].numerator == 17


@pytest.mark.django_db(transaction=True)
def test_two_refreshes_in_one_kabupaten_at_once_both_count(jejaring, monkeypatch):
    """The first refresh stops between reading and writing the region rows; the second waits
    for it (PostgreSQL: the advisory lock) instead of summing without its rows. SQLite has one
    writer at a time (and the test database lives in one connection): there the two run one
    after the other, and must count the same."""
    with rollups_paused():  # the two refreshes below are the first to count them
        weigh(child(jejaring.melati, "Lala"), this_month(), "9.0")
        weigh(child(jejaring.kenanga, "Mira"), this_month(), "9.0")
    real = levels.sum_levels

    def slow(*args, **kwargs):
        if threading.current_thread().name == "first":
            time.sleep(1.0)  # the other refresh runs now, unless it waits for this one
        return real(*args, **kwargs)

    monkeypatch.setattr(levels, "sum_levels", slow)

    def refresh(place):
        try:
            rollup_refresh(posyandu=place, month=this_month())
        finally:
            connection.close()

    if connection.vendor == "postgresql":
        first = threading.Thread(target=refresh, args=(jejaring.melati,), name="first")
        second = threading.Thread(target=refresh, args=(jejaring.kenanga,), name="second")
        first.start()
        time.sleep(0.3)
        second.start()
        first.join()
        second.join()
    else:
        rollup_refresh(posyandu=jejaring.melati, month=this_month())
        rollup_refresh(posyandu=jejaring.kenanga, month=this_month())
    assert _stored()["kabupaten", "52.01", this_month(), "d"][:2] == (2, 0)
    assert _stored() == _summed_by_hand()


def _posyandu_in_another_province(jejaring):
    desa = Region.objects.create(code="53.01.01.2001", name="Desa Lain", level="desa")
    return Facility.objects.create(
        kind="posyandu", name="Teratai", region=desa, parent=jejaring.pustu
    )


@pytest.mark.django_db(transaction=True)
def test_the_rollup_lock_holds_back_only_region_writes_of_its_province(jejaring):
    """While another transaction holds the lock of province 52, a save in province 53 and the
    `--workers` rebuild of a posyandu of 52 (its own rows only) go ahead; a refresh or a
    region rebuild of 52 waits (here: gives up after the lock timeout). SQLite has one writer
    at a time and no advisory locks: there the lock is no statement at all, and the same
    writes one after the other reach the same sums."""
    teratai = _posyandu_in_another_province(jejaring)
    with rollups_paused():
        weigh(child(jejaring.melati, "Oki"), this_month(), "9.0")
        weigh(child(teratai, "Putri"), this_month(), "9.0")
    if connection.vendor != "postgresql":
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            services._lock_province("52.01.01.2001")
        assert [q["sql"] for q in queries if "lock" in q["sql"].lower()] == []
        rollup_refresh(posyandu=teratai, month=this_month())
        services.rebuild_posyandu([jejaring.melati.pk], [this_month()])
        region_rollup_rebuild(months=[this_month()])
        assert _stored()["province", "53", this_month(), "d"][:2] == (1, 0)
        assert _stored() == _summed_by_hand()
        return
    held, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                services._lock_province("52.01.01.2001")
                held.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        rollup_refresh(posyandu=teratai, month=this_month())
        services.rebuild_posyandu([jejaring.melati.pk], [this_month()])
        for blocked in (
            lambda: rollup_refresh(posyandu=jejaring.melati, month=this_month()),
            lambda: region_rollup_rebuild(months=[this_month()]),
        ):
            with pytest.raises(OperationalError, match="lock timeout"):
                blocked()
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    stored = _stored()
    assert stored["province", "53", this_month(), "d"][:2] == (1, 0)
    assert MonthlyRollup.objects.filter(posyandu=jejaring.melati, indicator="d").exists()
    assert not any(code.startswith("52") for _level, code, _m, _i in stored)
    region_rollup_rebuild(months=[this_month()])  # the lock released: it goes ahead
    assert _stored() == _summed_by_hand()


def test_region_rollup_rebuild_empties_a_month_without_posyandu_rows(jejaring):
    weigh(child(jejaring.melati, "Nina"), this_month(), "9.0")
    rollup_refresh(posyandu=jejaring.melati, month=this_month())
    MonthlyRollup.objects.all().delete()
    assert region_rollup_rebuild(months=[this_month()]) == 0
    assert not RegionRollup.objects.exists()
