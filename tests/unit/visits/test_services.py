"""The writes of the posyandu day: who may, what is refused (naming field and value), what is
stored once however often it is sent, what is audited, and that a failed write leaves nothing."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from posyandu.audit.models import AuditEvent
from posyandu.registry.selectors import person_assessment
from posyandu.visits import services
from posyandu.visits.models import (
    Measurement,
    ServiceDay,
    Visit,
)
from tests.factories import PersonFactory
from tests.unit.visits.factories import ServiceDayFactory, today

pytestmark = pytest.mark.django_db


def _register(jejaring, small, person=None, persona="kader_sari"):
    return services.visit_register(
        user=jejaring.user(persona),
        uuid=uuid.uuid4(),
        service_day=small.day,
        person=person or small.baby,
    )


def _measure(jejaring, visit, persona="kader_sari", **values):
    return services.measurement_record(
        user=jejaring.user(persona), uuid=uuid.uuid4(), visit=visit, values=values
    )


def _actions(instance):
    return list(
        AuditEvent.objects.filter(entity_uuid=instance.uuid)
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- scheduling and opening the day ---------------------------------------------------------


def test_service_day_schedule_by_kader_creates_the_day_and_audits(jejaring):
    key = uuid.uuid4()
    day = services.service_day_schedule(
        user=jejaring.user("kader_sari"),
        uuid=key,
        posyandu=jejaring.melati,
        date=today(),
        groups=["balita", "ibu_hamil", "balita"],
    )
    assert day.uuid == key
    assert day.groups == ["balita", "ibu_hamil"]
    assert day.status == ServiceDay.Status.PLANNED
    assert _actions(day) == ["service_day.schedule"]


def test_service_day_schedule_same_uuid_twice_writes_once(jejaring):
    key = uuid.uuid4()
    kwargs = {"uuid": key, "posyandu": jejaring.melati, "date": today(), "groups": []}
    first = services.service_day_schedule(user=jejaring.user("kader_sari"), **kwargs)
    again = services.service_day_schedule(user=jejaring.user("kader_sari"), **kwargs)
    assert again.pk == first.pk
    assert ServiceDay.objects.count() == 1
    assert _actions(first) == ["service_day.schedule"]


def test_service_day_schedule_second_day_on_same_date_refused_naming_the_date(jejaring):
    ServiceDayFactory(posyandu=jejaring.melati, date=dt.date(2026, 12, 7))
    with pytest.raises(ValidationError) as caught:
        services.service_day_schedule(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            date=dt.date(2026, 12, 7),
            groups=[],
        )
    assert "07/12/2026" in caught.value.message_dict["date"][0]
    assert "Melati" in caught.value.message_dict["date"][0]


def test_service_day_schedule_by_bidan_for_her_posyandu_allowed(jejaring):
    day = services.service_day_schedule(
        user=jejaring.user("bidan_rina"),
        uuid=uuid.uuid4(),
        posyandu=jejaring.mawar,
        date=today(),
        groups=[],
    )
    assert day.posyandu == jejaring.mawar


@pytest.mark.parametrize("persona", ["outsider", "dinkes_analyst", "desa_official"])
def test_service_day_schedule_outside_own_posyandu_refused(jejaring, persona):
    with pytest.raises(PermissionDenied):
        services.service_day_schedule(
            user=jejaring.user(persona),
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            date=today(),
            groups=[],
        )
    assert not ServiceDay.objects.exists()


def test_service_day_schedule_kader_cannot_schedule_the_neighbour_posyandu(jejaring):
    with pytest.raises(PermissionDenied):
        services.service_day_schedule(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            posyandu=jejaring.mawar,
            date=today(),
            groups=[],
        )


def test_service_day_schedule_unknown_group_refused_by_name(jejaring):
    with pytest.raises(ValidationError) as caught:
        services.service_day_schedule(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            posyandu=jejaring.melati,
            date=today(),
            groups=["balita", "toddlers"],
        )
    assert "toddlers" in caught.value.message_dict["groups"][0]


def test_service_day_open_twice_opens_once(jejaring, small_posyandu):
    day = small_posyandu.day
    services.service_day_open(user=jejaring.user("kader_sari"), service_day=day)
    services.service_day_open(user=jejaring.user("kader_sari"), service_day=day)
    day.refresh_from_db()
    assert day.status == ServiceDay.Status.OPEN
    assert _actions(day) == ["service_day.open"]


def test_service_day_open_before_its_date_refused(jejaring):
    day = ServiceDayFactory(posyandu=jejaring.melati, date=today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.service_day_open(user=jejaring.user("kader_sari"), service_day=day)


# --- step 1: registration -------------------------------------------------------------------


def test_visit_register_checks_in_opens_the_day_and_audits(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    assert visit.registered_at is not None
    assert visit.date == today()
    assert visit.posyandu == jejaring.melati
    small_posyandu.day.refresh_from_db()
    assert small_posyandu.day.status == ServiceDay.Status.OPEN
    assert _actions(visit) == ["visit.register"]


def test_visit_register_same_person_twice_is_one_visit(jejaring, small_posyandu):
    key = uuid.uuid4()
    first = services.visit_register(
        user=jejaring.user("kader_sari"),
        uuid=key,
        service_day=small_posyandu.day,
        person=small_posyandu.baby,
    )
    replay = services.visit_register(
        user=jejaring.user("kader_sari"),
        uuid=key,
        service_day=small_posyandu.day,
        person=small_posyandu.baby,
    )
    other_phone = _register(jejaring, small_posyandu, persona="bidan_rina")
    assert first.pk == replay.pk == other_phone.pk
    assert Visit.objects.count() == 1
    assert _actions(first) == ["visit.register"]


def test_visit_register_person_of_another_posyandu_refused_for_kader(jejaring, small_posyandu):
    stranger = PersonFactory(posyandu=jejaring.mawar, name="Budi Mawar")
    with pytest.raises(PermissionDenied):
        _register(jejaring, small_posyandu, person=stranger)
    assert not Visit.objects.exists()


def test_visit_register_outsider_refused(jejaring, small_posyandu):
    with pytest.raises(PermissionDenied):
        _register(jejaring, small_posyandu, persona="outsider")


def test_visit_register_merged_person_refused_by_name(jejaring, small_posyandu):
    twin = PersonFactory(posyandu=jejaring.melati, name="Bayu Dobel")
    twin.merged_into = small_posyandu.baby
    twin.save()
    with pytest.raises(ValidationError) as caught:
        _register(jejaring, small_posyandu, person=twin)
    assert "Bayu Dobel" in caught.value.message_dict["person"][0]


def test_visit_register_on_a_future_day_refused(jejaring, small_posyandu):
    day = ServiceDayFactory(posyandu=jejaring.melati, date=today() + dt.timedelta(days=7))
    with pytest.raises(ValidationError):
        services.visit_register(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            service_day=day,
            person=small_posyandu.baby,
        )
    assert not Visit.objects.exists()


# --- step 2: measuring ----------------------------------------------------------------------


def test_measurement_record_stores_values_on_the_visit_date(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    row = _measure(jejaring, visit, weight_kg="8,15", lenhei_cm="70.2", measure="l", headc_cm=44)
    assert row.date == visit.date
    assert row.person == small_posyandu.baby
    assert row.weight_kg == Decimal("8.15")
    assert row.lenhei_cm == Decimal("70.2")
    visit.refresh_from_db()
    assert visit.measured_at is not None
    assert _actions(row) == ["measurement.record"]


def test_measurement_record_same_uuid_twice_stores_once(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    key = uuid.uuid4()
    for _ in range(2):
        services.measurement_record(
            user=jejaring.user("kader_sari"), uuid=key, visit=visit, values={"weight_kg": 8}
        )
    assert Measurement.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("weight_kg", "0.2", "0,2"),
        ("weight_kg", "151", "151"),
        ("lenhei_cm", "300", "300"),
        ("headc_cm", "70", "70"),
        ("muac_cm", "2", "2"),
        ("waist_cm", "250", "250"),
        ("sbp_mmhg", "300", "300"),
        ("dbp_mmhg", "20", "20"),
        ("glucose_mg_dl", "700", "700"),
        ("hb_g_dl", "25", "25"),
    ],
)
def test_measurement_record_implausible_value_refused_naming_field_and_value(
    jejaring, small_posyandu, field, value, shown
):
    visit = _register(jejaring, small_posyandu, person=small_posyandu.elder)
    with pytest.raises(ValidationError) as caught:
        _measure(jejaring, visit, **{field: value})
    error = caught.value.error_dict[field][0]
    assert error.code == "implausible"
    assert error.params["value"] == shown
    assert str(error.params["field"]) in caught.value.message_dict[field][0]
    assert not Measurement.objects.exists()
    visit.refresh_from_db()
    assert visit.measured_at is None


def test_measurement_record_text_in_a_number_refused(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    with pytest.raises(ValidationError) as caught:
        _measure(jejaring, visit, weight_kg="delapan")
    assert "delapan" in caught.value.message_dict["weight_kg"][0]


def test_measurement_record_diastolic_not_below_systolic_refused(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu, person=small_posyandu.elder)
    with pytest.raises(ValidationError) as caught:
        _measure(jejaring, visit, sbp_mmhg=120, dbp_mmhg=130)
    assert "130" in caught.value.message_dict["dbp_mmhg"][0]
    assert "120" in caught.value.message_dict["dbp_mmhg"][0]


def test_measurement_record_child_length_needs_lying_or_standing(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    with pytest.raises(ValidationError) as caught:
        _measure(jejaring, visit, weight_kg=8, lenhei_cm=70)
    assert "measure" in caught.value.message_dict


def test_measurement_record_adult_height_is_standing(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu, person=small_posyandu.elder)
    row = _measure(jejaring, visit, weight_kg=60, lenhei_cm=160)
    assert row.measure == Measurement.Method.STANDING


def test_measurement_record_nothing_measured_refused(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    with pytest.raises(ValidationError):
        _measure(jejaring, visit, weight_kg="", oedema=False)


def test_measurement_record_unknown_field_refused_by_name(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    with pytest.raises(ValidationError) as caught:
        _measure(jejaring, visit, weight_kg=8, shoe_size=30)
    assert "shoe_size" in caught.value.message_dict["shoe_size"][0]


def test_measurement_record_by_outsider_refused(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    with pytest.raises(PermissionDenied):
        _measure(jejaring, visit, persona="outsider", weight_kg=8)


def test_measurement_correct_supersedes_and_the_assessment_uses_the_new_value(
    jejaring, small_posyandu
):
    visit = _register(jejaring, small_posyandu)
    wrong = _measure(jejaring, visit, weight_kg="4.1", lenhei_cm="70.2", measure="l")
    fixed = services.measurement_correct(
        user=jejaring.user("kader_sari"),
        uuid=uuid.uuid4(),
        original=wrong,
        values={"weight_kg": "8.1"},
    )
    assert fixed.supersedes == wrong
    assert fixed.lenhei_cm == Decimal("70.2")  # kept from the original
    assert Measurement.objects.filter(pk=wrong.pk).exists()  # the old fact stays
    assessment = person_assessment(person=small_posyandu.baby, as_of=today())
    assert "wfa.severely_underweight" not in assessment.findings
    assert assessment.growth["wfa"].class_code == "normal"
    event = AuditEvent.objects.get(entity_uuid=fixed.uuid)
    assert event.action == "measurement.correct"
    assert event.changes["weight_kg"] == ["4.10", "8.10"]


def test_measurement_correct_of_a_corrected_value_refused(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    wrong = _measure(jejaring, visit, weight_kg="4.1")
    services.measurement_correct(
        user=jejaring.user("kader_sari"), uuid=uuid.uuid4(), original=wrong, values={"weight_kg": 8}
    )
    with pytest.raises(ValidationError):
        services.measurement_correct(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            original=wrong,
            values={"weight_kg": 9},
        )


def test_measurement_correct_still_checks_plausibility(jejaring, small_posyandu):
    visit = _register(jejaring, small_posyandu)
    wrong = _measure(jejaring, visit, weight_kg="4.1")
    with pytest.raises(ValidationError) as caught:
        services.measurement_correct(
            user=jejaring.user("kader_sari"),
            uuid=uuid.uuid4(),
            original=wrong,
            values={"weight_kg": "0.1"},
        )
    assert caught.value.error_dict["weight_kg"][0].params["value"] == "0,1"
    assert Measurement.objects.count() == 1


def test_a_deferring_batch_writes_the_same_rows_at_its_flush(jejaring, small_posyandu):
    """The sync's batch: the same checks and rows as one service call at a time, written
    together at the end (nothing before)."""
    from posyandu.visits.batch import VisitBatch

    sari = jejaring.user("kader_sari")
    batch = VisitBatch(sari, defer=True)
    visit_uuid, weight_uuid = uuid.uuid4(), uuid.uuid4()
    with batch.step():
        visit = services.visit_register(
            user=sari,
            uuid=visit_uuid,
            service_day=small_posyandu.day,
            person=small_posyandu.baby,
            within=batch,
        )
    with batch.step():
        services.measurement_record(
            user=sari, uuid=weight_uuid, visit=visit, values={"weight_kg": "8,4"}, within=batch
        )
    with pytest.raises(ValidationError), batch.step():  # refused as it would be alone
        services.measurement_record(
            user=sari, uuid=uuid.uuid4(), visit=visit, values={"weight_kg": "850"}, within=batch
        )
    again = services.visit_register(
        user=sari,
        uuid=uuid.uuid4(),
        service_day=small_posyandu.day,
        person=small_posyandu.baby,
        within=batch,
    )
    assert again is visit  # the check-in held by the batch counts
    assert not Visit.objects.exists()
    batch.flush()
    stored = Visit.objects.get()
    assert (stored.uuid, stored.measured_at is not None) == (visit_uuid, True)
    assert Measurement.objects.get().weight_kg == Decimal("8.40")
    assert Measurement.objects.get().uuid == weight_uuid
    small_posyandu.day.refresh_from_db()
    assert small_posyandu.day.status == ServiceDay.Status.OPEN
