"""The Pokjanal page: area scope, strata from the PWS rollups, gaps without names, decisions."""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posyandu.accounts.models import Membership
from posyandu.core.dates import add_months
from posyandu.kaders.models import Kader
from posyandu.pokjanal import selectors
from posyandu.pokjanal.models import Decision, IlpRollout, StrataInput
from posyandu.pws.models import MonthlyRollup
from posyandu.regions.models import Facility
from posyandu.visits.models import ServiceDay, Visit
from tests.factories import PersonFactory, UserFactory
from tests.unit.kaders.factories import CompetencyRecordFactory, KaderFactory

TODAY = timezone.localdate()
URL = "/pokjanal/"


def _pokjanal(jejaring):
    user = UserFactory(username="pokjanal_kab")
    Membership.objects.create(user=user, role="pokjanal", region=jejaring.kabupaten)
    return user


def _months(count=12):
    first = TODAY.replace(day=1)
    return [add_months(first, -k) for k in range(count)]


def _rollup(posyandu, month, code, num, den=0):
    MonthlyRollup.objects.create(
        posyandu=posyandu,
        month=month,
        indicator=code,
        numerator=num,
        denominator=den,
        computed_at=timezone.now(),
        rules_version="test",
    )


def _good_year(posyandu, months=12, ds=(6, 10)):
    for month in _months(months):
        _rollup(posyandu, month, "service_days", 1)
        _rollup(posyandu, month, "d_s", *ds)
    _rollup(posyandu, _months()[0], "cov_idl", 9, 10)


def test_page_refused_to_kader_bidan_and_outsider(client, jejaring):
    for persona in ("kader_sari", "bidan_rina", "outsider"):
        client.force_login(jejaring.user(persona))
        assert client.get(URL).status_code == 403


def test_pokjanal_sees_the_kabupaten_without_names(client, jejaring):
    kader = KaderFactory(posyandu=jejaring.melati, name="Kader Rahasia")
    CompetencyRecordFactory(kader=kader, competency="bayi_balita.pertumbuhan")
    PersonFactory(posyandu=jejaring.melati, name="Warga Rahasia")
    client.force_login(_pokjanal(jejaring))
    text = client.get(URL).content.decode()
    for name in ("Melati", "Mawar", "Anggrek", "Kenanga"):
        assert name in text
    assert "Kader Rahasia" not in text
    assert "Warga Rahasia" not in text
    assert "/pokjanal/ilp/" not in text  # the Pokjanal does not set roll-out stages
    assert "/pokjanal/keputusan/baru/" in text


def test_puskesmas_sees_her_posyandu_only_and_may_edit(client, jejaring):
    client.force_login(jejaring.user("puskesmas_admin"))
    text = client.get(URL).content.decode()
    assert "Melati" in text
    assert "Kenanga" not in text
    assert f"/pokjanal/ilp/{jejaring.melati.uuid}/" in text
    assert client.get(f"/pokjanal/ilp/{jejaring.kenanga.uuid}/").status_code == 404
    assert client.get(f"/pokjanal/strata/{jejaring.kenanga.uuid}/").status_code == 404


def test_desa_official_sees_her_desa(client, jejaring):
    client.force_login(jejaring.user("desa_official"))
    text = client.get(URL).content.decode()
    assert "Melati" in text
    assert "Anggrek" not in text


def test_stratum_from_rollups_and_entered_figures(jejaring):
    _good_year(jejaring.melati)
    for k in range(5):
        KaderFactory(posyandu=jejaring.melati, name=f"K{k}")
    StrataInput.objects.create(
        posyandu=jejaring.melati,
        year=TODAY.year,
        kia=60,
        kb=55,
        extra_programmes=1,
        kader_on_duty=5,
    )
    data = selectors.pokjanal_overview(user=jejaring.user("puskesmas_admin"))
    melati = next(r for r in data.rows if r.posyandu == jejaring.melati)
    assert melati.figures["service_days"] == 12
    assert melati.figures["ds"] == 60
    assert melati.figures["immunisation"] == 90
    assert melati.strata.stratum == "purnama"
    assert melati.strata.ceiling == "mandiri"  # dana sehat not reported
    assert melati.strata.active is True
    assert data.active["active"] == 1
    mawar = next(r for r in data.rows if r.posyandu == jejaring.mawar)
    assert mawar.strata.stratum == "pratama"
    assert mawar.strata.active is False


