"""Referral selectors: the inbox with ageing, the kader's list, one referral, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from posyandu.accounts.scope import membership_of
from posyandu.referrals import selectors
from posyandu.referrals.models import Referral
from tests.factories import PersonFactory
from tests.unit.referrals.factories import ReferralFactory

Status = Referral.Status
TODAY = dt.date(2026, 11, 23)


def _referral(posyandu, *, days_ago=0, **kwargs):
    person = PersonFactory(posyandu=posyandu, name=kwargs.pop("name", "Warga"))
    return ReferralFactory(person=person, issued_on=TODAY - dt.timedelta(days=days_ago), **kwargs)


def test_referral_inbox_flags_unanswered_after_seven_days(jejaring):
    old = _referral(jejaring.melati, days_ago=9, name="Lama")
    fresh = _referral(jejaring.melati, days_ago=3, name="Baru")
    rows = {
        row.referral.pk: row
        for row in selectors.referral_inbox(user=jejaring.user("bidan_rina"), as_of=TODAY)
    }
    assert rows[old.pk].age_days == 9
    assert rows[old.pk].overdue is True
    assert rows[fresh.pk].age_days == 3
    assert rows[fresh.pk].overdue is False


def test_referral_inbox_answered_is_not_flagged_and_closed_is_gone(jejaring):
    answered = _referral(jejaring.melati, days_ago=20, status=Status.FEEDBACK_SENT)
    closed = _referral(jejaring.melati, days_ago=20, status=Status.CLOSED)
    rows = selectors.referral_inbox(user=jejaring.user("bidan_rina"), as_of=TODAY)
    by_pk = {row.referral.pk: row for row in rows}
    assert by_pk[answered.pk].overdue is False
    assert closed.pk not in by_pk


def test_referral_inbox_lists_waiting_first_urgent_and_oldest_first(jejaring):
    answered = _referral(jejaring.melati, days_ago=30, status=Status.FEEDBACK_SENT)
    older = _referral(jejaring.melati, days_ago=5)
    urgent = _referral(jejaring.melati, days_ago=1, urgency="urgent")
    rows = selectors.referral_inbox(user=jejaring.user("bidan_rina"), as_of=TODAY)
    assert [row.referral.pk for row in rows] == [urgent.pk, older.pk, answered.pk]


def test_referral_inbox_follows_the_receiving_facility(jejaring):
    melati = _referral(jejaring.melati)
    mawar = _referral(jejaring.mawar)
    anggrek = _referral(jejaring.anggrek)  # Pustu Sukasari
    kenanga = _referral(jejaring.kenanga)  # another Puskesmas

    def seen(persona):
        return {r.referral.pk for r in selectors.referral_inbox(user=jejaring.user(persona))}

    assert seen("bidan_rina") == {melati.pk, mawar.pk}
    assert seen("puskesmas_admin") == {melati.pk, mawar.pk, anggrek.pk}
    assert kenanga.pk not in seen("puskesmas_admin")
    assert seen("kader_sari") == set()
    assert seen("desa_official") == set()


def test_referrals_for_kader_newest_feedback_first_own_posyandu_only(jejaring):
    now = timezone.now()
    early = _referral(
        jejaring.melati,
        status=Status.FEEDBACK_SENT,
        feedback="a",
        feedback_at=now - dt.timedelta(days=2),
    )
    late = _referral(jejaring.melati, status=Status.FEEDBACK_SENT, feedback="b", feedback_at=now)
    waiting = _referral(jejaring.melati, days_ago=1)
    _referral(jejaring.mawar)
    rows = selectors.referrals_for_kader(user=jejaring.user("kader_sari"), as_of=TODAY)
    assert [row.referral.pk for row in rows] == [late.pk, early.pk, waiting.pk]


def test_referral_get_outside_scope_is_not_found(jejaring):
    referral = _referral(jejaring.melati)
    assert selectors.referral_get(user=jejaring.user("kader_sari"), uuid=referral.uuid) == referral
    assert selectors.referral_get(user=jejaring.user("bidan_rina"), uuid=referral.uuid) == referral
    for persona in ("outsider", "desa_official"):
        with pytest.raises(Http404):
            selectors.referral_get(user=jejaring.user(persona), uuid=referral.uuid)


def _count_queries(run):
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)


@pytest.mark.parametrize("selector", ["referral_inbox", "referrals_for_kader"])
def test_referral_lists_query_count_does_not_grow_with_referrals(jejaring, selector):
    persona = "bidan_rina" if selector == "referral_inbox" else "kader_sari"
    user = jejaring.user(persona)

    def run():
        rows = getattr(selectors, selector)(user=user, as_of=TODAY)
        for row in rows:  # what the page reads of each row
            str(row.referral.person.name), str(row.referral.from_facility.name)
            str(row.referral.to_facility.name)

    for _ in range(3):
        _referral(jejaring.melati)
    membership_of(user)  # a request's first scope check; then cached on the user object
    small = _count_queries(run)
    for _ in range(17):
        _referral(jejaring.melati)
    assert _count_queries(run) == small
    assert small <= 3
