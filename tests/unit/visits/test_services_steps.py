"""Steps 3-5 of a visit, closing the day, and the rollback of every write of the day."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.visits import services
from posyandu.visits.models import (
    ImmunizationGiven,
    Measurement,
    ServiceDay,
    ServiceGiven,
    Visit,
)
from tests.unit.visits.factories import ServiceDayFactory, VisitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(jejaring, small_posyandu):
    """The baby checked in today by kader_sari."""
    return services.visit_register(
        user=jejaring.user("kader_sari"),
        uuid=uuid.uuid4(),
        service_day=small_posyandu.day,
        person=small_posyandu.baby,
    )


def _actions(instance):
    return list(
        AuditEvent.objects.filter(entity_uuid=instance.uuid)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- step 3 -----------------------------------------------------------------------------------


def test_visit_mark_recorded_keeps_the_first_time(jejaring, visit):
    services.visit_mark_recorded(user=jejaring.user("kader_sari"), visit=visit)
    first = Visit.objects.get(pk=visit.pk).recorded_at
    services.visit_mark_recorded(user=jejaring.user("kader_sari"), visit=visit)
    assert first is not None
    assert Visit.objects.get(pk=visit.pk).recorded_at == first
    assert _actions(visit).count("visit.mark_recorded") == 1


def test_visit_mark_recorded_by_outsider_refused(jejaring, visit):
    with pytest.raises(PermissionDenied):
        services.visit_mark_recorded(user=jejaring.user("outsider"), visit=visit)


# --- step 4 -----------------------------------------------------------------------------------


def test_immunization_record_by_kader_at_the_posyandu_day_records_the_dose(jejaring, visit):
    dose = services.immunization_record(
        user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), visit=visit, vaccine="bcg"
    )
    assert dose.recorded_by == jejaring.user("kader_sari")


def test_immunization_record_by_kader_away_from_a_posyandu_day_refused(jejaring, visit):
    home = Visit.objects.create(
        person=visit.person, posyandu=visit.posyandu, date=visit.date, place="home"
    )
    with pytest.raises(PermissionDenied):
        services.immunization_record(
            user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), visit=home, vaccine="bcg"
        )
    assert not ImmunizationGiven.objects.exists()


def test_immunization_record_by_outsider_refused(jejaring, visit):
    with pytest.raises(PermissionDenied):
        services.immunization_record(
            user=jejaring.user("outsider"), uuid=uuid.uuid4(), visit=visit, vaccine="bcg"
        )
    assert not ImmunizationGiven.objects.exists()


def test_immunization_record_by_bidan_gives_the_dose_and_stamps_the_step(jejaring, visit):
    dose = services.immunization_record(
        user=jejaring.user("bidan_rina"),
        uuid=uuid.uuid4(),
        visit=visit,
        vaccine="bcg",
        batch=" B-123 ",
    )
    assert (dose.vaccine, dose.batch, dose.date) == ("bcg", "B-123", visit.date)
    assert dose.given_at == visit.posyandu
    assert Visit.objects.get(pk=visit.pk).served_at is not None
    assert _actions(dose) == ["immunization.record"]


def test_immunization_record_same_uuid_twice_gives_one_dose(jejaring, visit):
    key = uuid.uuid4()
    for _ in range(2):
        services.immunization_record(
            user=jejaring.user("bidan_rina"), uuid=key, visit=visit, vaccine="opv1"
        )
    assert ImmunizationGiven.objects.count() == 1


def test_immunization_record_unknown_vaccine_refused_by_name(jejaring, visit):
    with pytest.raises(ValidationError) as caught:
        services.immunization_record(
            user=jejaring.user("bidan_rina"), uuid=uuid.uuid4(), visit=visit, vaccine="covid"
        )
    assert "covid" in caught.value.message_dict["vaccine"][0]


def test_immunization_record_dose_given_before_refused_with_its_date(jejaring, visit):
    services.immunization_record(
        user=jejaring.user("bidan_rina"), uuid=uuid.uuid4(), visit=visit, vaccine="bcg"
    )
    with pytest.raises(ValidationError) as caught:
        services.immunization_record(
            user=jejaring.user("bidan_rina"), uuid=uuid.uuid4(), visit=visit, vaccine="bcg"
        )
    assert visit.date.strftime("%d/%m/%Y") in caught.value.message_dict["vaccine"][0]


def test_service_record_kader_service_recorded(jejaring, visit):
    given = services.service_record(
        user=jejaring.user("kader_sari"),
        uuid=uuid.uuid4(),
        visit=visit,
        code="pmt_recovery",
        quantity=6,
    )
    assert (given.code, given.quantity, given.date) == ("pmt_recovery", 6, visit.date)
    assert Visit.objects.get(pk=visit.pk).served_at is not None
    assert _actions(given) == ["service.record"]


def test_service_record_nakes_only_service_refused_for_kader(jejaring, visit):
    with pytest.raises(PermissionDenied):
        services.service_record(
            user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), visit=visit, code="sdidtk"
        )
    given = services.service_record(
        user=jejaring.user("bidan_rina"), uuid=uuid.uuid4(), visit=visit, code="sdidtk"
    )
    assert given.recorded_by == jejaring.user("bidan_rina")


def test_service_record_unknown_code_refused_by_name(jejaring, visit):
    with pytest.raises(ValidationError) as caught:
        services.service_record(
            user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), visit=visit, code="massage"
        )
    assert "massage" in caught.value.message_dict["code"][0]
    assert not ServiceGiven.objects.exists()


# --- step 5 -----------------------------------------------------------------------------------


def test_counselling_record_stores_topics_once(jejaring, visit):
    user = jejaring.user("kader_sari")
    services.counselling_record(
        user=user, visit=visit, topics=["growth_monitoring", "breastfeeding"]
    )
    services.counselling_record(
        user=user, visit=visit, topics=["breastfeeding", "growth_monitoring"]
    )
    visit.refresh_from_db()
    assert visit.counselling_topics == ["breastfeeding", "growth_monitoring"]
    assert visit.counselled_at is not None
    assert _actions(visit).count("visit.counsel") == 1


def test_counselling_record_unknown_topic_refused_by_name(jejaring, visit):
    with pytest.raises(ValidationError) as caught:
        services.counselling_record(
            user=jejaring.user("kader_sari"), visit=visit, topics=["astrology"]
        )
    assert "astrology" in caught.value.message_dict["topics"][0]


def test_counselling_record_without_topic_refused(jejaring, visit):
    with pytest.raises(ValidationError):
        services.counselling_record(user=jejaring.user("kader_sari"), visit=visit, topics=[])


# --- closing the day --------------------------------------------------------------------------


def test_service_day_validate_names_who_is_not_measured(jejaring, small_posyandu, visit):
    with pytest.raises(ValidationError) as caught:
        services.service_day_validate(
            user=jejaring.user("kader_sari"), service_day=small_posyandu.day
        )
    assert "Bayu Kecil" in caught.value.message_dict["service_day"][0]
    assert ServiceDay.objects.get(pk=small_posyandu.day.pk).status == ServiceDay.Status.OPEN


def test_service_day_validate_then_confirm_closes_the_day(jejaring, small_posyandu, visit):
    day = small_posyandu.day
    services.measurement_record(
        user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), visit=visit, values={"weight_kg": 8}
    )
    services.service_day_validate(user=jejaring.user("kader_sari"), service_day=day)
    with pytest.raises(PermissionDenied):
        services.service_day_confirm(user=jejaring.user("kader_sari"), service_day=day)
    services.service_day_confirm(user=jejaring.user("bidan_rina"), service_day=day)
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.CONFIRMED
    assert day.validated_by == jejaring.user("kader_sari")
    assert day.confirmed_by == jejaring.user("bidan_rina")
    assert _actions(day)[-2:] == ["service_day.validate", "service_day.confirm"]
    with pytest.raises(ValidationError):
        services.measurement_record(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            visit=visit,
            values={"weight_kg": 9},
        )


def test_service_day_validate_accepts_a_visitor_marked_as_recorded(jejaring, small_posyandu, visit):
    services.visit_mark_recorded(user=jejaring.user("kader_sari"), visit=visit)
    day = services.service_day_validate(
        user=jejaring.user("kader_sari"), service_day=small_posyandu.day
    )
    assert day.status == ServiceDay.Status.VALIDATED


def test_service_day_confirm_before_the_kader_check_refused(jejaring, small_posyandu):
    with pytest.raises(ValidationError):
        services.service_day_confirm(
            user=jejaring.user("bidan_rina"), service_day=small_posyandu.day
        )


def test_visit_register_on_a_checked_day_refused(jejaring, small_posyandu):
    services.service_day_validate(user=jejaring.user("kader_sari"), service_day=small_posyandu.day)
    with pytest.raises(ValidationError):
        services.visit_register(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            service_day=small_posyandu.day,
            person=small_posyandu.elder,
        )


def test_service_day_confirm_by_nakes_of_another_pustu_refused(jejaring, small_posyandu):
    day = ServiceDayFactory(posyandu=jejaring.anggrek, status=ServiceDay.Status.VALIDATED)
    with pytest.raises(PermissionDenied):
        services.service_day_confirm(user=jejaring.user("bidan_rina"), service_day=day)


# --- rollback: a failure anywhere leaves nothing behind ----------------------------------------


def _state():
    return (
        ServiceDay.objects.count(),
        list(ServiceDay.objects.values_list("status", flat=True)),
        Visit.objects.count(),
        list(
            Visit.objects.values_list(
                "measured_at", "recorded_at", "served_at", "counselled_at", "counselling_topics"
            )
        ),
        Measurement.objects.count(),
        ImmunizationGiven.objects.count(),
        ServiceGiven.objects.count(),
        AuditEvent.objects.count(),
    )


def _writes(jejaring, small):
    kader, bidan = jejaring.user("kader_sari"), jejaring.user("bidan_rina")
    visit = VisitFactory(service_day=small.day, person=small.elder, measured_at=timezone.now())
    measured = Measurement.objects.create(
        person=small.elder, visit=visit, date=visit.date, weight_kg=60
    )
    validated = ServiceDayFactory(posyandu=jejaring.mawar, status=ServiceDay.Status.VALIDATED)
    return {
        "schedule": lambda: services.service_day_schedule(
            user=kader,
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            date=small.day.date.replace(year=small.day.date.year + 1),
            groups=[],
        ),
        "open": lambda: services.service_day_open(user=kader, service_day=small.day),
        "register": lambda: services.visit_register(
            user=kader, uuid=uuid.uuid4(), service_day=small.day, person=small.baby
        ),
        "measure": lambda: services.measurement_record(
            user=kader, uuid=uuid.uuid4(), visit=visit, values={"sbp_mmhg": 120}
        ),
        "correct": lambda: services.measurement_correct(
            user=kader, uuid=uuid.uuid4(), original=measured, values={"weight_kg": 61}
        ),
        "recorded": lambda: services.visit_mark_recorded(user=kader, visit=visit),
        "immunize": lambda: services.immunization_record(
            user=bidan, uuid=uuid.uuid4(), visit=visit, vaccine="bcg"
        ),
        "service": lambda: services.service_record(
            user=kader, uuid=uuid.uuid4(), visit=visit, code="skilas"
        ),
        "counsel": lambda: services.counselling_record(user=kader, visit=visit, topics=["cerdik"]),
        "validate": lambda: services.service_day_validate(user=kader, service_day=small.day),
        "confirm": lambda: services.service_day_confirm(user=bidan, service_day=validated),
    }


@pytest.mark.parametrize(
    "name",
    [
        "schedule",
        "open",
        "register",
        "measure",
        "correct",
        "recorded",
        "immunize",
        "service",
        "counsel",
        "validate",
        "confirm",
    ],
)
def test_every_service_rolls_back_when_its_audit_fails(monkeypatch, jejaring, small_posyandu, name):
    write = _writes(jejaring, small_posyandu)[name]
    before = _state()

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        write()
    assert _state() == before
