"""The first pages: start page, health check, login, API docs."""

import pytest
from django.core.management import call_command

from posyandu.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_home_page_speaks_indonesian(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'lang="id"' in text
    assert "Pendaftaran" in text  # step 1, Registration
    assert "Penyuluhan" in text  # step 5, Counselling


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_api_docs_and_schema_are_served(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Posyandu ILP API"
    assert client.get("/api/version").json()["name"] == "posyandu"


def test_login_page_lists_demo_logins_in_debug(client):
    text = client.get("/masuk/").content.decode()
    for login in DEMO_LOGINS:
        assert login.username in text
    assert DEMO_PASSWORD in text


def test_demo_command_creates_working_logins(client):
    call_command("demo", scale="small", stdout=open("/dev/null", "w"))  # noqa: SIM115
    personas = ["kader_sari", "bidan_rina", "puskesmas_admin", "dinkes_analyst", "desa_official"]
    assert set(personas) <= {d.username for d in DEMO_LOGINS}
    for username in personas:
        assert client.login(username=username, password=DEMO_PASSWORD), username
    response = client.post("/masuk/", {"username": "kader_sari", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_login_rejects_wrong_password_in_indonesian(client):
    call_command("demo", scale="small", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = client.post("/masuk/", {"username": "kader_sari", "password": "salah"})
    assert response.status_code == 200
    assert "benar" in response.content.decode()  # "... nama pengguna dan sandi yang benar"


def test_not_found_page_speaks_indonesian(client, settings):
    settings.DEBUG = False
    response = client.get("/warga/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 302  # anonymous users go to the login first
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.content.decode()
