"""The school-age section, the SPM block and the target-population estimates of the PWS."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from posyandu.audit.models import AuditEvent
from posyandu.pws.services import recent_months, rollup_rebuild
from posyandu.regions.models import TargetEstimate
from posyandu.regions.services import target_estimate_set
from posyandu.visits.models import ServiceGiven
from tests.unit.pws.facts import adult, this_month, weigh

pytestmark = pytest.mark.django_db


@pytest.fixture
def adolescents(jejaring):
    """Melati: 3 people aged 15-59 (2 screened), a girl of 14 (Hb 11.0, TTD), a boy of 13
    (Hb not measured); Mawar: 1 adult of 40, screened."""
    now = this_month().replace(day=2)
    girl = adult(jejaring.melati, "Fitri Melati", years=14)
    weigh(girl, now, "40.0", lenhei_cm=Decimal("150.0"), measure="h", hb_g_dl=Decimal("11.0"))
    ServiceGiven.objects.create(person=girl, code="ttd_rematri", date=now, quantity=4)
    adult(jejaring.melati, "Gilang Melati", years=13, sex="M")
    for name, screened in (("Hana", True), ("Indra", True), ("Joko", False)):
        person = adult(jejaring.melati, f"{name} Melati", years=30)
        if screened:
            weigh(person, now, "60.0", sbp_mmhg=120, dbp_mmhg=80)
    weigh(adult(jejaring.mawar, "Kiki Mawar", years=40), now, "60.0", sbp_mmhg=150, dbp_mmhg=95)
    rollup_rebuild(months=recent_months(this_month(), 1))
    return jejaring


def _text(client, user, url="/pws/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _spm_block(text):
    return text.split('id="spm"')[1].split("</section>")[0]


def test_dashboard_shows_the_school_age_section_with_words(client, adolescents):
    text = _text(client, adolescents.user("kader_sari"))
    assert "Anak usia sekolah dan remaja" in text
    section = text.split("/pws/indikator/cov_hb_remaja/")[1][:1500]
    assert "50,0 %" in section  # 1 of 2 adolescents tested for Hb
    assert "1 / 2" in section
    anaemia = text.split("/pws/indikator/prev_anaemia_remaja/")[1][:1500]
    assert "100,0 %" in anaemia
    assert "1 / 1" in anaemia


def test_the_anaemic_girl_is_behind_the_number_for_the_bidan(client, adolescents):
    melati = adolescents.melati
    url = f"/pws/indikator/remaja_anaemia/?posyandu={melati.uuid}&bulan={this_month():%Y-%m}"
    text = _text(client, adolescents.user("bidan_rina"), url)
    assert "Fitri Melati" in text
    assert "Gilang Melati" not in text


def test_spm_divides_by_the_registered_persons_without_an_estimate(client, adolescents):
    block = _spm_block(_text(client, adolescents.user("puskesmas_admin")))
    # Usia produktif in the Puskesmas area: Hana, Indra and Kiki screened of 4 aged 15-59.
    assert "3 / 4" in block
    assert "sasaran: warga yang terdaftar di posyandu" in block
    assert "/pws/indikator/screened_15_59/" in block
    assert "/pws/sasaran/" in block  # Puskesmas staff may enter estimates


def test_an_entered_estimate_overrides_the_registered_denominator(client, adolescents):
    user = adolescents.user("puskesmas_admin")
    target_estimate_set(
        user=user,
        year=this_month().year,
        service="usia_produktif",
        number=12,
        source="BPS 2026",
    )
    block = _spm_block(_text(client, user))
    assert "3 / 12" in block
    assert "25,0 %" in block
    assert "BPS 2026" in block
    # The estimate is the Puskesmas's: the kader of Melati still divides by her registered.
    kader_block = _spm_block(_text(client, adolescents.user("kader_sari")))
    assert "2 / 3" in kader_block
    assert "/pws/sasaran/" not in kader_block


def test_estimate_service_is_idempotent_audited_and_clears(adolescents):
    user, year = adolescents.user("dinkes_analyst"), this_month().year
    for _ in range(2):
        target_estimate_set(user=user, year=year, service="usia_lanjut", number=50, source="BPS")
    row = TargetEstimate.objects.get()
    assert (row.region, row.facility, row.number) == (adolescents.kabupaten, None, 50)
    target_estimate_set(user=user, year=year, service="usia_lanjut", number=60, source="BPS")
    target_estimate_set(user=user, year=year, service="usia_lanjut", number=None)
    assert not TargetEstimate.objects.exists()
    actions = list(
        AuditEvent.objects.filter(entity="regions.targetestimate")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "target_estimate.create",
        "target_estimate.update",
        "target_estimate.delete",
    ]


@pytest.mark.parametrize(
    ("field", "more"),
    [
        ("number", {"number": 0, "source": "BPS"}),
        ("source", {"number": 10, "source": "  "}),
        ("source", {"number": 10, "source": "x" * 301}),
        ("service", {"service": "hiv", "number": 10, "source": "BPS"}),
        ("year", {"year": 2001, "number": 10, "source": "BPS"}),
    ],
)
def test_estimate_rejects_bad_input_naming_the_field(adolescents, field, more):
    args = {"year": this_month().year, "service": "balita", **more}
    with pytest.raises(ValidationError) as caught:
        target_estimate_set(user=adolescents.user("dinkes_analyst"), **args)
    assert field in caught.value.message_dict


def test_only_dinkes_and_puskesmas_enter_estimates(adolescents):
    with pytest.raises(PermissionDenied):
        target_estimate_set(
            user=adolescents.user("bidan_rina"),
            year=this_month().year,
            service="balita",
            number=5,
            source="x",
        )


def test_estimates_page_saves_all_or_nothing(client, adolescents):
    client.force_login(adolescents.user("dinkes_analyst"))
    year = timezone.localdate().year
    bad = client.post(
        "/pws/sasaran/",
        {"tahun": year, "n_balita": "40", "s_balita": "BPS", "n_usia_lanjut": "abc"},
    )
    assert bad.status_code == 200
    assert "abc" in bad.content.decode()
    assert not TargetEstimate.objects.exists()
    good = client.post(
        "/pws/sasaran/", {"tahun": year, "n_balita": "1.200", "s_balita": "Proyeksi BPS"}
    )
    assert good.status_code == 302
    assert TargetEstimate.objects.get().number == 1200
    page = client.get(f"/pws/sasaran/?tahun={year}").content.decode()
    assert 'value="1200"' in page
    assert "Proyeksi BPS" in page


def test_kader_cannot_open_the_estimates_page(client, adolescents):
    client.force_login(adolescents.user("kader_sari"))
    assert client.get("/pws/sasaran/").status_code == 403
