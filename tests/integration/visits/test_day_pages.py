"""The pages of the posyandu day: kader_sari takes a baby through the five steps; the day
page costs the same for 3 or 30 persons; outsiders find nothing."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from posyandu.referrals.models import Referral
from posyandu.visits import services
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, ServiceGiven, Visit
from tests.factories import PersonFactory
from tests.unit.visits.factories import (
    MeasurementFactory,
    ServiceDayFactory,
    VisitFactory,
    months_ago,
    today,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _visit_url(name, visit):
    return reverse(name, args=[visit.service_day.uuid, visit.uuid])


def _check_in(client, small, person):
    url = reverse("visits:check_in", args=[small.day.uuid, person.uuid])
    return client.post(url, **HTMX)


def test_five_steps_happy_path_for_kader_sari(client, jejaring, small_posyandu):
    day, baby = small_posyandu.day, small_posyandu.baby
    client.force_login(jejaring.user("kader_sari"))

    page = client.get(reverse("visits:day", args=[day.uuid]))
    assert page.status_code == 200
    for name in ("Bayu Kecil", "Ibu Rahma", "Kakek Slamet"):
        assert name in page.content.decode()

    # Step 1: the big "came" button answers the person's row (HTMX).
    row = _check_in(client, small_posyandu, baby)
    assert row.status_code == 200
    visit = Visit.objects.get(service_day=day, person=baby)
    assert _visit_url("visits:visit", visit) in row.content.decode()
    assert client.get(_visit_url("visits:visit", visit)).url == _visit_url("visits:measure", visit)

    # Step 2: a baby's form asks weight, length and head, not blood pressure.
    form = client.get(_visit_url("visits:measure", visit)).content.decode()
    assert "Berat badan (kg)" in form
    assert "Lingkar kepala (cm)" in form
    assert 'name="sbp_mmhg"' not in form
    assert 'inputmode="decimal"' in form
    token = str(uuid.uuid4())
    saved = client.post(
        _visit_url("visits:measure", visit),
        {"token": token, "weight_kg": "8,1", "lenhei_cm": "70,2", "measure": "l", "headc_cm": "44"},
    )
    assert saved.url == _visit_url("visits:record", visit)
    assert Measurement.objects.get(visit=visit).weight_kg == Decimal("8.1")

    # Step 3: the result in words, with the KMS trend and the link to the card.
    result = client.get(_visit_url("visits:record", visit)).content.decode()
    assert "Berat badan menurut umur (BB/U)" in result
    assert "Normal" in result
    assert "✔" in result
    assert reverse("registry:card", args=[baby.uuid]) in result
    assert client.post(_visit_url("visits:record", visit)).url == _visit_url(
        "visits:services", visit
    )

    # Step 4: a kader service ticked and saved.
    services_page = client.get(_visit_url("visits:services", visit)).content.decode()
    assert "Ceklis perkembangan anak (Buku KIA)" in services_page
    given = client.post(
        _visit_url("visits:services", visit),
        {"token": str(uuid.uuid4()), "services": ["development_checklist"]},
    )
    assert given.url == _visit_url("visits:counsel", visit)
    assert ServiceGiven.objects.get(visit=visit).code == "development_checklist"

    # Step 5: counselling topics of a baby, then back to the day.
    counsel = client.get(_visit_url("visits:counsel", visit)).content.decode()
    assert "ASI eksklusif" in counsel
    assert "CERDIK" not in counsel
    done = client.post(
        _visit_url("visits:counsel", visit),
        {"token": str(uuid.uuid4()), "topics": ["breastfeeding", "growth_monitoring"]},
    )
    assert done.url == reverse("visits:day", args=[day.uuid])

    visit.refresh_from_db()
    stamps = (visit.registered_at, visit.measured_at, visit.recorded_at, visit.served_at)
    assert all(stamps)
    assert visit.counselled_at is not None
    assert visit.counselling_topics == ["breastfeeding", "growth_monitoring"]


def test_measure_page_shows_the_fields_of_each_group(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    fields = {}
    for person in (small_posyandu.mother, small_posyandu.elder):
        _check_in(client, small_posyandu, person)
        visit = Visit.objects.get(person=person)
        page = client.get(_visit_url("visits:measure", visit)).content.decode()
        fields[person.name] = {
            name
            for name in (
                "muac_cm",
                "sbp_mmhg",
                "hb_g_dl",
                "waist_cm",
                "glucose_mg_dl",
                "headc_cm",
                "oedema",
                "measure",
            )
            if f'name="{name}"' in page
        }
    assert fields["Ibu Rahma"] == {"muac_cm", "sbp_mmhg", "hb_g_dl", "glucose_mg_dl"}
    assert fields["Kakek Slamet"] == {"sbp_mmhg", "hb_g_dl", "waist_cm", "glucose_mg_dl"}


def test_measure_field_check_names_the_field_and_the_value(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.baby)
    visit = Visit.objects.get()
    answer = client.post(
        _visit_url("visits:measure_check", visit),
        {"token": str(uuid.uuid4()), "weight_kg": "815"},
        HTTP_HX_TRIGGER_NAME="weight_kg",
        **HTMX,
    ).content.decode()
    assert "Berat badan (kg): 815 kg tidak masuk akal" in answer
    fine = client.post(
        _visit_url("visits:measure_check", visit),
        {"token": str(uuid.uuid4()), "weight_kg": "8,5"},
        HTTP_HX_TRIGGER_NAME="weight_kg",
        **HTMX,
    ).content.decode()
    assert "error" not in fine


def test_measure_implausible_value_is_shown_and_nothing_saved(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.elder)
    visit = Visit.objects.get()
    page = client.post(
        _visit_url("visits:measure", visit), {"token": str(uuid.uuid4()), "weight_kg": "600"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Berat badan (kg): 600 kg tidak masuk akal" in text
    assert not Measurement.objects.exists()


def test_correction_on_the_page_shows_on_the_person_card(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.baby)
    visit = Visit.objects.get()
    client.post(
        _visit_url("visits:measure", visit),
        {"token": str(uuid.uuid4()), "weight_kg": "4,35", "lenhei_cm": "70", "measure": "l"},
    )
    wrong = Measurement.objects.get()
    correct_url = f"{_visit_url('visits:measure', visit)}?koreksi={wrong.uuid}"
    assert "4,35" in client.get(correct_url).content.decode()
    client.post(
        _visit_url("visits:measure", visit),
        {
            "token": str(uuid.uuid4()),
            "original": str(wrong.uuid),
            "weight_kg": "8,35",
            "lenhei_cm": "70",
            "measure": "l",
        },
    )
    fixed = Measurement.objects.get(supersedes=wrong)
    assert fixed.weight_kg == Decimal("8.35")
    card = client.get(reverse("registry:card", args=[small_posyandu.baby.uuid])).content.decode()
    assert "8,35" in card
    assert "4,35" not in card


def test_services_page_disables_nakes_services_for_kader(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.baby)
    visit = Visit.objects.get()
    page = client.get(_visit_url("visits:services", visit)).content.decode()
    assert 'value="sdidtk" disabled' in page
    assert 'value="bcg" disabled' not in page  # she records the dose the bidan gave today
    refused = client.post(
        _visit_url("visits:services", visit), {"token": str(uuid.uuid4()), "services": ["sdidtk"]}
    )
    assert refused.status_code == 200
    assert not Visit.objects.get(pk=visit.pk).served_at
    assert not ServiceGiven.objects.exists()


def test_services_page_lets_kader_record_a_dose_at_the_posyandu_day(
    client, jejaring, small_posyandu
):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.baby)
    visit = Visit.objects.get()
    client.post(
        _visit_url("visits:services", visit),
        {"token": str(uuid.uuid4()), "vaccines": ["bcg"], "batch": "B7"},
    )
    assert [dose.vaccine for dose in ImmunizationGiven.objects.all()] == ["bcg"]


def test_services_page_lets_bidan_immunise(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("bidan_rina"))
    _check_in(client, small_posyandu, small_posyandu.baby)
    visit = Visit.objects.get()
    page = client.get(_visit_url("visits:services", visit)).content.decode()
    assert 'value="bcg" disabled' not in page
    client.post(
        _visit_url("visits:services", visit),
        {"token": str(uuid.uuid4()), "vaccines": ["bcg", "opv1"], "batch": "B7"},
    )
    assert sorted(visit.person.immunizations.values_list("vaccine", flat=True)) == ["bcg", "opv1"]


def test_refer_from_the_visit_prefills_the_reasons(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    _check_in(client, small_posyandu, small_posyandu.elder)
    visit = Visit.objects.get()
    client.post(
        _visit_url("visits:measure", visit),
        {"token": str(uuid.uuid4()), "sbp_mmhg": "170", "dbp_mmhg": "100"},
    )
    page = client.get(_visit_url("visits:services", visit)).content.decode()
    assert 'name="reasons" value="bp.high" id="id_reasons_0" checked' in page
    sent = client.post(
        _visit_url("visits:refer", visit),
        {"uuid": str(uuid.uuid4()), "reasons": ["bp.high"], "urgency": "routine", "note": ""},
    )
    assert sent.url == _visit_url("visits:services", visit)
    referral = Referral.objects.get()
    assert (referral.visit, referral.reasons) == (visit, ["bp.high"])


def test_close_day_kader_checks_bidan_confirms(client, jejaring, small_posyandu):
    day = small_posyandu.day
    kader = jejaring.user("kader_sari")
    visit = services.visit_register(
        user=kader, uuid=uuid.uuid4(), service_day=day, person=small_posyandu.elder
    )
    services.measurement_record(
        user=kader, uuid=uuid.uuid4(), visit=visit, values={"weight_kg": 60}
    )
    client.force_login(kader)
    url = reverse("visits:close", args=[day.uuid])
    page = client.get(url).content.decode()
    assert "Bayu Kecil" in page  # did not come: a home visit
    assert "Ibu Rahma" in page
    client.post(url, {"action": "validate"})
    client.post(url, {"action": "confirm"})  # a kader cannot confirm
    assert ServiceDay.objects.get(pk=day.pk).status == ServiceDay.Status.VALIDATED
    client.force_login(jejaring.user("bidan_rina"))
    client.post(url, {"action": "confirm"})
    assert ServiceDay.objects.get(pk=day.pk).status == ServiceDay.Status.CONFIRMED


def test_schedule_a_day_from_the_list(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    assert client.get(reverse("visits:day_list")).status_code == 200
    answer = client.post(
        reverse("visits:day_list"),
        {
            "token": str(uuid.uuid4()),
            "date": today().isoformat(),
            "posyandu": str(jejaring.melati.uuid),
            "groups": ["balita", "ibu_hamil"],
        },
    )
    day = ServiceDay.objects.get()
    assert answer.url == reverse("visits:day", args=[day.uuid])
    assert (day.posyandu, day.groups) == (jejaring.melati, ["balita", "ibu_hamil"])


def test_schedule_form_offers_the_first_day_not_yet_scheduled(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    form = client.get(reverse("visits:day_list")).context["form"]
    assert form.initial["date"] == today()
    for offset in (0, 1, 3):  # today and tomorrow taken, the day after is free
        ServiceDay.objects.create(posyandu=jejaring.melati, date=today() + dt.timedelta(offset))
    form = client.get(reverse("visits:day_list")).context["form"]
    assert form.initial["date"] == today() + dt.timedelta(2)


@pytest.mark.parametrize("name", ["visits:day", "visits:close"])
def test_outsider_gets_404_on_a_melati_day(client, jejaring, small_posyandu, name):
    client.force_login(jejaring.user("outsider"))
    assert client.get(reverse(name, args=[small_posyandu.day.uuid])).status_code == 404


def test_outsider_gets_404_on_a_melati_visit_and_check_in(client, jejaring, small_posyandu):
    visit = VisitFactory(service_day=small_posyandu.day, person=small_posyandu.baby)
    client.force_login(jejaring.user("outsider"))
    for name in ("visits:measure", "visits:record", "visits:services", "visits:counsel"):
        assert client.get(_visit_url(name, visit)).status_code == 404
    assert _check_in(client, small_posyandu, small_posyandu.elder).status_code == 404
    assert Visit.objects.count() == 1


def test_day_list_does_not_show_other_posyandu_days(client, jejaring, small_posyandu):
    ServiceDayFactory(posyandu=jejaring.kenanga)
    client.force_login(jejaring.user("outsider"))
    page = client.get(reverse("visits:day_list")).content.decode()
    assert "Melati" not in page
    assert "Kenanga" in page


def test_anonymous_is_sent_to_login(client, small_posyandu):
    answer = client.get(reverse("visits:day", args=[small_posyandu.day.uuid]))
    assert answer.status_code == 302
    assert answer.url.startswith(reverse("login"))


def _day_page_queries(client, day):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("visits:day", args=[day.uuid])).status_code == 200
    return len(captured.captured_queries)


def test_day_page_queries_do_not_grow_with_persons(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    kader = jejaring.user("kader_sari")
    services.visit_register(
        user=kader, uuid=uuid.uuid4(), service_day=small_posyandu.day, person=small_posyandu.elder
    )
    few = _day_page_queries(client, small_posyandu.day)
    for n in range(27):
        person = PersonFactory(posyandu=jejaring.melati, birth_date=months_ago(n + 1))
        earlier = ServiceDayFactory(posyandu=jejaring.mawar, date=months_ago(1, days=n))
        MeasurementFactory(visit=VisitFactory(service_day=earlier, person=person), weight_kg=5)
        if n % 3 == 0:
            services.visit_register(
                user=kader, uuid=uuid.uuid4(), service_day=small_posyandu.day, person=person
            )
    assert _day_page_queries(client, small_posyandu.day) == few
    assert few <= 22  # session, user, scope checks, day, persons + 3 fact kinds, visits (x2)


def test_day_search_answers_only_the_list_for_htmx(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    answer = client.get(
        reverse("visits:day", args=[small_posyandu.day.uuid]),
        {"q": "rahma"},
        HTTP_HX_TARGET="expected",
        **HTMX,
    ).content.decode()
    assert answer.startswith('<section id="expected"')
    assert "Ibu Rahma" in answer
    assert "Kakek Slamet" not in answer


def test_check_in_without_htmx_goes_to_the_measuring_step(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("kader_sari"))
    url = reverse("visits:check_in", args=[small_posyandu.day.uuid, small_posyandu.elder.uuid])
    answer = client.post(url)
    visit = Visit.objects.get()
    assert answer.url == _visit_url("visits:measure", visit)
    assert client.post(url).url == _visit_url("visits:measure", visit)  # tapped twice: one visit
    assert Visit.objects.count() == 1


def test_dinkes_analyst_sees_the_day_but_gets_no_check_in_button(client, jejaring, small_posyandu):
    client.force_login(jejaring.user("dinkes_analyst"))
    page = client.get(reverse("visits:day", args=[small_posyandu.day.uuid])).content.decode()
    assert "Kakek Slamet" in page
    assert (
        reverse("visits:check_in", args=[small_posyandu.day.uuid, small_posyandu.elder.uuid])
        not in page
    )
    url = reverse("visits:check_in", args=[small_posyandu.day.uuid, small_posyandu.elder.uuid])
    assert client.post(url).status_code == 403
    assert not Visit.objects.exists()