def test_seven_service_days_stay_pratama(jejaring):
    _good_year(jejaring.melati, months=7)
    StrataInput.objects.create(posyandu=jejaring.melati, year=TODAY.year, kader_on_duty=6)
    data = selectors.pokjanal_overview(user=jejaring.user("puskesmas_admin"))
    melati = next(r for r in data.rows if r.posyandu == jejaring.melati)
    assert melati.figures["service_days"] == 7
    assert melati.strata.stratum == "pratama"
    assert [r.criterion.code for r in melati.strata.unmet] == ["service_days"]


def test_kader_on_duty_counted_from_the_kader_who_recorded(jejaring):
    logins = [UserFactory(username=f"kader_{k}") for k in range(3)]
    for k, user in enumerate(logins):
        Kader.objects.create(posyandu=jejaring.melati, name=f"Kader {k}", user=user)
    day1 = ServiceDay.objects.create(posyandu=jejaring.melati, date=TODAY, status="open")
    day2 = ServiceDay.objects.create(
        posyandu=jejaring.melati, date=TODAY - dt.timedelta(days=1), status="confirmed"
    )
    ServiceDay.objects.create(  # planned, never held: not counted
        posyandu=jejaring.melati, date=TODAY - dt.timedelta(days=2), status="planned"
    )
    for day, users in ((day1, logins), (day2, logins[:1])):
        for user in users:
            person = PersonFactory(posyandu=jejaring.melati)
            Visit.objects.create(
                person=person,
                service_day=day,
                posyandu=jejaring.melati,
                date=day.date,
                created_by=user,
            )
    data = selectors.pokjanal_overview(user=jejaring.user("puskesmas_admin"))
    melati = next(r for r in data.rows if r.posyandu == jejaring.melati)
    assert melati.figures["kader_on_duty"] == 2.0  # (3 + 1) kader-days / 2 held days
    assert melati.sources["kader_on_duty"] == "recorded"


