"""Monthly reports: the xlsx and PDF hold the PWS numbers; names only for named roles."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from posyandu.pws.models import MonthlyRollup
from posyandu.pws.services import recent_months, rollup_rebuild
from posyandu.regions.models import Facility
from tests.unit.pws.facts import child, months_ago, service_day, this_month, weigh

pytestmark = pytest.mark.django_db
NAMES = ("Ani Melati", "Bayu Melati", "Cici Melati", "Dodi Melati")
SKDN = ("S", "K", "D", "N", "T", "O", "B", "2T", "BGM")


@pytest.fixture
def melati(jejaring):
    """Melati: Ani (F, 20 mo) up; Bayu (M, 8 mo) not weighed; Cici (F, 3 mo) first weighing;
    Dodi (M, 30 mo) weighed two months ago and now (O). Mawar: one child weighed (B)."""
    ani = child(jejaring.melati, "Ani Melati", has_buku_kia=True)
    weigh(ani, months_ago(1), "9.0")
    weigh(ani, this_month().replace(day=5), "9.4")
    child(jejaring.melati, "Bayu Melati", months_old=8, sex="M")
    cici = child(jejaring.melati, "Cici Melati", months_old=3, has_buku_kia=True)
    weigh(cici, this_month().replace(day=5), "6.0")
    dodi = child(jejaring.melati, "Dodi Melati", months_old=30, sex="M")
    weigh(dodi, months_ago(2), "12.0")
    weigh(dodi, this_month().replace(day=5), "12.5")
    weigh(child(jejaring.mawar, "Eka Mawar"), this_month().replace(day=5), "9.5")
    service_day(jejaring.melati, this_month().replace(day=5))
    rollup_rebuild(months=recent_months(this_month(), 3))
    return jejaring


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _xlsx(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(response.content))


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _rows_by_code(ws) -> dict[str, list[object]]:
    return {
        row[0]: list(row)
        for row in ws.iter_rows(values_only=True)
        if isinstance(row[0], str) and row[0].split(" ")[0] in (*SKDN, "D/S", "N/D", "K/S")
    }


def _rollup(posyandu, code) -> int:
    row = MonthlyRollup.objects.filter(posyandu=posyandu, month=this_month(), indicator=code)
    return row.first().numerator if row.exists() else 0


def _url(kind, place, fmt, month=None):
    return f"/laporan/{kind}/{place.uuid}.{fmt}?bulan={(month or this_month()):%Y-%m}"


def test_posyandu_xlsx_skdn_equals_the_rollups_and_the_hand_count(client, melati):
    book = _xlsx(_get(client, melati.user("bidan_rina"), _url("posyandu", melati.melati, "xlsx")))
    ws = book.worksheets[0]
    rows = _rows_by_code(ws)
    hand = {"S": 4, "K": 2, "D": 3, "N": 1, "T": 0, "O": 1, "B": 1, "2T": 0, "BGM": 0}
    for code, count in hand.items():
        total = rows[code][-1]
        assert total == count, code
        assert total == _rollup(melati.melati, code.lower()), code
        # the split by band and sex adds up to the total (M and F over all ages, then bands)
        assert rows[code][-3] + rows[code][-2] == total, code
        assert sum(rows[code][2:10]) == total, code
    # bands 0-5, 6-11, 12-23, 24-59, each M then F
    assert rows["S"][2:10] == [0, 1, 1, 0, 0, 1, 1, 0]
    assert rows["D"][2:10] == [0, 1, 0, 0, 0, 1, 1, 0]
    assert rows["N"][2:10] == [0, 0, 0, 0, 0, 1, 0, 0]
    d_s = rows["D/S (%)"]
    assert d_s[-1] == pytest.approx(0.75)  # 3 of 4, stored as a fraction shown as 0.0 %
    assert ws.cell(row=ws.max_row, column=1).value is not None
    cell = next(c for r in ws.iter_rows() for c in r if c.value == d_s[-1] and c.column > 10)
    assert cell.number_format == "0.0%"
    assert ws.freeze_panes is not None
    assert ws.print_title_rows  # the header rows repeat on every printed page
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)


def test_register_only_for_named_roles(client, melati):
    url = _url("posyandu", melati.melati, "xlsx")
    named = _xlsx(_get(client, melati.user("kader_sari"), url))
    assert len(named.worksheets) == 3
    register = named.worksheets[2]
    cells = [c for row in register.iter_rows(values_only=True) for c in row if c is not None]
    assert all(name in cells for name in NAMES)
    assert "Eka Mawar" not in cells
    ani = next(row for row in register.iter_rows(values_only=True) if row[1] == "Ani Melati")
    month = this_month().month
    assert ani[5 + 2 * (month - 1)] == pytest.approx(9.4)
    assert ani[6 + 2 * (month - 1)] == "N"

    official = _get(client, melati.user("desa_official"), url)
    book = _xlsx(official)
    assert len(book.worksheets) == 2
    everything = [
        c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row
    ]
    assert not any(isinstance(c, str) and any(n in c for n in NAMES) for c in everything)
    assert _rows_by_code(book.worksheets[0])["D"][-1] == 3  # the recap is there

    text = _pdf_text(_get(client, melati.user("desa_official"), url.replace(".xlsx", ".pdf")))
    assert not any(name in text for name in NAMES)


def _rename_puskesmas(jejaring, name="Induk Sukamaju"):
    """Give the Puskesmas a name of its own (the desa and the Pustu are all "Sukamaju")."""
    Facility.objects.filter(pk=jejaring.puskesmas.pk).update(name=name)
    return name


def _after(lines, label):
    """Return the line after the first line that is exactly `label` (a header's value)."""
    return lines[lines.index(label) + 1]


def test_posyandu_pdf_has_the_header_and_the_numbers(client, melati):
    puskesmas = _rename_puskesmas(melati)
    rina = melati.user("bidan_rina")
    rina.first_name, rina.last_name = "Rina", "Marlina"
    rina.save()
    response = _get(client, rina, _url("posyandu", melati.melati, "pdf"))
    text = _pdf_text(response)
    assert "Melati" in text
    assert "Sukamaju" in text  # desa, Pustu and Puskesmas
    lines = [line.strip() for line in text.splitlines()]
    assert _after(lines, "Desa/Kelurahan") == "Sukamaju"
    assert _after(lines, "Pustu") == "Sukamaju"
    assert _after(lines, "Puskesmas") == puskesmas
    # The printer by full name, in the header ("Printed") and in every page's footer alike.
    assert "bidan_rina" not in text
    assert text.count("Rina Marlina") == len(PdfReader(io.BytesIO(response.content)).pages) + 1
    assert "75,0" in text  # D/S
    assert "Ani Melati" in text  # the register, for a named role
    assert f"{this_month().year}" in text


def test_puskesmas_report_lines_subtotals_and_total(client, melati):
    book = _xlsx(
        _get(client, melati.user("puskesmas_admin"), _url("puskesmas", melati.puskesmas, "xlsx"))
    )
    ws = book.worksheets[0]
    rows = [r for r in ws.iter_rows(values_only=True) if r[0] in ("Melati", "Mawar", "Anggrek")]
    assert [r[0] for r in rows] == ["Mawar", "Melati", "Anggrek"]  # by Pustu, then name
    d_col = 2 + 2  # posyandu, desa, S, K, D
    by_name = {r[0]: r for r in rows}
    assert by_name["Melati"][d_col] == _rollup(melati.melati, "d") == 3
    assert by_name["Mawar"][d_col] == 1
    assert by_name["Anggrek"][d_col] == 0
    lines = [r for r in ws.iter_rows(values_only=True) if isinstance(r[d_col], int)]
    names = [r[0] for r in lines]
    assert "Kenanga" not in names
    subtotals = [r for r in lines if "Pustu" in r[0]]
    assert [r[d_col] for r in subtotals] == [4, 0]  # Pustu Sukamaju, Pustu Sukasari
    assert names.index(subtotals[0][0]) == names.index("Melati") + 1
    total = lines[-1]
    assert "Puskesmas" in total[0]
    assert total[2] == 5  # S: 4 at Melati, 1 at Mawar
    assert total[d_col] == 4
    assert total[2 + 9] == pytest.approx(0.8)  # D/S = 4/5, after the nine SKDN counts

    text = _pdf_text(
        _get(client, melati.user("dinkes_analyst"), _url("puskesmas", melati.puskesmas, "pdf"))
    )
    assert "Melati" in text
    assert "Anggrek" in text


def test_puskesmas_report_is_not_found_for_part_of_it(client, melati):
    url = _url("puskesmas", melati.puskesmas, "xlsx")
    for persona in ("kader_sari", "bidan_rina", "desa_official", "outsider"):
        assert _get(client, melati.user(persona), url).status_code == 404, persona


@pytest.mark.parametrize(
    ("query", "shown"),
    [("bulan=2026-13", "2026-13"), ("bulan=kemarin", "kemarin"), ("bulan=1999-01", "1999-01")],
)
def test_a_bad_month_is_a_400_naming_it(client, melati, query, shown):
    url = f"/laporan/posyandu/{melati.melati.uuid}.pdf?{query}"
    response = _get(client, melati.user("bidan_rina"), url)
    assert response.status_code == 400
    text = response.content.decode()
    assert shown in text
    assert "bulan" in text


def test_a_bad_place_is_a_400_naming_it(client, melati):
    response = _get(client, melati.user("bidan_rina"), "/laporan/posyandu/not-a-uuid.xlsx")
    assert response.status_code == 400
    assert "not-a-uuid" in response.content.decode()


def test_the_chooser_offers_the_places_of_the_area(client, melati):
    text = _get(client, melati.user("bidan_rina"), "/laporan/").content.decode()
    assert str(melati.melati.uuid) in text
    assert str(melati.kenanga.uuid) not in text
    assert str(melati.puskesmas.uuid) not in text  # her Pustu is only part of the Puskesmas
    text = _get(client, melati.user("puskesmas_admin"), "/laporan/").content.decode()
    assert str(melati.puskesmas.uuid) in text


def _add_posyandu(jejaring, n):
    for i in range(n):
        place = Facility.objects.create(
            kind="posyandu", name=f"Extra {i}", region=jejaring.desa_sukamaju, parent=jejaring.pustu
        )
        weigh(child(place, f"Anak {i}"), this_month().replace(day=5), "9.0")
    rollup_rebuild(months=[this_month()])


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_puskesmas_report_queries_do_not_grow_with_posyandu(client, melati):
    user = melati.user("puskesmas_admin")
    url = _url("puskesmas", melati.puskesmas, "xlsx")
    before = _queries(client, user, url)
    _add_posyandu(melati, 5)
    assert _queries(client, user, url) == before


def test_a_posyandu_right_under_the_puskesmas_is_listed_without_a_pustu(client, melati):
    place = Facility.objects.create(
        kind="posyandu", name="Dahlia", region=melati.desa_sukamaju, parent=melati.puskesmas
    )
    weigh(child(place, "Fajar Dahlia"), this_month().replace(day=5), "9.0")
    rollup_rebuild(months=[this_month()])
    user = melati.user("puskesmas_admin")
    ws = _xlsx(_get(client, user, _url("puskesmas", melati.puskesmas, "xlsx"))).worksheets[0]
    lines = [r for r in ws.iter_rows(values_only=True) if isinstance(r[4], int)]
    assert "Dahlia" in [r[0] for r in lines]
    assert lines[-1][4] == 5  # D of the whole Puskesmas, Dahlia included
    puskesmas = _rename_puskesmas(melati)
    book = _xlsx(_get(client, user, _url("posyandu", place, "xlsx")))
    header = {r[0]: r[1] for r in book.worksheets[0].iter_rows(max_row=10, values_only=True)}
    assert "Sukamaju" in header.values()  # the Puskesmas is named, the Pustu left empty
    assert header["Puskesmas"] == puskesmas
    assert header["Pustu"] in (None, "")
    assert header["Desa/Kelurahan"] == "Sukamaju"
    assert str(melati.puskesmas.uuid) in _get(client, user, "/laporan/").content.decode()


def _add_puskesmas(jejaring, n):
    """Add `n` Puskesmas in the kabupaten, each with a posyandu under its Pustu and one right
    under it."""
    added = []
    desa = jejaring.desa_sukamaju
    for i in range(n):
        pkm = Facility.objects.create(kind="puskesmas", name=f"Baru {i}", region=desa.parent)
        pustu = Facility.objects.create(kind="pustu", name=f"Baru {i}", region=desa, parent=pkm)
        for parent in (pkm, pustu):
            Facility.objects.create(
                kind="posyandu", name=f"Baru {i} {parent.kind}", region=desa, parent=parent
            )
        added.append(pkm)
    return added


def test_chooser_queries_do_not_grow_with_puskesmas(client, melati):
    user = melati.user("dinkes_analyst")
    before = _queries(client, user, "/laporan/")
    added = _add_puskesmas(melati, 4)
    assert _queries(client, user, "/laporan/") == before
    text = _get(client, user, "/laporan/").content.decode()
    assert all(str(p.uuid) in text for p in (melati.puskesmas, *added))
    # A Puskesmas with one posyandu outside the kabupaten (under it or under its Pustu) is
    # not the dinkes' to report on.
    province = melati.kabupaten.parent
    Facility.objects.create(kind="posyandu", name="Luar", region=province, parent=added[0])
    pustu = Facility.objects.get(kind="pustu", parent=added[1])
    Facility.objects.create(kind="posyandu", name="Luar", region=province, parent=pustu)
    text = _get(client, user, "/laporan/").content.decode()
    assert str(added[0].uuid) not in text
    assert str(added[1].uuid) not in text
    assert str(added[2].uuid) in text


def test_download_names_are_slugs_of_the_place(client, melati):
    Facility.objects.filter(pk=melati.melati.pk).update(name='Melati "Indah" Śrī')
    Facility.objects.filter(pk=melati.puskesmas.pk).update(name="Suka'maju; Désa")
    month = f"{this_month():%Y-%m}"
    posyandu = _get(client, melati.user("bidan_rina"), _url("posyandu", melati.melati, "xlsx"))
    assert posyandu.status_code == 200
    assert posyandu["Content-Disposition"] == (
        f'attachment; filename="laporan-posyandu-melati-indah-sri-{month}.xlsx"'
    )
    url = _url("puskesmas", melati.puskesmas, "pdf")
    puskesmas = _get(client, melati.user("puskesmas_admin"), url)
    assert puskesmas.status_code == 200
    assert puskesmas["Content-Disposition"] == (
        f'attachment; filename="laporan-puskesmas-sukamaju-desa-{month}.pdf"'
    )
