"""Kader selectors: the catalogue, competence from the latest assessment, gaps per posyandu."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from posyandu.accounts.scope import membership_of
from posyandu.kaders import selectors
from posyandu.kaders.competencies import catalogue_in_force
from posyandu.kaders.models import CompetencyRecord
from tests.unit.kaders.factories import CompetencyRecordFactory, KaderFactory

DAY = dt.date(2026, 11, 23)
ELDERLY = "dewasa_lansia.skrining_lansia"
CATALOGUE = catalogue_in_force(DAY)


def test_catalogue_has_25_competencies_in_the_five_groups_with_basis():
    assert len(CATALOGUE.competencies) == 25
    assert [g.code for g in CATALOGUE.groups] == [
        "pengelolaan",
        "bayi_balita",
        "ibu_hamil_menyusui",
        "usia_sekolah_remaja",
        "dewasa_lansia",
    ]
    assert all(items for _group, items in CATALOGUE.by_group())
    assert "25 kompetensi dasar kader Posyandu ILP" in CATALOGUE.basis
    assert CATALOGUE.note


def _competent_in_all_but(kader, missing, on=DAY):
    for competency in CATALOGUE.competencies:
        if competency.code not in missing:
            CompetencyRecordFactory(kader=kader, competency=competency.code, date=on)


def _gaps(jejaring, persona="bidan_rina"):
    return {
        g.posyandu.name: g
        for g in selectors.competency_gaps(user=jejaring.user(persona), as_of=DAY)
    }


def test_competency_gaps_names_the_competency_no_kader_has(jejaring):
    sari, dewi = KaderFactory(posyandu=jejaring.melati), KaderFactory(posyandu=jejaring.melati)
    _competent_in_all_but(sari, {ELDERLY, "remaja.gizi"})
    CompetencyRecordFactory(kader=dewi, competency="remaja.gizi")
    melati = _gaps(jejaring)["Melati"]
    assert [c.code for c in melati.missing] == [ELDERLY]
    assert melati.kader_count == 2


def test_competency_gaps_latest_failed_assessment_and_training_do_not_count(jejaring):
    sari = KaderFactory(posyandu=jejaring.melati)
    _competent_in_all_but(sari, set())
    CompetencyRecordFactory(
        kader=sari, competency=ELDERLY, passed=False, date=DAY + dt.timedelta(days=1)
    )
    CompetencyRecordFactory(
        kader=sari,
        competency="remaja.gizi",
        passed=None,
        kind=CompetencyRecord.Kind.TRAINED,
        date=DAY + dt.timedelta(days=2),
    )
    assert [c.code for c in _gaps(jejaring)["Melati"].missing] == [ELDERLY]


def test_competency_gaps_inactive_kader_does_not_cover(jejaring):
    gone = KaderFactory(posyandu=jejaring.melati, active=False)
    _competent_in_all_but(gone, set())
    melati = _gaps(jejaring)["Melati"]
    assert len(melati.missing) == 25
    assert melati.kader_count == 0


def test_competency_gaps_counts_tiers_per_posyandu(jejaring):
    KaderFactory(posyandu=jejaring.melati, tier="purwa")
    KaderFactory(posyandu=jejaring.melati, tier="purwa")
    KaderFactory(posyandu=jejaring.melati, tier="utama")
    KaderFactory(posyandu=jejaring.melati)
    assert _gaps(jejaring)["Melati"].tiers == {"purwa": 2, "madya": 0, "utama": 1, "": 1}


def test_competency_gaps_follow_scope(jejaring):
    assert set(_gaps(jejaring)) == {"Melati", "Mawar"}
    assert set(_gaps(jejaring, "kader_sari")) == {"Melati"}
    assert _gaps(jejaring, "desa_official") == {}


def test_kaders_for_counts_trained_and_passed_in_scope(jejaring):
    sari = KaderFactory(posyandu=jejaring.melati, name="Sari")
    CompetencyRecordFactory(kader=sari, competency=ELDERLY)
    CompetencyRecordFactory(kader=sari, competency="remaja.gizi", kind="trained", passed=None)
    KaderFactory(posyandu=jejaring.kenanga, name="Jauh")
    rows = selectors.kaders_for(user=jejaring.user("kader_sari"))
    assert [(r.kader.name, len(r.trained), len(r.passed)) for r in rows] == [("Sari", 1, 1)]


def test_kader_get_outside_scope_is_not_found(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    assert selectors.kader_get(user=jejaring.user("kader_sari"), uuid=kader.uuid) == kader
    for persona in ("outsider", "desa_official"):
        with pytest.raises(Http404):
            selectors.kader_get(user=jejaring.user(persona), uuid=kader.uuid)


def test_kader_competencies_shows_latest_training_and_assessment(jejaring):
    kader = KaderFactory(posyandu=jejaring.melati)
    CompetencyRecordFactory(kader=kader, competency=ELDERLY, kind="trained", passed=None, date=DAY)
    CompetencyRecordFactory(kader=kader, competency=ELDERLY, passed=False, date=DAY)
    loaded = selectors.kader_get(user=jejaring.user("bidan_rina"), uuid=kader.uuid)
    status = next(
        s for s in selectors.kader_competencies(loaded, CATALOGUE) if s.competency.code == ELDERLY
    )
    assert (status.trained_on, status.assessed_on, status.passed) == (DAY, DAY, False)


def _kaders(posyandu, count):
    for _ in range(count):
        CompetencyRecordFactory(kader=KaderFactory(posyandu=posyandu))


def _read_kader_list(user):
    for row in selectors.kaders_for(user=user):
        str(row.kader.posyandu.name), len(row.passed)


def _read_gaps(user):
    for gap in selectors.competency_gaps(user=user, as_of=DAY):
        str(gap.posyandu.name), len(gap.missing)


@pytest.mark.parametrize("read", [_read_kader_list, _read_gaps])
def test_kader_selectors_query_count_constant_with_3_and_20_kaders(jejaring, read):
    user = jejaring.user("bidan_rina")

    def count():
        with CaptureQueriesContext(connection) as captured:
            read(user)
        return len(captured)

    _kaders(jejaring.melati, 3)
    membership_of(user)  # a request's first scope check; then cached on the user object
    small = count()
    _kaders(jejaring.melati, 17)
    assert count() == small
    assert small <= 4
