"""The person pages: search (step 1), register, card (step 3), edit and merge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.core.dates import add_months
from posyandu.registry.models import Household, Person, Pregnancy
from tests.factories import HouseholdFactory, PersonFactory
from tests.unit.registry.helpers import nik_for, weigh_monthly

pytestmark = pytest.mark.django_db

SEARCH = reverse("registry:search")
NEW = reverse("registry:new")
QUERY_BUDGET = 12


def _as(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    return client


def _card(person):
    return reverse("registry:card", kwargs={"uuid": person.uuid})


# --- search ------------------------------------------------------------------------------------


def test_search_lists_the_kader_own_persons_as_rows(client, jejaring, people):
    text = _as(client, jejaring, "kader_sari").get(SEARCH).content.decode()
    assert "Ayu Melati" in text
    assert "Budi Mawar" not in text
    assert _card(people["melati"]) in text


def test_search_htmx_answers_only_the_result_rows(client, jejaring, people):
    response = _as(client, jejaring, "bidan_rina").get(
        SEARCH, {"q": "budi"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert text.startswith('<section id="results"')
    assert "Budi Mawar" in text
    assert "Ayu Melati" not in text


def test_search_without_javascript_works_as_a_plain_form(client, jejaring, people):
    text = _as(client, jejaring, "bidan_rina").get(SEARCH, {"q": "budi"}).content.decode()
    assert "<html" in text
    assert "Budi Mawar" in text


def test_search_shows_age_and_stage_badges(client, jejaring):
    born = add_months(timezone.localdate(), -5)
    PersonFactory(posyandu=jejaring.melati, name="Bayi Kecil", birth_date=born)
    text = _as(client, jejaring, "kader_sari").get(SEARCH, {"q": "bayi"}).content.decode()
    row = text[text.index("Bayi Kecil") :]
    assert re.search(r"5\s\w+", row)  # 5 months (words come from the catalogue)
    assert row.count('class="badge"') == 3  # bayi, baduta, balita


def test_search_for_desa_official_is_forbidden_and_names_nobody(client, jejaring, people):
    response = _as(client, jejaring, "desa_official").get(SEARCH)
    assert response.status_code == 403
    assert "Ayu Melati" not in response.content.decode()


def test_search_needs_a_login(client, jejaring):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def _queries(client, url, budget):
    with budget(QUERY_BUDGET) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_search_query_count_does_not_grow_with_the_list(
    client, jejaring, django_assert_max_num_queries
):
    _as(client, jejaring, "kader_sari")
    counts = []
    for total in (2, 30):
        for n in range(total - Person.objects.count()):
            PersonFactory(posyandu=jejaring.melati, name=f"Warga {n:02d}")
        queries, text = _queries(client, SEARCH, django_assert_max_num_queries)
        assert text.count('class="row"') == total
        counts.append(queries)
    assert counts[0] == counts[1]


# --- register ----------------------------------------------------------------------------------


def _form(client):
    text = client.get(NEW).content.decode()
    key = re.search(r'name="uuid" value="([0-9a-f-]{36})"', text).group(1)
    household_key = re.search(r'name="household_uuid" value="([0-9a-f-]{36})"', text).group(1)
    return {
        "uuid": key,
        "household_uuid": household_key,
        "posyandu": "",
        "name": "Siti Aminah",
        "sex": "F",
        "birth_date": "2025-03-02",
        "nik": "",
        "household": "",
        "mother": "",
        "phone": "",
    }


def test_register_saves_one_person_however_often_she_is_submitted(client, jejaring):
    _as(client, jejaring, "kader_sari")
    data = _form(client) | {"posyandu": str(jejaring.melati.uuid)}
    first = client.post(NEW, data)
    second = client.post(NEW, data)
    person = Person.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == _card(person)
    assert (person.name, person.posyandu) == ("Siti Aminah", jejaring.melati)


def test_register_with_a_new_household(client, jejaring):
    _as(client, jejaring, "kader_sari")
    data = _form(client) | {
        "posyandu": str(jejaring.melati.uuid),
        "household": "new",
        "head_name": "Pak Joko",
        "no_kk": "5201010101010001",
    }
    client.post(NEW, data)
    assert Person.objects.get().household.head_name == "Pak Joko"


def test_register_shows_the_bad_nik_beside_its_field(client, jejaring):
    _as(client, jejaring, "kader_sari")
    data = _form(client) | {"posyandu": str(jejaring.melati.uuid), "nik": "5201019999"}
    response = client.post(NEW, data)
    assert response.status_code == 200
    assert "5201019999" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Person.objects.exists()


def test_register_a_suspected_duplicate_shows_her_and_saves_nothing(client, jejaring):
    household = HouseholdFactory(posyandu=jejaring.melati, head_name="Pak Joko")
    known = PersonFactory(
        posyandu=jejaring.melati, name="Siti Aminah", birth_date=dt.date(2025, 3, 2),
        household=household,
    )  # fmt: skip
    _as(client, jejaring, "kader_sari")
    data = _form(client) | {"posyandu": str(jejaring.melati.uuid), "household": str(household.uuid)}
    text = client.post(NEW, data).content.decode()
    assert _card(known) in text  # "this is the same person → open her"
    assert 'name="confirm_not_duplicate" value="on"' in text
    assert Person.objects.count() == 1
    confirmed = client.post(NEW, data | {"confirm_not_duplicate": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.filter(name="Siti Aminah").count() == 2


def test_register_refused_duplicate_leaves_no_new_household(client, jejaring):
    born = dt.date(2025, 3, 2)
    PersonFactory(posyandu=jejaring.melati, name="Siti", birth_date=born, nik=nik_for(born, "F"))
    _as(client, jejaring, "kader_sari")
    data = _form(client) | {
        "posyandu": str(jejaring.melati.uuid),
        "nik": nik_for(born, "F"),
        "household": "new",
        "head_name": "Pak Joko",
    }
    client.post(NEW, data)
    assert not Household.objects.exists()


def test_register_a_baby_from_her_mother_card_starts_with_the_mother(client, jejaring):
    household = HouseholdFactory(posyandu=jejaring.melati)
    ibu = PersonFactory(
        posyandu=jejaring.melati,
        name="Ibu Ani",
        birth_date=dt.date(1996, 1, 1),
        household=household,
    )
    text = _as(client, jejaring, "kader_sari").get(NEW, {"ibu": str(ibu.uuid)}).content.decode()
    assert re.search(rf'<option value="{ibu.uuid}"[^>]*selected', text)


def test_register_page_is_forbidden_to_desa_official(client, jejaring):
    assert _as(client, jejaring, "desa_official").get(NEW).status_code == 403


# --- card --------------------------------------------------------------------------------------


@pytest.fixture
def balita(jejaring):
    child = PersonFactory(
        posyandu=jejaring.melati, name="Bima", sex="M", birth_date=dt.date(2025, 3, 2)
    )
    weigh_monthly(child, 6)
    return child


def test_card_shows_identity_growth_chart_and_what_is_due(client, jejaring, balita):
    text = _as(client, jejaring, "kader_sari").get(_card(balita)).content.decode()
    assert "Bima" in text
    assert "02/03/2025" in text
    assert "Berat badan menurut umur" in text  # the weight-for-age class, in words
    assert text.count("<svg") == 2  # weight- and length/height-for-age
    wfa = text[text.index('data-indicator="wfa"') : text.index("</svg>")]
    assert wfa.count('class="band ') == 4  # Permenkes weight-for-age classes
    assert wfa.count('<circle class="pt"') == 6  # one point per weighing
    assert 'id="immunisations"' in text  # a child with no doses recorded is due some
    assert "Kapsul vitamin A" in text or "Penimbangan berat badan" in text  # services due


def test_card_of_melati_person_is_not_found_for_the_outsider(client, jejaring, balita):
    assert _as(client, jejaring, "outsider").get(_card(balita)).status_code == 404
    assert _as(client, jejaring, "desa_official").get(_card(balita)).status_code == 404


def test_card_of_a_merged_duplicate_leads_to_the_kept_record(client, jejaring, balita):
    twin = PersonFactory(posyandu=jejaring.melati, merged_into=balita)
    response = _as(client, jejaring, "kader_sari").get(_card(twin))
    assert response.status_code == 302
    assert response["Location"] == _card(balita)


def test_card_query_count_does_not_grow_with_history(
    client, jejaring, django_assert_max_num_queries
):
    _as(client, jejaring, "bidan_rina")
    counts = []
    for months in (2, 30):
        child = PersonFactory(posyandu=jejaring.melati, birth_date=dt.date(2024, 3, 2))
        weigh_monthly(child, months)
        queries, text = _queries(client, _card(child), django_assert_max_num_queries)
        assert text.count('<circle class="pt"') == 2 * months  # weight and length charts
        counts.append(queries)
    assert counts[0] == counts[1]


# --- edit --------------------------------------------------------------------------------------


def test_edit_saves_the_changed_field_and_audits_it(client, jejaring, balita):
    _as(client, jejaring, "kader_sari")
    url = reverse("registry:edit", kwargs={"uuid": balita.uuid})
    assert client.get(url).status_code == 200
    data = {"name": "Bima Sakti", "sex": "M", "birth_date": "2025-03-02", "phone": "081234567890"}
    response = client.post(url, data)
    assert response.status_code == 302
    balita.refresh_from_db()
    assert (balita.name, balita.phone) == ("Bima Sakti", "081234567890")
    event = AuditEvent.objects.get(action="person.update")
    assert event.changes["name"] == ["Bima", "Bima Sakti"]


def test_edit_is_not_found_for_the_outsider(client, jejaring, balita):
    url = reverse("registry:edit", kwargs={"uuid": balita.uuid})
    assert _as(client, jejaring, "outsider").get(url).status_code == 404


# --- merge -------------------------------------------------------------------------------------


@pytest.fixture
def pair(jejaring):
    born = dt.date(2025, 3, 2)
    keep = PersonFactory(posyandu=jejaring.melati, name="Siti Aminah", birth_date=born)
    duplicate = PersonFactory(posyandu=jejaring.mawar, name="Siti  aminah", birth_date=born)
    weigh_monthly(duplicate, 2)
    return keep, duplicate


def test_merge_pick_compare_confirm_for_the_bidan(client, jejaring, pair):
    keep, duplicate = pair
    url = reverse("registry:merge", kwargs={"uuid": keep.uuid})
    _as(client, jejaring, "bidan_rina")
    assert f"?duplikat={duplicate.uuid}" in client.get(url).content.decode()  # suggested
    compare = client.get(url, {"duplikat": str(duplicate.uuid)}).content.decode()
    assert "Siti  aminah" in compare
    assert "Mawar" in compare
    response = client.post(url, {"duplikat": str(duplicate.uuid)})
    assert response["Location"] == _card(keep)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    assert keep.measurements.count() == 2


def test_merge_is_forbidden_to_the_kader(client, jejaring, pair):
    keep, duplicate = pair
    url = reverse("registry:merge", kwargs={"uuid": keep.uuid})
    response = _as(client, jejaring, "kader_sari").post(url, {"duplikat": str(duplicate.uuid)})
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merge_is_not_found_for_the_outsider(client, jejaring, pair):
    keep, _duplicate = pair
    url = reverse("registry:merge", kwargs={"uuid": keep.uuid})
    assert _as(client, jejaring, "outsider").get(url).status_code == 404


def test_merge_of_a_record_out_of_scope_is_not_found(client, jejaring, pair):
    keep, _duplicate = pair
    far = PersonFactory(posyandu=jejaring.kenanga, birth_date=keep.birth_date)
    url = reverse("registry:merge", kwargs={"uuid": keep.uuid})
    response = _as(client, jejaring, "bidan_rina").post(url, {"duplikat": str(far.uuid)})
    assert response.status_code == 404
    assert Person.objects.get(pk=far.pk).merged_into is None


def test_a_malformed_person_address_is_not_found(client, jejaring, people):
    _as(client, jejaring, "kader_sari")
    assert client.get(NEW, {"ibu": "not-a-uuid"}).status_code == 404
    url = reverse("registry:merge", kwargs={"uuid": people["melati"].uuid})
    _as(client, jejaring, "bidan_rina")
    assert client.get(url, {"duplikat": "x"}).status_code == 404


def test_card_of_a_pregnant_woman_shows_her_weeks_and_no_child_chart(client, jejaring):
    ibu = PersonFactory(posyandu=jejaring.melati, name="Ibu Ani", birth_date=dt.date(1996, 6, 1))
    today = timezone.localdate()
    Pregnancy.objects.create(
        person=ibu,
        registered_on=today - dt.timedelta(weeks=8),
        last_menstrual_period=today - dt.timedelta(weeks=20, days=3),
    )
    text = _as(client, jejaring, "kader_sari").get(_card(ibu)).content.decode()
    assert re.search(r">20\s", text)  # "20 minggu"
    assert "<svg" not in text
    assert f"?ibu={ibu.uuid}" in text  # register her baby


def test_register_page_returns_to_the_service_day_it_came_from(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    day = "/hari-buka/00000000-0000-0000-0000-000000000001/"
    data = _form(client) | {"posyandu": str(jejaring.melati.uuid)}
    response = client.post(f"{NEW}?next={day}", data)
    assert response.status_code == 302
    assert response["Location"] == day


def test_register_page_ignores_next_to_another_site(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    data = _form(client) | {"posyandu": str(jejaring.melati.uuid)}
    response = client.post(f"{NEW}?next=https://example.com/", data)
    assert response.status_code == 302
    assert response["Location"].startswith("/warga/")
