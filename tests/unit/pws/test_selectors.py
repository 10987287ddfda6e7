"""Dashboard reads: sums up the jejaring from rollups, medians merged, names only in scope."""

import datetime as dt

import pytest

from posyandu.core.indicators import Tally
from posyandu.pws.models import MonthlyRollup
from posyandu.pws.selectors import (
    area_breakdown,
    area_trend,
    pws_area,
    pws_indicator_persons,
    rank,
)
from posyandu.pws.services import region_rollup_rebuild
from tests.unit.pws.facts import child, this_month, weigh

pytestmark = pytest.mark.django_db


def _put(posyandu, code, num, den=0, values=(), month=None):
    MonthlyRollup.objects.create(
        posyandu=posyandu,
        month=month or this_month(),
        indicator=code,
        numerator=num,
        denominator=den,
        values=list(values),
        computed_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        rules_version="test",
    )


@pytest.fixture
def rolled(jejaring):
    _put(jejaring.melati, "d_s", 8, 10)
    _put(jejaring.mawar, "d_s", 2, 10)
    _put(jejaring.anggrek, "d_s", 5, 5)
    _put(jejaring.kenanga, "d_s", 1, 4)
    _put(jejaring.melati, "ref_feedback_days", 3, 2, [1, 2])
    _put(jejaring.mawar, "ref_feedback_days", 30, 1, [30])
    # Rows put directly, as by a bulk load: their region sums made as `pws_rebuild` makes them.
    region_rollup_rebuild(months=[this_month()])
    return jejaring


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("posyandu", {"Melati": (8, 10), "Mawar": (2, 10), "Anggrek": (5, 5), "Kenanga": (1, 4)}),
        ("desa", {"Sukamaju": (10, 20), "Sukasari": (5, 5), "Jauh": (1, 4)}),
        ("pustu", {"Sukamaju": (10, 20), "Sukasari": (5, 5), "Jauh": (1, 4)}),
        ("puskesmas", {"Sukamaju": (15, 25), "Jauh": (1, 4)}),
        ("kabupaten", {"Kabupaten Contoh": (16, 29)}),
    ],
)
def test_breakdown_sums_rollups_up_the_jejaring(rolled, level, expected):
    area = pws_area(rolled.user("dinkes_analyst"))
    groups = area_breakdown(area, this_month(), ["d_s"], level)
    assert {g.name: g.readings["d_s"].tally[:2] for g in groups} == expected


def test_medians_are_merged_from_the_values_not_averaged(rolled):
    area = pws_area(rolled.user("bidan_rina"))
    reading = area_trend(area, [this_month()], ["ref_feedback_days"])[
        this_month(), "ref_feedback_days"
    ]
    assert reading.tally == Tally(33, 3, (1, 2, 30))
    assert reading.value == 2  # the median of 1, 2, 30 (the posyandu medians were 1.5 and 30)


def test_the_area_of_a_desa_official_is_her_village(rolled):
    area = pws_area(rolled.user("desa_official"))
    total = area_trend(area, [this_month()], ["d_s"])[this_month(), "d_s"]
    assert total.tally[:2] == (10, 20)
    assert not area.names_allowed


def test_rank_puts_the_best_first_by_the_target_direction(rolled):
    area = pws_area(rolled.user("dinkes_analyst"))
    groups = rank(area_breakdown(area, this_month(), ["d_s", "prev_stunting"], "posyandu"), "d_s")
    assert [g.name for g in groups] == ["Anggrek", "Melati", "Kenanga", "Mawar"]
    _put(rolled.melati, "prev_stunting", 1, 10)
    _put(rolled.mawar, "prev_stunting", 3, 10)
    groups = area_breakdown(area, this_month(), ["prev_stunting"], "posyandu")
    # Lower stunting is better; places without a measurement come last.
    assert [g.name for g in rank(groups, "prev_stunting")][:2] == ["Melati", "Mawar"]


def test_person_list_is_not_found_for_the_desa_official(rolled):
    found = pws_indicator_persons(
        user=rolled.user("desa_official"),
        code="d_s",
        month=this_month(),
        posyandu_uuid=str(rolled.melati.uuid),
    )
    assert found is None


def test_person_list_is_not_found_outside_the_bidans_pustu(rolled):
    found = pws_indicator_persons(
        user=rolled.user("bidan_rina"),
        code="d_s",
        month=this_month(),
        posyandu_uuid=str(rolled.kenanga.uuid),
    )
    assert found is None


def test_person_list_is_computed_live_and_compared_with_the_rollup(jejaring):
    kid = child(jejaring.melati, "Sari Kecil")
    weigh(kid, this_month(), "9.0")  # no rollup written yet
    found = pws_indicator_persons(
        user=jejaring.user("kader_sari"),
        code="d",
        month=this_month(),
        posyandu_uuid=str(jejaring.melati.uuid),
    )
    assert [line.person.name for line in found.lines] == ["Sari Kecil"]
    assert found.live[:2] == (1, 0)
    assert not found.reconciles  # the stored recap is behind the facts
