"""Referral pages: the inbox, my referrals, one referral with its actions, issuing one."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from posyandu.referrals.models import Referral
from tests.factories import PersonFactory
from tests.unit.outreach.factories import MeasurementFactory
from tests.unit.referrals.factories import ReferralFactory

Status = Referral.Status


def _login(client, jejaring, persona):
    client.force_login(jejaring.user(persona))
    return client


def _referral(jejaring, *, days_ago=0, name="Ayu Melati", **kwargs):
    person = PersonFactory(posyandu=jejaring.melati, name=name)
    issued = timezone.localdate() - dt.timedelta(days=days_ago)
    return ReferralFactory(person=person, issued_on=issued, **kwargs)


def test_inbox_page_shows_ageing_and_warning_past_seven_days(client, jejaring):
    _referral(jejaring, days_ago=9, name="Lama Menunggu")
    _referral(jejaring, days_ago=2, name="Baru Saja")
    text = _login(client, jejaring, "bidan_rina").get("/rujukan/").content.decode()
    rows = {
        row.split("</strong>")[0].split("<strong>")[-1]: row
        for row in text.split('<a class="card status')[1:]
    }
    assert "⚠" in rows["Lama Menunggu"]
    assert "9" in rows["Lama Menunggu"]
    assert "⚠" not in rows["Baru Saja"]
    assert "2" in rows["Baru Saja"]


def test_kader_page_lists_her_referrals_with_feedback(client, jejaring):
    _referral(jejaring, status=Status.FEEDBACK_SENT, feedback="Sudah diberi PMT")
    PersonFactory(posyandu=jejaring.kenanga)
    text = _login(client, jejaring, "kader_sari").get("/rujukan/").content.decode()
    assert "Ayu Melati" in text
    assert "Sudah diberi PMT" in text


def test_referral_list_is_refused_to_desa_official(client, jejaring):
    assert _login(client, jejaring, "desa_official").get("/rujukan/").status_code == 403


def test_referral_list_needs_login(client, jejaring):
    assert client.get("/rujukan/").status_code == 302


def test_referral_detail_shows_reasons_and_big_receive_button_to_bidan(client, jejaring):
    referral = _referral(jejaring, reasons=["hfa.severely_stunted", "bp.high"])
    response = _login(client, jejaring, "bidan_rina").get(f"/rujukan/{referral.uuid}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="hfa.severely_stunted"' in text
    assert 'data-code="bp.high"' in text
    assert f"/rujukan/{referral.uuid}/terima/" in text
    assert 'class="primary"' in text


def test_referral_detail_gives_kader_no_receive_button(client, jejaring):
    referral = _referral(jejaring)
    text = _login(client, jejaring, "kader_sari").get(f"/rujukan/{referral.uuid}/").content.decode()
    assert "Ayu Melati" in text
    assert "/terima/" not in text


@pytest.mark.parametrize("persona", ["outsider", "desa_official"])
def test_referral_detail_outside_scope_is_not_found(client, jejaring, persona):
    referral = _referral(jejaring)
    assert _login(client, jejaring, persona).get(f"/rujukan/{referral.uuid}/").status_code == 404


def test_bidan_receives_then_answers_and_kader_sees_the_answer(client, jejaring):
    referral = _referral(jejaring)
    bidan = _login(client, jejaring, "bidan_rina")
    assert bidan.post(f"/rujukan/{referral.uuid}/terima/").status_code == 302
    response = bidan.post(f"/rujukan/{referral.uuid}/umpan-balik/", {"feedback": "Rujuk ke RSUD"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.FEEDBACK_SENT
    text = _login(client, jejaring, "kader_sari").get(f"/rujukan/{referral.uuid}/").content.decode()
    assert "Rujuk ke RSUD" in text
    assert f"/rujukan/{referral.uuid}/tutup/" in text


def test_empty_feedback_is_refused_with_a_message(client, jejaring):
    referral = _referral(jejaring, status=Status.RECEIVED)
    response = _login(client, jejaring, "bidan_rina").post(
        f"/rujukan/{referral.uuid}/umpan-balik/", {"feedback": "  "}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_kader_cannot_receive_a_referral(client, jejaring):
    referral = _referral(jejaring)
    response = _login(client, jejaring, "kader_sari").post(f"/rujukan/{referral.uuid}/terima/")
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == Status.ISSUED


def test_step_pages_refuse_get(client, jejaring):
    referral = _referral(jejaring)
    assert (
        _login(client, jejaring, "bidan_rina").get(f"/rujukan/{referral.uuid}/terima/").status_code
        == 405
    )


def _stunted_child(jejaring):
    child = PersonFactory(
        posyandu=jejaring.melati,
        name="Anak Pendek",
        birth_date=timezone.localdate() - dt.timedelta(days=700),
    )
    MeasurementFactory(
        person=child,
        date=timezone.localdate(),
        weight_kg=Decimal("9.0"),
        lenhei_cm=Decimal("70.0"),
        measure="l",
    )
    return child


def test_issue_page_ticks_the_referable_findings(client, jejaring):
    child = _stunted_child(jejaring)
    text = (
        _login(client, jejaring, "kader_sari").get(f"/rujukan/baru/{child.uuid}/").content.decode()
    )
    assert 'value="hfa.severely_stunted" checked' in text.replace('" id', '"').replace(
        "\n", ""
    ) or ('value="hfa.severely_stunted"' in text and "checked" in text)
    assert "Pustu Sukamaju" in text or "Sukamaju" in text


def test_issue_page_posts_a_referral_to_the_pustu(client, jejaring):
    child = _stunted_child(jejaring)
    key = uuid.uuid4()
    response = _login(client, jejaring, "kader_sari").post(
        f"/rujukan/baru/{child.uuid}/",
        {"uuid": str(key), "reasons": ["hfa.severely_stunted"], "urgency": "urgent", "note": ""},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(uuid=key)
    assert response["Location"] == f"/rujukan/{key}/"
    assert referral.to_facility == jejaring.pustu
    assert referral.urgency == "urgent"


def test_issue_page_without_reason_names_the_problem(client, jejaring):
    child = _stunted_child(jejaring)
    response = _login(client, jejaring, "kader_sari").post(
        f"/rujukan/baru/{child.uuid}/", {"uuid": str(uuid.uuid4()), "urgency": "routine"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("outsider", 404), ("desa_official", 404), ("dinkes_analyst", 403)]
)
def test_issue_page_refused_outside_kader_and_nakes_scope(client, jejaring, persona, status):
    child = _stunted_child(jejaring)
    assert (
        _login(client, jejaring, persona).get(f"/rujukan/baru/{child.uuid}/").status_code == status
    )


@pytest.mark.parametrize("persona", ["bidan_rina", "kader_sari"])
def test_referral_list_query_count_is_constant(
    client, jejaring, django_assert_max_num_queries, persona
):
    _login(client, jejaring, persona)
    for _ in range(3):
        _referral(jejaring)
    with django_assert_max_num_queries(12) as small:
        client.get("/rujukan/")
    for _ in range(17):
        _referral(jejaring)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/rujukan/")


def test_issue_page_still_offers_observed_reasons_when_records_cannot_be_assessed(client, jejaring):
    today = timezone.localdate()
    baby = PersonFactory(posyandu=jejaring.melati, birth_date=today)
    MeasurementFactory(person=baby, date=today - dt.timedelta(days=30), weight_kg=Decimal("3"))
    response = _login(client, jejaring, "kader_sari").get(f"/rujukan/baru/{baby.uuid}/")
    assert response.status_code == 200
    assert 'value="danger_sign.child"' in response.content.decode()
