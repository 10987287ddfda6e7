"""A kader opens the app on her phone, logs in, and checks a child's growth."""

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from posyandu.accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_kader_logs_in_and_checks_a_stunted_child(live_server, page: Page):
    call_command("demo", scale="small", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(f"{live_server.url}/masuk/")
    expect(page.get_by_role("heading", name="Akun demo")).to_be_visible()
    screenshot(page, "login")
    page.get_by_label("Nama pengguna").fill("kader_sari")
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("kader_sari")).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name="Cek pertumbuhan anak").click()
    page.get_by_label("Perempuan").check()
    page.get_by_label("Tanggal lahir").fill("2024-11-02")
    page.get_by_label("Tanggal pengukuran").fill("2026-11-02")
    page.get_by_label("Berat badan (kg)").fill("9,2")
    page.get_by_label("Panjang/tinggi badan (cm)").fill("78,0")
    page.get_by_label("berdiri (tinggi badan)").check()
    page.get_by_role("button", name="Cek pertumbuhan").click()

    result = page.locator("#result")
    expect(result.get_by_text("Umur: 24 bulan")).to_be_visible()
    expect(result.get_by_text("Pendek", exact=True)).to_be_visible()
    screenshot(page, "growth-check")


def test_growth_check_names_bad_value_in_indonesian(live_server, page: Page):
    page.goto(f"{live_server.url}/pertumbuhan/")
    page.get_by_label("Laki-laki").check()
    page.get_by_label("Tanggal lahir").fill("2025-01-10")
    page.get_by_label("Berat badan (kg)").fill("8,x")
    page.get_by_role("button", name="Cek pertumbuhan").click()
    error = page.locator("#result").get_by_text("Berat badan (kg): '8,x' bukan angka.")
    expect(error).to_be_visible()
