"""The home-visit worklist on a small hand-built posyandu whose answer is known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from posyandu.accounts.scope import membership_of
from posyandu.core.dates import add_months
from posyandu.outreach import selectors, worklist
from tests.factories import PersonFactory
from tests.unit.outreach.factories import (
    HomeVisitFactory,
    MeasurementFactory,
    PregnancyFactory,
    ServiceDayFactory,
    VisitFactory,
    all_vaccines_given,
)

AS_OF = dt.date(2026, 11, 23)
DAY = dt.date(2026, 11, 20)  # the latest posyandu day


def _came(person, day, **values):
    """The person came on `day` and was measured."""
    visit = VisitFactory(person=person, service_day=day, date=day.date)
    MeasurementFactory(person=person, visit=visit, date=day.date, **values)


def _faltering_child(posyandu, day):
    """A girl of 10 months whose weight rose 100 g twice (KBM 300 g): T then T → 2T."""
    child = PersonFactory(posyandu=posyandu, name="Anak Dua T", birth_date=add_months(AS_OF, -10))
    all_vaccines_given(child, child.birth_date + dt.timedelta(days=1))
    for months_back, weight in ((2, "7.50"), (1, "7.60")):
        MeasurementFactory(
            person=child, date=add_months(DAY, -months_back), weight_kg=Decimal(weight)
        )
    _came(child, day, weight_kg=Decimal("7.70"))
    return child


@pytest.fixture
def melati_day(jejaring):
    """Posyandu Melati with one person of each kind on the worklist, and one who is fine."""
    day = ServiceDayFactory(posyandu=jejaring.melati, date=DAY)
    people = {"2T": _faltering_child(jejaring.melati, day)}
    absent = PersonFactory(
        posyandu=jejaring.melati, name="Balita Absen", birth_date=dt.date(2024, 6, 1)
    )
    all_vaccines_given(absent, dt.date(2024, 6, 2))
    people["absent"] = absent
    newborn = PersonFactory(
        posyandu=jejaring.melati, name="Bayi Baru", birth_date=AS_OF - dt.timedelta(days=10)
    )
    people["newborn"] = newborn
    kek = PersonFactory(posyandu=jejaring.melati, name="Ibu KEK", birth_date=dt.date(1998, 5, 5))
    PregnancyFactory(
        person=kek, registered_on=dt.date(2026, 9, 1), last_menstrual_period=dt.date(2026, 6, 1)
    )
    _came(kek, day, muac_cm=Decimal("22.0"))
    people["kek"] = kek
    nifas = PersonFactory(
        posyandu=jejaring.melati, name="Ibu Nifas", birth_date=dt.date(1995, 1, 1)
    )
    PregnancyFactory(
        person=nifas,
        registered_on=dt.date(2026, 3, 1),
        last_menstrual_period=dt.date(2026, 2, 1),
        delivery_date=AS_OF - dt.timedelta(days=12),
        outcome="live_birth",
    )
    people["nifas"] = nifas
    bp = PersonFactory(
        posyandu=jejaring.melati, name="Pak Tensi", sex="M", birth_date=dt.date(1970, 1, 1)
    )
    MeasurementFactory(person=bp, date=DAY, sbp_mmhg=160, dbp_mmhg=95)
    people["bp"] = bp
    well = PersonFactory(
        posyandu=jejaring.melati, name="Pak Sehat", sex="M", birth_date=dt.date(1980, 1, 1)
    )
    MeasurementFactory(person=well, date=DAY, sbp_mmhg=120, dbp_mmhg=80)
    people["well"] = well
    # Someone at another posyandu with a problem: never on Sari's list.
    mawar_day = ServiceDayFactory(posyandu=jejaring.mawar, date=DAY)
    people["mawar"] = _faltering_child(jejaring.mawar, mawar_day)
    return people


def _reasons(jejaring, persona="kader_sari"):
    rows = selectors.home_visit_worklist(user=jejaring.user(persona), as_of=AS_OF)
    return {row.person.name: row.reasons for row in rows}


def test_worklist_child_with_t_then_t_is_listed_as_2t(jejaring, melati_day):
    assert _reasons(jejaring)["Anak Dua T"] == ["weight.not_increasing_twice"]


def test_worklist_lists_absentee_of_latest_day(jejaring, melati_day):
    assert _reasons(jejaring)["Balita Absen"] == [worklist.ABSENT]


def test_worklist_lists_newborn_and_nifas_mother(jejaring, melati_day):
    reasons = _reasons(jejaring)
    assert worklist.NEWBORN in reasons["Bayi Baru"]
    assert reasons["Ibu Nifas"] == [worklist.POSTPARTUM]


def test_worklist_lists_pregnant_woman_with_kek(jejaring, melati_day):
    assert _reasons(jejaring)["Ibu KEK"] == ["muac.chronic_energy_deficiency"]


def test_worklist_lists_adult_with_high_blood_pressure_not_the_well_one(jejaring, melati_day):
    reasons = _reasons(jejaring)
    assert reasons["Pak Tensi"] == ["bp.high"]
    assert "Pak Sehat" not in reasons


def test_worklist_is_scoped_to_the_kader_posyandu(jejaring, melati_day):
    assert "Anak Dua T" in _reasons(jejaring)
    names = [
        row.person.posyandu
        for row in selectors.home_visit_worklist(user=jejaring.user("kader_sari"), as_of=AS_OF)
    ]
    assert set(names) == {jejaring.melati}
    assert _reasons(jejaring, "outsider") == {}
    assert _reasons(jejaring, "desa_official") == {}


def test_worklist_most_pressing_first_and_grouped(jejaring, melati_day):
    rows = selectors.home_visit_worklist(user=jejaring.user("kader_sari"), as_of=AS_OF)
    groups = [group.reason for group in selectors.worklist_groups(rows)]
    assert groups[0] == "weight.not_increasing_twice"
    assert groups[-1] == worklist.ABSENT
    assert groups.index("muac.chronic_energy_deficiency") < groups.index(worklist.NEWBORN)


def test_worklist_day_for_lansia_only_does_not_mark_balita_absent(jejaring):
    ServiceDayFactory(posyandu=jejaring.melati, date=DAY, groups=["lansia"])
    child = PersonFactory(posyandu=jejaring.melati, name="Balita", birth_date=dt.date(2024, 6, 1))
    all_vaccines_given(child, dt.date(2024, 6, 2))
    elder = PersonFactory(posyandu=jejaring.melati, name="Nenek", birth_date=dt.date(1950, 1, 1))
    reasons = _reasons(jejaring)
    assert "Balita" not in reasons
    assert reasons["Nenek"] == [worklist.ABSENT]
    assert elder.pk


def test_worklist_planned_day_does_not_make_absentees(jejaring):
    ServiceDayFactory(posyandu=jejaring.melati, date=DAY, status="planned")
    child = PersonFactory(posyandu=jejaring.melati, name="Balita", birth_date=dt.date(2024, 6, 1))
    all_vaccines_given(child, dt.date(2024, 6, 2))
    assert "Balita" not in _reasons(jejaring)


def test_worklist_row_shows_last_home_visit(jejaring, melati_day):
    HomeVisitFactory(person=melati_day["absent"], visited_on=AS_OF - dt.timedelta(days=1))
    HomeVisitFactory(person=melati_day["absent"], visited_on=AS_OF - dt.timedelta(days=5))
    rows = selectors.home_visit_worklist(user=jejaring.user("kader_sari"), as_of=AS_OF)
    row = next(r for r in rows if r.person.name == "Balita Absen")
    assert row.last_home_visit == AS_OF - dt.timedelta(days=1)


def test_home_visit_reasons_of_one_person_match_the_list(jejaring, melati_day):
    reasons = selectors.home_visit_reasons(
        user=jejaring.user("kader_sari"), person=melati_day["2T"], as_of=AS_OF
    )
    assert reasons == ["weight.not_increasing_twice"]
    assert (
        selectors.home_visit_reasons(
            user=jejaring.user("outsider"), person=melati_day["2T"], as_of=AS_OF
        )
        == []
    )


def _children(posyandu, day, count):
    for index in range(count):
        child = _faltering_child(posyandu, day)
        child.name = f"Anak {index}"
        child.save()


def test_worklist_query_count_constant_with_3_and_20_persons(jejaring):
    day = ServiceDayFactory(posyandu=jejaring.melati, date=DAY)
    user = jejaring.user("kader_sari")
    _children(jejaring.melati, day, 3)
    membership_of(user)  # a request's first scope check; then cached on the user object
    with CaptureQueriesContext(connection) as small:
        assert len(selectors.home_visit_worklist(user=user, as_of=AS_OF)) == 3
    _children(jejaring.melati, day, 17)
    with CaptureQueriesContext(connection) as large:
        assert len(selectors.home_visit_worklist(user=user, as_of=AS_OF)) == 20
    assert len(large) == len(small)
    assert len(small) <= 10


def test_worklist_lists_person_with_impossible_record_for_checking(jejaring, melati_day):
    broken = PersonFactory(posyandu=jejaring.melati, name="Data Salah", birth_date=AS_OF)
    MeasurementFactory(person=broken, date=AS_OF - dt.timedelta(days=30), weight_kg=Decimal("3"))
    reasons = _reasons(jejaring)
    assert reasons["Data Salah"] == [worklist.RECORDS_TO_CHECK]
    assert reasons["Anak Dua T"] == ["weight.not_increasing_twice"]  # the others still listed
