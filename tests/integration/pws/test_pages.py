"""PWS pages: the dashboard, the drill-down and the CSV downloads, for each kind of user."""

import re

import pytest

from posyandu.pws.models import MonthlyRollup
from posyandu.pws.services import recent_months, region_rollup_rebuild, rollup_rebuild
from posyandu.regions.models import Facility, Region
from tests.factories import MembershipFactory
from tests.unit.pws.facts import child, months_ago, this_month, weigh

pytestmark = pytest.mark.django_db
NAMES = ("Ani Melati", "Bayu Melati", "Citra Mawar", "Dedi Mawar")


@pytest.fixture
def weighed(jejaring):
    """Melati: 1 of 2 weighed (up); Mawar: 2 of 2 weighed (new); Kenanga: 1 of 1."""
    ani = child(jejaring.melati, "Ani Melati")
    weigh(ani, months_ago(1), "9.0")
    weigh(ani, this_month(), "9.4")
    child(jejaring.melati, "Bayu Melati")
    for name in ("Citra Mawar", "Dedi Mawar"):
        weigh(child(jejaring.mawar, name), this_month(), "9.5")
    weigh(child(jejaring.kenanga, "Eka Kenanga"), this_month(), "9.5")
    rollup_rebuild(months=recent_months(this_month(), 2))
    return jejaring


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_kader_dashboard_shows_her_posyandu_numbers(client, weighed):
    response = _page(client, weighed.user("kader_sari"), "/pws/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "50,0 %" in text  # D/S of Melati, with a decimal comma
    assert "1 / 2" in text


def test_dashboard_asks_anonymous_users_to_log_in(client):
    response = client.get("/pws/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_dashboard_is_forbidden_without_a_place_in_the_network(client, django_user_model):
    stranger = django_user_model.objects.create_user("stranger", password="x")
    assert _page(client, stranger, "/pws/").status_code == 403


def test_desa_official_sees_numbers_but_no_names(client, weighed):
    official = weighed.user("desa_official")
    dashboard = _page(client, official, "/pws/").content.decode()
    drill = client.get("/pws/indikator/d_s/").content.decode()
    assert "75,0 %" in dashboard  # D/S of the village: 3 of 4
    assert "3 / 4" in drill or "75,0 %" in drill
    for text in (dashboard, drill):
        assert not any(name in text for name in NAMES)
        assert "posyandu=" not in text  # no link to a list of persons
    melati = weighed.melati.uuid
    assert client.get(f"/pws/indikator/d_s/?posyandu={melati}").status_code == 404
    assert client.get(f"/pws/indikator/d_s/warga.csv?posyandu={melati}").status_code == 404


def test_bidan_sees_the_people_behind_the_number_and_they_reconcile(client, weighed):
    url = f"/pws/indikator/d_s/?posyandu={weighed.melati.uuid}"
    text = _page(client, weighed.user("bidan_rina"), url).content.decode()
    assert "Ani Melati" in text
    assert "Bayu Melati" in text  # in the denominator only
    assert "Citra Mawar" not in text  # another posyandu's list was not asked for
    assert 'class="pws-note ok"' in text  # the list matches the monthly recap


def test_a_stale_recap_is_shown_beside_the_live_list(client, weighed):
    MonthlyRollup.objects.filter(posyandu=weighed.melati, indicator="d_s").update(numerator=2)
    url = f"/pws/indikator/d_s/?posyandu={weighed.melati.uuid}"
    text = _page(client, weighed.user("bidan_rina"), url).content.decode()
    assert 'class="pws-note warn"' in text


def test_a_kader_elsewhere_cannot_list_melati(client, weighed):
    url = f"/pws/indikator/d_s/?posyandu={weighed.melati.uuid}"
    assert _page(client, weighed.user("outsider"), url).status_code == 404


def test_league_table_ranks_posyandu_best_first_with_words(client, weighed):
    text = _page(client, weighed.user("bidan_rina"), "/pws/").content.decode()
    league = text[text.index('id="peringkat"') :]
    assert league.index("Mawar") < league.index("Melati")  # 100 % before 50 %
    assert "✔" in league
    assert "✖" in league


def test_every_sparkline_has_one_point_per_month(client, weighed):
    text = _page(client, weighed.user("kader_sari"), "/pws/").content.decode()
    charts = re.findall(r"<svg class=\"spark\".*?</svg>", text, flags=re.S)
    assert charts
    assert all(chart.count("<circle") == 12 for chart in charts)


def test_dinkes_compares_puskesmas(client, weighed):
    text = _page(client, weighed.user("dinkes_analyst"), "/pws/indikator/d_s/?per=puskesmas")
    text = text.content.decode()
    assert "<strong>Sukamaju</strong>" in text
    assert "<strong>Jauh</strong>" in text


def test_a_bad_month_is_named_and_this_month_shown(client, weighed):
    text = _page(client, weighed.user("kader_sari"), "/pws/?bulan=2026-13").content.decode()
    assert 'role="alert"' in text
    assert "2026-13" in text
    assert "50,0 %" in text


def test_an_unknown_indicator_is_not_found(client, weighed):
    assert _page(client, weighed.user("kader_sari"), "/pws/indikator/xyz/").status_code == 404


def test_service_days_have_no_list_of_persons(client, weighed):
    text = _page(client, weighed.user("bidan_rina"), "/pws/indikator/service_days/")
    assert "posyandu=" not in text.content.decode()


def test_summary_csv_opens_in_an_indonesian_spreadsheet(client, weighed):
    response = _page(client, weighed.user("desa_official"), "/pws/ringkasan.csv")
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeff")
    d_s = next(line for line in body.splitlines() if line.startswith("d_s;"))
    assert ";3;4;75,0;" in d_s


def test_league_csv_is_ranked(client, weighed):
    body = _page(client, weighed.user("bidan_rina"), "/pws/peringkat.csv").content.decode()
    rows = body.splitlines()[1:]
    assert rows[0].startswith("1;Mawar;")
    assert rows[1].startswith("2;Melati;")


def test_indicator_csv_has_one_row_per_posyandu(client, weighed):
    body = _page(client, weighed.user("puskesmas_admin"), "/pws/indikator/d_s.csv?per=posyandu")
    lines = body.content.decode().splitlines()[1:]
    assert sorted(line.split(";")[0] for line in lines) == ["Anggrek", "Mawar", "Melati"]


def test_person_csv_lists_the_names_for_a_named_role(client, weighed):
    url = f"/pws/indikator/d_s/warga.csv?posyandu={weighed.melati.uuid}"
    body = _page(client, weighed.user("kader_sari"), url).content.decode()
    assert "Ani Melati" in body
    assert "Bayu Melati" in body


def _month_of_rollups(posyandu, month):
    """Store a month of rollups of `posyandu`: 3 of 4 for each of a few indicators."""
    MonthlyRollup.objects.bulk_create(
        MonthlyRollup(
            posyandu=posyandu,
            month=month,
            indicator=code,
            numerator=3,
            denominator=4,
            values=[2, 5] if code == "ref_feedback_days" else [],
            computed_at="2026-11-01T00:00Z",
            rules_version="t",
        )
        for code in ("s", "d", "d_s", "n_d", "ref_feedback_days", "prev_stunting")
    )


def _area_with(n, province):
    """A Puskesmas with n posyandu, each with a month of rollups, and its staff member."""
    kec = Region.objects.create(code=f"{province}.01.01", name="Kec", level="kecamatan")
    desa = Region.objects.create(
        code=f"{province}.01.01.2001", name="Desa", level="desa", parent=kec
    )
    pkm = Facility.objects.create(kind="puskesmas", name="PKM", region=kec)
    pustu = Facility.objects.create(kind="pustu", name="Pustu", region=desa, parent=pkm)
    month = this_month()
    for i in range(n):
        pos = Facility.objects.create(kind="posyandu", name=f"P{i}", region=desa, parent=pustu)
        _month_of_rollups(pos, month)
    return MembershipFactory(role="puskesmas", facility=pkm).user


@pytest.mark.parametrize("url", ["/pws/", "/pws/indikator/d_s/", "/pws/peringkat.csv"])
def test_query_count_does_not_grow_with_the_number_of_posyandu(
    client, db, url, django_assert_max_num_queries
):
    counts = []
    for n, province in ((2, "53"), (10, "54")):
        client.force_login(_area_with(n, province))
        with django_assert_max_num_queries(12) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _kabupaten_with(n, province):
    """A kabupaten of n kecamatan, each one desa with a posyandu and a month of rollups (their
    region sums made as `pws_rebuild` makes them); its dinkes analyst and a desa official."""
    kab = Region.objects.create(code=f"{province}.01", name="Kab", level="kabupaten")
    month = this_month()
    for i in range(1, n + 1):
        kec = Region.objects.create(
            code=f"{kab.code}.{i:02d}", name=f"Kec {i}", level="kecamatan", parent=kab
        )
        desa = Region.objects.create(
            code=f"{kec.code}.2001", name=f"Desa {i}", level="desa", parent=kec
        )
        pkm = Facility.objects.create(kind="puskesmas", name=f"PKM {i}", region=kec)
        pustu = Facility.objects.create(kind="pustu", name=f"Pustu {i}", region=desa, parent=pkm)
        pos = Facility.objects.create(kind="posyandu", name=f"P{i}", region=desa, parent=pustu)
        _month_of_rollups(pos, month)
    region_rollup_rebuild(months=[month])
    first_desa = Region.objects.get(code=f"{kab.code}.01.2001")
    return {
        "dinkes": MembershipFactory(role="dinkes", region=kab).user,
        "desa": MembershipFactory(role="desa", region=first_desa).user,
    }


@pytest.mark.parametrize("persona", ["dinkes", "desa"])
@pytest.mark.parametrize("url", ["/pws/", "/pws/indikator/d_s/"])
def test_query_count_of_a_region_does_not_grow_with_its_size(
    client, db, url, persona, django_assert_max_num_queries
):
    counts = []
    for n, province in ((2, "53"), (10, "54")):
        client.force_login(_kabupaten_with(n, province)[persona])
        with django_assert_max_num_queries(12) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_kabupaten_dashboard_shows_the_sum_of_its_posyandu(client, db):
    client.force_login(_kabupaten_with(10, "55")["dinkes"])
    text = client.get("/pws/").content.decode()
    assert "30 / 40" in text  # D/S: 3 of 4 in each of the ten posyandu
    # The figure is the kabupaten's own region row: posyandu rows changed after the sums
    # were made (as between a move and `pws_rebuild --regions-only`) do not show.
    MonthlyRollup.objects.filter(indicator="d_s").update(numerator=1)
    text = client.get("/pws/").content.decode()
    assert "30 / 40" in text
    assert "10 / 40" not in text


def test_the_first_month_with_rules_shows_gaps_before_it(client, weighed):
    text = _page(client, weighed.user("kader_sari"), "/pws/?bulan=2023-09").content.decode()
    assert 'role="alert"' not in text
    chart = re.search(r"<svg class=\"spark\".*?</svg>", text, flags=re.S).group(0)
    assert chart.count("<circle") == 12
    assert chart.count('class="point none"') >= 10  # August 2023 and before: no rules yet
