"""A posyandu day on a phone: kader_sari schedules and opens the day, registers a newborn girl,
checks her in, weighs and measures her, sees her growth class and chart, records the dose the
bidan gave, refers an underweight boy to the Pustu; bidan_rina receives the referral and
answers; kader_sari reads the answer. Then: a desa official sees no names, and a kader of
another posyandu cannot open a Melati person's card."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import PHONE, screenshot
from tests.factories import PersonFactory
from tests.personas import PASSWORD, Jejaring
from tests.unit.visits.factories import ServiceDayFactory, VisitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BABY = "Nur Aisyah"
MOTHER = "Rini Lestari"
BOY = "Bayu Pratama"
# Five weeks: past her first month, so BCG is due today (HB-0 was due in her first week).
BABY_AGE_DAYS = 35
MOTHER_BORN = dt.date(1999, 5, 4)
FEEDBACK = "Sudah diperiksa di Pustu: diberi PMT dan kontrol lagi 2 minggu."


def _phone(browser: Browser) -> Page:
    """Open a new phone-sized browser context (a second person's own phone)."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=2)
    return context.new_page()


def _log_in(page: Page, base: str, username: str) -> None:
    """Log in through the real login page."""
    page.goto(f"{base}/masuk/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator(".bar .who")).to_have_text(username)


def _menu(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name=label).click()


def _row(page: Page, name: str) -> Locator:
    return page.locator("li.row", has_text=name)


def _residents(jejaring: Jejaring, today: dt.date) -> None:
    """A mother at Melati (of the baby registered in the test) and a one-year-old boy."""
    PersonFactory(posyandu=jejaring.melati, name=MOTHER, sex="F", birth_date=MOTHER_BORN)
    PersonFactory(
        posyandu=jejaring.melati, name=BOY, sex="M", birth_date=today - dt.timedelta(days=365)
    )


def test_a_posyandu_day_from_newborn_to_the_bidans_answer(
    live_server, browser: Browser, page: Page, jejaring: Jejaring
):
    base = live_server.url
    today = timezone.localdate()
    _residents(jejaring, today)

    # 1. The kader schedules today's day and opens it.
    _log_in(page, base, "kader_sari")
    _menu(page, "Hari buka")
    expect(page.get_by_role("heading", name="Hari buka posyandu")).to_be_visible()
    page.locator("#id_date").fill(today.isoformat())
    page.get_by_role("button", name="Jadwalkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(today.strftime("%d/%m/%Y"))
    _menu(page, "Hari buka")
    expect(_row(page, today.strftime("%d/%m/%Y"))).to_contain_text("Melati")
    screenshot(page, "day-list")
    _row(page, today.strftime("%d/%m/%Y")).get_by_role("link").click()

    # 2. She registers the newborn from the day, comes back, and checks her in.
    page.get_by_role("link", name="Warga baru").click()
    page.locator("#id_name").fill(BABY)
    page.get_by_label("Perempuan").check()
    page.locator("#id_birth_date").fill((today - dt.timedelta(days=BABY_AGE_DAYS)).isoformat())
    page.locator("#id_mother").select_option(label=f"{MOTHER} ({MOTHER_BORN:%d/%m/%Y})")
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(today.strftime("%d/%m/%Y"))
    _row(page, BABY).get_by_role("button", name="Datang").click()
    expect(_row(page, BABY).get_by_role("link", name=re.compile("Ukur"))).to_be_visible()
    _row(page, BOY).get_by_role("button", name="Datang").click()
    expect(_row(page, BOY).get_by_role("link", name=re.compile("Ukur"))).to_be_visible()
    page.reload()
    expect(page.locator("#came")).to_contain_text(BABY)
    expect(page.locator("#came")).to_contain_text(BOY)
    screenshot(page, "day")

    # 3. Step 2: she weighs and measures the baby lying down, and sees the growth classes.
    page.locator("#came li", has_text=BABY).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Penimbangan dan pengukuran", level=2)).to_be_visible()
    page.locator("#id_weight_kg").fill("4,0")
    page.locator("#id_lenhei_cm").fill("53,0")
    page.get_by_label("berbaring (panjang badan)").check()
    screenshot(page, "measure")
    page.get_by_role("button", name="Simpan dan lihat hasil").click()
    result = page.locator("section.result")
    for indicator in ("Berat badan menurut umur", "Panjang/tinggi badan menurut umur"):
        expect(result.locator(".status", has_text=indicator)).to_contain_text("Normal")
    screenshot(page, "measure-result")
    page.get_by_role("link", name=re.compile("grafik pertumbuhan")).click()
    chart = page.locator("#charts svg").first
    expect(chart).to_be_visible()
    expect(chart.locator("path.band")).not_to_have_count(0)
    expect(chart.locator("circle.pt")).to_have_count(1)
    expect(page.locator("#growth")).to_contain_text("Normal")
    screenshot(page, "card")
    page.go_back()

    # 4. Step 4: she records the BCG the bidan gave (HB-0 is past its week and cannot be).
    page.get_by_role("button", name="Sudah dicatat di Buku KIA: lanjutkan").click()
    expect(page.get_by_role("heading", name="Pelayanan kesehatan", level=2)).to_be_visible()
    expect(page.locator("input[name=vaccines][value=hb0]")).to_be_disabled()
    page.locator("input[name=vaccines][value=bcg]").check()
    page.locator("#id_batch").fill("BCG-2611")
    screenshot(page, "services")
    page.get_by_role("button", name="Simpan dan lanjut ke penyuluhan").click()
    page.locator(".stepbar li").nth(3).get_by_role("link").click()  # back to step 4: it is kept
    expect(page.get_by_text("✔ BCG")).to_contain_text("BCG-2611")
    page.go_back()
    page.locator("input[name=topics]").first.check()
    page.get_by_role("button", name="Simpan: kunjungan selesai").click()
    expect(page.get_by_text(f"{BABY}: kelima langkah sudah selesai.")).to_be_visible()

    # The boy is very light for his age: the result says so and the referral reasons are ticked.
    page.locator("#came li", has_text=BOY).get_by_role("link").click()
    page.locator("#id_weight_kg").fill("6,4")
    page.locator("#id_lenhei_cm").fill("71,0")
    page.get_by_label("berbaring (panjang badan)").check()
    page.get_by_role("button", name="Simpan dan lihat hasil").click()
    expect(page.locator("section.result")).to_contain_text("Rujuk ke Pustu atau Puskesmas")
    page.get_by_role("button", name="Sudah dicatat di Buku KIA: lanjutkan").click()
    refer = page.locator("form", has=page.get_by_role("button", name="Rujuk"))
    expect(refer.locator("input[name=reasons]:checked")).not_to_have_count(0)
    refer.locator("textarea").fill("BB sangat kurang, nafsu makan turun.")
    refer.get_by_role("button", name="Rujuk").click()
    expect(page.get_by_text("Rujukan dikirim ke Pustu Sukamaju.")).to_be_visible()
    screenshot(page, "referral-issued")

    # 5. The bidan, on her own phone, receives the referral and answers.
    bidan = _phone(browser)
    _log_in(bidan, base, "bidan_rina")
    _menu(bidan, "Rujukan")
    expect(bidan.get_by_role("heading", name="Rujukan masuk")).to_be_visible()
    card = bidan.locator("a.card", has_text=BOY)
    expect(card).to_contain_text("Dikirim")
    screenshot(bidan, "referral-inbox")
    card.click()
    bidan.get_by_role("button", name="Tandai sudah diterima").click()
    expect(bidan.get_by_role("heading", level=2, name=re.compile("Status"))).to_contain_text(
        "Diterima"
    )
    bidan.get_by_label("Umpan balik untuk kader").fill(FEEDBACK)
    bidan.get_by_role("button", name="Kirim umpan balik").click()
    expect(bidan.get_by_text("Umpan balik terkirim ke kader.")).to_be_visible()
    bidan.context.close()

    # 6. The kader opens her referrals and reads the answer.
    _menu(page, "Rujukan")
    expect(page.get_by_role("heading", name="Rujukan saya")).to_be_visible()
    card = page.locator("a.card", has_text=BOY)
    expect(card).to_contain_text("Sudah dijawab")
    expect(card).to_contain_text(FEEDBACK)
    card.click()
    expect(page.locator("p.card")).to_contain_text(FEEDBACK)
    screenshot(page, "referral-feedback")


def test_a_desa_official_sees_no_names_and_an_outsider_no_card(
    live_server, browser: Browser, page: Page, jejaring: Jejaring
):
    base = live_server.url
    mother = PersonFactory(posyandu=jejaring.melati, name=MOTHER, birth_date=MOTHER_BORN)
    day = ServiceDayFactory(posyandu=jejaring.melati)
    VisitFactory(service_day=day, person=mother)

    _log_in(page, base, "desa_official")
    menu = page.get_by_role("navigation", name="Menu utama").get_by_role("link")
    expect(menu).to_have_text(["Dasbor PWS", "Laporan", "Pokjanal"])
    menu.first.click()
    expect(page).to_have_url(re.compile("/pws/"))
    expect(page.locator("main")).not_to_contain_text(MOTHER)
    screenshot(page, "pws-desa")
    # Nor by typing the address of a section with names, or of her card.
    for path in ("/warga/", "/hari-buka/", f"/hari-buka/{day.uuid}/", "/rujukan/"):
        page.goto(f"{base}{path}")
        expect(page.locator("body")).not_to_contain_text(MOTHER)
    assert page.goto(f"{base}/warga/{mother.uuid}/").status == 404

    outsider = _phone(browser)
    _log_in(outsider, base, "outsider")
    answer = outsider.goto(f"{base}/warga/{mother.uuid}/")
    assert answer is not None
    assert answer.status == 404
    expect(outsider.locator("body")).not_to_contain_text(MOTHER)
    outsider.context.close()
