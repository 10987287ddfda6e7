"""The offline app's shell, manifest and service worker (ADR 8)."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

from posyandu.offline.views import LABELS

pytestmark = pytest.mark.django_db


def _boot(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="boot" type="application/json">') + len(
        '<script id="boot" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_shell_embeds_the_kaders_posyandu_the_csrf_token_and_translated_labels(client, jejaring):
    client.force_login(jejaring.user("kader_sari"))
    response = client.get("/luring/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    boot = _boot(response)
    assert boot["posyandu"] == str(jejaring.melati.uuid)
    assert boot["user"] == "kader_sari"
    assert len(boot["csrf"]) >= 32
    html = response.content.decode()
    assert 'id="labels"' in html
    assert "Tersimpan di HP ini" in html
    assert "Kunjungan rumah terakhir" in html  # the worklist's words are the web page's
    assert response["Cache-Control"] == "no-cache"


def test_nakes_chooses_one_of_her_posyandu(client, jejaring):
    client.force_login(jejaring.user("bidan_rina"))
    boot = _boot(client.get(f"/luring/?posyandu={jejaring.mawar.uuid}"))
    assert boot["posyandu"] == str(jejaring.mawar.uuid)
    assert client.get(f"/luring/?posyandu={jejaring.kenanga.uuid}").status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("dinkes_analyst", 403), ("desa_official", 403)])
def test_roles_without_a_posyandu_day_are_refused(client, jejaring, persona, status):
    client.force_login(jejaring.user(persona))
    assert client.get("/luring/").status_code == status


def test_anonymous_goes_to_login(client, jejaring):
    response = client.get("/luring/")
    assert response.status_code == 302
    assert "/masuk/" in response["Location"]


def test_manifest_is_installable(client):
    response = client.get("/luring/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    body = json.loads(response.content)
    assert body["start_url"] == "/luring/"
    assert body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_is_scoped_and_caches_the_versioned_assets(client):
    response = client.get("/luring/sw.js")
    assert response["Service-Worker-Allowed"] == "/luring/"
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    assert "posyandu-luring-" in text
    for asset in ("offline/app.js", "offline/db.js", "offline/sync.js", "offline/app.css"):
        assert asset in text


# Words the same in Bahasa Indonesia (loanwords the app's kader use as they are).
SAME_IN_INDONESIAN = {"online", "offline"}


def _labels(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="labels" type="application/json">') + len(
        '<script id="labels" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_every_label_of_the_shell_is_in_indonesian(client, jejaring):
    """A label missing from the `id` catalogue (or left fuzzy) would reach the kader in
    English: each one the shell hands the script must differ from its English msgid, and
    keep the `%s` the script fills in."""
    client.force_login(jejaring.user("kader_sari"))
    labels = _labels(client.get("/luring/", HTTP_ACCEPT_LANGUAGE="id"))
    assert set(labels) == set(LABELS)
    with translation.override("en"):
        english = {key: str(value) for key, value in LABELS.items()}
    untranslated = sorted(
        key
        for key, words in labels.items()
        if words == english[key] and key not in SAME_IN_INDONESIAN
    )
    assert untranslated == []
    for key, words in labels.items():
        assert words.strip(), key
        assert words.count("%s") == english[key].count("%s"), key
