"""Class selectors: who may attend each kind of class, and the session list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from posyandu.outreach import selectors
from posyandu.outreach.models import ClassAttendance, ClassSession
from tests.factories import PersonFactory
from tests.unit.outreach.factories import ClassSessionFactory, PregnancyFactory

DAY = dt.date(2026, 11, 23)


def test_class_candidates_ibu_hamil_are_the_pregnant_women(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati, date=DAY)
    pregnant = PersonFactory(posyandu=jejaring.melati, name="Hamil", birth_date=dt.date(1998, 1, 1))
    PregnancyFactory(person=pregnant, registered_on=dt.date(2026, 9, 1))
    delivered = PersonFactory(
        posyandu=jejaring.melati, name="Sudah", birth_date=dt.date(1996, 1, 1)
    )
    PregnancyFactory(
        person=delivered, registered_on=dt.date(2026, 1, 1), delivery_date=dt.date(2026, 8, 1)
    )
    PersonFactory(posyandu=jejaring.melati, name="Lain", birth_date=dt.date(1990, 1, 1))
    names = [p.name for p in selectors.class_candidates(session=session)]
    assert names == ["Hamil"]


def test_class_candidates_ibu_balita_are_mothers_of_under_fives(jejaring):
    session = ClassSessionFactory(
        posyandu=jejaring.melati, date=DAY, kind=ClassSession.Kind.IBU_BALITA
    )
    young = PersonFactory(posyandu=jejaring.melati, name="Ibu Muda")
    PersonFactory(posyandu=jejaring.melati, mother=young, birth_date=dt.date(2025, 1, 1))
    older = PersonFactory(posyandu=jejaring.melati, name="Ibu Anak Besar")
    PersonFactory(posyandu=jejaring.melati, mother=older, birth_date=dt.date(2015, 1, 1))
    names = [p.name for p in selectors.class_candidates(session=session)]
    assert names == ["Ibu Muda"]


def test_class_candidates_keep_who_already_attended(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati, date=DAY)
    guest = PersonFactory(posyandu=jejaring.melati, name="Tamu")
    ClassAttendance.objects.create(session=session, person=guest)
    assert [p.name for p in selectors.class_candidates(session=session)] == ["Tamu"]


def test_class_sessions_for_counts_attendees_in_scope_only(jejaring):
    mine = ClassSessionFactory(posyandu=jejaring.melati)
    ClassAttendance.objects.create(session=mine, person=PersonFactory(posyandu=jejaring.melati))
    ClassSessionFactory(posyandu=jejaring.kenanga)
    sessions = selectors.class_sessions_for(user=jejaring.user("kader_sari"))
    assert [(s.pk, s.attendee_count) for s in sessions] == [(mine.pk, 1)]
    assert selectors.class_sessions_for(user=jejaring.user("desa_official")) == []


def test_class_session_get_outside_scope_is_not_found(jejaring):
    session = ClassSessionFactory(posyandu=jejaring.melati)
    assert selectors.class_session_get(user=jejaring.user("bidan_rina"), uuid=session.uuid)
    with pytest.raises(Http404):
        selectors.class_session_get(user=jejaring.user("outsider"), uuid=session.uuid)