def test_gaps_aggregated_per_competency(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    CompetencyRecordFactory(kader=kader, competency="bayi_balita.pertumbuhan")
    data = selectors.pokjanal_overview(user=jejaring.user("dinkes_analyst"))
    counts = {c.code: n for c, n in data.gaps}
    assert counts["bayi_balita.pertumbuhan"] == 3  # every posyandu but Melati
    assert counts["pengelolaan.pencatatan"] == 4


def test_overdue_decision_marked_in_words_and_icon(client, jejaring):
    Decision.objects.create(
        region=jejaring.desa_sukamaju,
        meeting_date=TODAY - dt.timedelta(days=20),
        text="Desa menganggarkan PMT",
        sector="pmd",
        due_date=TODAY - dt.timedelta(days=3),
    )
    Decision.objects.create(
        region=jejaring.kabupaten,
        meeting_date=TODAY - dt.timedelta(days=20),
        text="Dinkes melatih kader",
        sector="kesehatan",
        due_date=TODAY + dt.timedelta(days=3),
    )
    client.force_login(jejaring.user("desa_official"))
    text = client.get(URL).content.decode()
    assert "⚠" in text
    assert "Terlambat 3 hari" in text
    assert "Dinkes melatih kader" in text  # the kabupaten's decision concerns her desa
    assert "Belum selesai" in text  # not yet due: open, in a decision's words
    assert "Berlangsung" not in text  # (a service day's "open")


def test_only_decisions_of_her_area_offer_an_update(client, jejaring):
    def decision(region, text):
        return Decision.objects.create(
            region=region,
            meeting_date=TODAY - dt.timedelta(days=20),
            text=text,
            sector="pmd",
            due_date=TODAY + dt.timedelta(days=3),
        )

    own = decision(jejaring.desa_sukamaju, "Desa menganggarkan PMT")
    above = decision(jejaring.kabupaten, "Dinkes melatih kader")
    client.force_login(jejaring.user("desa_official"))
    text = client.get(URL).content.decode()
    assert "Dinkes melatih kader" in text  # she reads the kabupaten's decision
    assert f"/pokjanal/keputusan/{own.uuid}/" in text
    assert f"/pokjanal/keputusan/{above.uuid}/" not in text
    client.force_login(_pokjanal(jejaring))
    text = client.get(URL).content.decode()
    assert f"/pokjanal/keputusan/{own.uuid}/" in text
    assert f"/pokjanal/keputusan/{above.uuid}/" in text
    client.force_login(jejaring.user("puskesmas_admin"))  # reads, never records decisions
    assert "/pokjanal/keputusan/" not in client.get(URL).content.decode()


def test_decision_form_errors_name_field_and_value(client, jejaring):
    client.force_login(jejaring.user("desa_official"))
    response = client.post(
        "/pokjanal/keputusan/baru/",
        {
            "client_uuid": str(uuid.uuid4()),
            "meeting_date": "31-02-2026",
            "text": "x",
            "sector": "pkk",
            "due_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "31-02-2026" in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_form_saves_once_for_a_double_submit(client, jejaring):
    client.force_login(jejaring.user("desa_official"))
    form = {
        "client_uuid": str(uuid.uuid4()),
        "meeting_date": TODAY.isoformat(),
        "text": "PKK mengaktifkan posyandu",
        "sector": "pkk",
        "due_date": (TODAY + dt.timedelta(days=30)).isoformat(),
    }
    assert client.post("/pokjanal/keputusan/baru/", form).status_code == 302
    assert client.post("/pokjanal/keputusan/baru/", form).status_code == 302
    assert Decision.objects.count() == 1


def _text(response):
    return html.unescape(response.content.decode())


def _decision_form(key=None, **changes):
    form = {
        "meeting_date": TODAY.isoformat(),
        "text": "PKK mengaktifkan posyandu",
        "sector": "pkk",
        "due_date": (TODAY + dt.timedelta(days=30)).isoformat(),
        **changes,
    }
    if key is not None:
        form["client_uuid"] = key
    return form


@pytest.mark.parametrize(("key", "shown"), [("abc", "abc"), ("", ""), (None, "")])
def test_decision_form_refuses_a_malformed_or_missing_key(client, jejaring, key, shown):
    client.force_login(jejaring.user("desa_official"))
    response = client.post("/pokjanal/keputusan/baru/", _decision_form(key))
    assert response.status_code == 200
    assert f"client_uuid: '{shown}' bukan ID yang sah." in _text(response)
    assert not Decision.objects.exists()


def test_decision_form_keeps_its_key_through_a_correction(client, jejaring):
    client.force_login(jejaring.user("desa_official"))
    hidden = r'name="client_uuid" value="([0-9a-f-]{36})"'
    key = re.search(hidden, client.get("/pokjanal/keputusan/baru/").content.decode()).group(1)
    wrong = client.post("/pokjanal/keputusan/baru/", _decision_form(key, meeting_date="31-02"))
    assert wrong.status_code == 200
    assert re.search(hidden, wrong.content.decode()).group(1) == key
    assert client.post("/pokjanal/keputusan/baru/", _decision_form(key)).status_code == 302
    assert client.post("/pokjanal/keputusan/baru/", _decision_form(key)).status_code == 302
    assert str(Decision.objects.get().uuid) == key


@pytest.mark.parametrize(
    ("tahun", "shown"),
    [
        ("abc", "Tahun: “abc” bukan bilangan bulat."),
        ("2022", "Tahun 2022 di luar rentang 2023 sampai tahun ini."),
        (str(TODAY.year + 1), f"Tahun {TODAY.year + 1} di luar rentang 2023 sampai tahun ini."),
    ],
)
def test_a_bad_year_is_a_400_naming_it(client, jejaring, tahun, shown):
    client.force_login(jejaring.user("puskesmas_admin"))
    response = client.get(f"{URL}?tahun={tahun}")
    assert response.status_code == 400
    assert shown in _text(response)
    strata = f"/pokjanal/strata/{jejaring.melati.uuid}/?tahun={tahun}"
    response = client.post(strata, {"kia": "60"})
    assert response.status_code == 400
    assert shown in _text(response)
    assert not StrataInput.objects.exists()  # not saved under another year


def test_a_past_year_is_read_and_saved_as_that_year(client, jejaring):
    client.force_login(jejaring.user("puskesmas_admin"))
    text = client.get(f"{URL}?tahun=2024").content.decode()
    assert '<option value="2024" selected>' in text
    response = client.post(f"/pokjanal/strata/{jejaring.melati.uuid}/?tahun=2024", {"kia": "60"})
    assert response.status_code == 302
    assert StrataInput.objects.get().year == 2024


def test_strata_form_error_names_field_and_value(client, jejaring):
    client.force_login(jejaring.user("puskesmas_admin"))
    response = client.post(f"/pokjanal/strata/{jejaring.melati.uuid}/", {"kia": "130"})
    text = response.content.decode()
    assert "130" in text
    assert response.status_code == 200
    assert "Cakupan kumulatif KIA (%): 130 % tidak masuk akal (seharusnya 0–100)." in _text(
        response
    )
    assert not StrataInput.objects.exists()
    response = client.post(
        f"/pokjanal/strata/{jejaring.melati.uuid}/", {"kia": "62,5", "extra_programmes": "2"}
    )
    assert response.status_code == 302
    assert float(StrataInput.objects.get().kia) == 62.5


def test_rollout_form_saves(client, jejaring):
    client.force_login(jejaring.user("dinkes_analyst"))
    response = client.post(
        f"/pokjanal/ilp/{jejaring.kenanga.uuid}/", {"stage": "sudah", "since": "2025-01-06"}
    )
    assert response.status_code == 302
    assert IlpRollout.objects.get().posyandu == jejaring.kenanga


def _add_posyandu(jejaring, count):
    for k in range(count):
        place = Facility.objects.create(
            kind="posyandu",
            name=f"Extra {k}",
            region=jejaring.desa_sukamaju,
            parent=jejaring.pustu,
        )
        _good_year(place, months=2)
        kader = KaderFactory(posyandu=place)
        CompetencyRecordFactory(kader=kader)
        IlpRollout.objects.create(posyandu=place, stage="persiapan")
        StrataInput.objects.create(posyandu=place, year=TODAY.year, kia=50)


@pytest.mark.parametrize("persona", ["dinkes_analyst", "puskesmas_admin"])
def test_page_queries_do_not_grow_with_the_posyandu(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    _add_posyandu(jejaring, 2)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _add_posyandu(jejaring, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
    assert len(many) <= 20


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("puskesmas_admin", True),
        ("dinkes_analyst", True),
        ("desa_official", True),
        ("kader_sari", False),
        ("bidan_rina", False),
    ],
)
def test_menu_offers_the_page_to_its_roles(client, jejaring, persona, shown):
    client.force_login(jejaring.user(persona))
    text = client.get("/pws/").content.decode()
    assert ('href="/pokjanal/"' in text) is shown


def test_overdue_decisions_listed_first(client, jejaring):
    for days, text in ((40, "Sudah lama"), (-10, "Belum jatuh tempo"), (2, "Baru lewat")):
        Decision.objects.create(
            region=jejaring.desa_sukamaju,
            meeting_date=TODAY - dt.timedelta(days=60),
            text=text,
            sector="pmd",
            due_date=TODAY - dt.timedelta(days=days),
        )
    client.force_login(jejaring.user("desa_official"))
    page = client.get(URL).content.decode()
    assert page.index("Sudah lama") < page.index("Baru lewat") < page.index("Belum jatuh tempo")
