"""Reads of the day: the expected visitors by group, who came, the summary, and the scope."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posyandu.accounts.scope import membership_of
from posyandu.referrals.models import Referral
from posyandu.visits import selectors, services
from posyandu.visits.models import Measurement, ServiceDay
from tests.factories import PersonFactory
from tests.unit.visits.factories import (
    MeasurementFactory,
    ServiceDayFactory,
    VisitFactory,
    months_ago,
    pregnant_woman,
)

pytestmark = pytest.mark.django_db


def _names(visitors):
    return [v.person.name for v in visitors]


def test_service_day_expected_all_groups_lists_everyone_of_the_posyandu(jejaring, small_posyandu):
    PersonFactory(posyandu=jejaring.mawar, name="Budi Mawar")
    expected = selectors.service_day_expected(
        user=jejaring.user("kader_sari"), service_day=small_posyandu.day
    )
    assert _names(expected) == ["Bayu Kecil", "Ibu Rahma", "Kakek Slamet"]
    assert not any(v.came for v in expected)


@pytest.mark.parametrize(
    ("groups", "names"),
    [
        (["balita"], ["Bayu Kecil"]),
        (["ibu_hamil"], ["Ibu Rahma"]),
        (["lansia", "bayi"], ["Bayu Kecil", "Kakek Slamet"]),
        (["remaja"], []),
    ],
)
def test_service_day_expected_follows_the_day_groups(jejaring, small_posyandu, groups, names):
    day = small_posyandu.day
    day.groups = groups
    day.save()
    expected = selectors.service_day_expected(user=jejaring.user("kader_sari"), service_day=day)
    assert _names(expected) == names


def test_service_day_expected_carries_each_persons_service_package(jejaring, small_posyandu):
    expected = {
        v.person.name: {s.code for s in v.assessment.services_due}
        for v in selectors.service_day_expected(
            user=jejaring.user("kader_sari"), service_day=small_posyandu.day
        )
    }
    assert {"weigh", "measure_head_circumference"} <= expected["Bayu Kecil"]
    assert {"antenatal_care", "ttd_pregnancy"} <= expected["Ibu Rahma"]
    assert {"skilas", "bp_check"} <= expected["Kakek Slamet"]
    assert "skilas" not in expected["Bayu Kecil"]


def test_service_day_expected_marks_who_came(jejaring, small_posyandu):
    services.visit_register(
        user=jejaring.user("kader_sari"),
        uuid=uuid.uuid4(),
        service_day=small_posyandu.day,
        person=small_posyandu.elder,
    )
    came = {
        v.person.name: v.came
        for v in selectors.service_day_expected(
            user=jejaring.user("kader_sari"), service_day=small_posyandu.day
        )
    }
    assert came == {"Bayu Kecil": False, "Ibu Rahma": False, "Kakek Slamet": True}


def test_service_day_expected_leaves_out_merged_and_unborn_persons(jejaring, small_posyandu):
    twin = PersonFactory(
        posyandu=jejaring.melati, name="Bayu Dobel", merged_into=small_posyandu.baby
    )
    day = ServiceDayFactory(posyandu=jejaring.melati, date=months_ago(10))
    expected = selectors.service_day_expected(user=jejaring.user("kader_sari"), service_day=day)
    assert twin.name not in _names(expected)
    assert "Bayu Kecil" not in _names(expected)  # born 8 months ago, after that day


def test_service_day_expected_search_by_name(jejaring, small_posyandu):
    expected = selectors.service_day_expected(
        user=jejaring.user("kader_sari"), service_day=small_posyandu.day, query="  slam "
    )
    assert _names(expected) == ["Kakek Slamet"]


@pytest.mark.parametrize("persona", ["outsider", "desa_official"])
def test_service_day_expected_outside_scope_is_not_found(jejaring, small_posyandu, persona):
    with pytest.raises(ServiceDay.DoesNotExist):
        selectors.service_day_expected(user=jejaring.user(persona), service_day=small_posyandu.day)


def _queries(call):
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def test_service_day_expected_costs_the_same_for_3_or_30_persons(jejaring, small_posyandu):
    user = jejaring.user("kader_sari")

    def expected():
        return selectors.service_day_expected(user=user, service_day=small_posyandu.day)

    membership_of(user)  # a request's first scope check; then cached on the user object
    few = _queries(expected)
    for n in range(26):
        person = PersonFactory(posyandu=jejaring.melati, birth_date=months_ago(n + 1))
        earlier = ServiceDayFactory(posyandu=jejaring.mawar, date=months_ago(1, days=n))
        MeasurementFactory(visit=VisitFactory(service_day=earlier, person=person), weight_kg=5)
    pregnant_woman(jejaring.melati, name="Ibu Kedua")
    assert len(expected()) == 30
    assert _queries(expected) == few <= 8


def test_service_day_days_for_follow_the_jejaring(jejaring, small_posyandu):
    kenanga_day = ServiceDayFactory(posyandu=jejaring.kenanga)
    assert list(selectors.service_days_for(user=jejaring.user("kader_sari"))) == [
        small_posyandu.day
    ]
    assert small_posyandu.day in selectors.service_days_for(user=jejaring.user("bidan_rina"))
    assert list(selectors.service_days_for(user=jejaring.user("outsider"))) == [kenanga_day]
    assert not selectors.service_days_for(user=jejaring.user("desa_official")).exists()


def test_service_day_get_outside_scope_is_not_found(jejaring, small_posyandu):
    with pytest.raises(ServiceDay.DoesNotExist):
        selectors.service_day_get(user=jejaring.user("outsider"), uuid=small_posyandu.day.uuid)


def test_visitor_get_uses_the_corrected_value(jejaring, small_posyandu):
    kader = jejaring.user("kader_sari")
    visit = services.visit_register(
        user=kader, uuid=uuid.uuid4(), service_day=small_posyandu.day, person=small_posyandu.baby
    )
    wrong = services.measurement_record(
        user=kader, uuid=uuid.uuid4(), visit=visit, values={"weight_kg": "4.1"}
    )
    before = selectors.visitor_get(user=kader, service_day=small_posyandu.day, uuid=visit.uuid)
    services.measurement_correct(
        user=kader, uuid=uuid.uuid4(), original=wrong, values={"weight_kg": "8.1"}
    )
    after = selectors.visitor_get(user=kader, service_day=small_posyandu.day, uuid=visit.uuid)
    assert before.assessment.growth["wfa"].class_code == "severely_underweight"
    assert after.assessment.growth["wfa"].class_code == "normal"


def test_service_day_summary_counts_findings_absentees_and_referrals(jejaring, small_posyandu):
    kader = jejaring.user("kader_sari")
    day = small_posyandu.day
    stunted = PersonFactory(
        posyandu=jejaring.melati, name="Ani Pendek", sex="F", birth_date=months_ago(24)
    )
    for person, values in [
        (stunted, {"weight_kg": "10.0", "lenhei_cm": "78.0", "measure": "h"}),
        (small_posyandu.elder, {"weight_kg": "60", "sbp_mmhg": 165, "dbp_mmhg": 95}),
    ]:
        visit = services.visit_register(
            user=kader, uuid=uuid.uuid4(), service_day=day, person=person
        )
        services.measurement_record(user=kader, uuid=uuid.uuid4(), visit=visit, values=values)
    Referral.objects.create(
        person=small_posyandu.elder,
        visit=visit,
        from_facility=jejaring.melati,
        to_facility=jejaring.pustu,
        reasons=["bp.high"],
        issued_on=timezone.localdate(),
    )
    summary = selectors.service_day_summary(user=kader, service_day=day)
    counts = {key: n for key, _label, n in summary.counts}
    assert _names(summary.came) == ["Ani Pendek", "Kakek Slamet"]
    assert _names(summary.absent) == ["Bayu Kecil", "Ibu Rahma"]
    assert summary.measured == 2
    assert counts["stunted"] == 1
    assert counts["bp_high"] == 1
    assert counts["refer"] == 1  # high blood pressure refers
    assert counts["kek"] == 0
    assert [r.person.name for r in summary.referrals] == ["Kakek Slamet"]


def test_service_day_summary_counts_only_what_was_measured_that_day(jejaring, small_posyandu):
    kader = jejaring.user("kader_sari")
    old_day = ServiceDayFactory(posyandu=jejaring.melati, date=months_ago(1))
    old_visit = VisitFactory(service_day=old_day, person=small_posyandu.elder)
    Measurement.objects.create(
        person=small_posyandu.elder, visit=old_visit, date=old_day.date, sbp_mmhg=170, dbp_mmhg=100
    )
    services.visit_register(
        user=kader, uuid=uuid.uuid4(), service_day=small_posyandu.day, person=small_posyandu.elder
    )
    summary = selectors.service_day_summary(user=kader, service_day=small_posyandu.day)
    assert summary.measured == 0
    assert {k: n for k, _l, n in summary.counts}["bp_high"] == 0
