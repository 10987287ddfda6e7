"""Read referrals: the nakes' inbox with ageing, the kader's list with answers, one referral.

A referral is visible to whom its person is visible (`posyandu_for`) and to the nakes who
answer for its receiving facility; anything else is "not found".
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from posyandu.accounts.models import NAKES_ROLES
from posyandu.accounts.scope import AnyUser, membership_of, posyandu_for
from posyandu.referrals import policy
from posyandu.referrals.models import Referral

# Past this many days without an answer a referral is flagged in the inbox (DOMAIN 7.2:
# "unanswered referrals age visibly").
UNANSWERED_DAYS = 7


@dataclass(frozen=True)
class ReferralRow:
    """A referral with how long it has waited and whether that is too long."""

    referral: Referral
    age_days: int
    overdue: bool


def referral_rows(referrals: Iterable[Referral], as_of: dt.date | None = None) -> list[ReferralRow]:
    """Return the referrals as rows with their age and the overdue flag, in the given order."""
    as_of = as_of or timezone.localdate()
    rows = []
    for referral in referrals:
        age_days = (as_of - referral.issued_on).days
        unanswered = referral.status in policy.OPEN
        rows.append(ReferralRow(referral, age_days, unanswered and age_days > UNANSWERED_DAYS))
    return rows


def _with_people(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.select_related("person", "from_facility", "to_facility")


def answerable_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Return the referrals sent to the user's facility or, for Puskesmas staff, its Pustu."""
    membership = membership_of(user)
    if membership is None or membership.role not in NAKES_ROLES or membership.facility is None:
        return Referral.objects.none()
    facility = membership.facility
    return Referral.objects.filter(Q(to_facility=facility) | Q(to_facility__parent=facility))


def inbox_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Return the open and answered-but-not-closed referrals a nakes must act on, in order.

    Unanswered ones come first, urgent before routine, oldest first; the database sorts, so a
    page of a long inbox reads only its own rows.
    """
    answered_last = Case(When(status__in=policy.OPEN, then=Value(0)), default=Value(1))
    urgent_first = Case(When(urgency=Referral.Urgency.URGENT, then=Value(0)), default=Value(1))
    referrals = answerable_referrals(user).exclude(status=Referral.Status.CLOSED)
    return _with_people(referrals).order_by(answered_last, urgent_first, "issued_on", "pk")


def kader_referrals(user: AnyUser) -> QuerySet[Referral]:
    """Return the referrals issued from the user's posyandu, newest answer first."""
    referrals = Referral.objects.filter(from_facility__in=posyandu_for(user))
    return _with_people(referrals).order_by(
        F("feedback_at").desc(nulls_last=True), "-issued_on", "-id"
    )


def referral_inbox(*, user: AnyUser, as_of: dt.date | None = None) -> list[ReferralRow]:
    """Return the nakes' whole inbox as rows (see `inbox_referrals` for the order)."""
    return referral_rows(inbox_referrals(user), as_of)


def referrals_for_kader(*, user: AnyUser, as_of: dt.date | None = None) -> list[ReferralRow]:
    """Return the referrals of the kader's posyandu as rows, newest answer first."""
    return referral_rows(kader_referrals(user), as_of)


def referral_get(*, user: AnyUser, uuid: uuid_lib.UUID) -> Referral:
    """Return one referral the user may see; raise Http404 for any other."""
    visible = Referral.objects.filter(
        Q(from_facility__in=posyandu_for(user)) | Q(pk__in=answerable_referrals(user))
    )
    referral = (
        visible.select_related("person", "from_facility", "to_facility__parent", "visit")
        .select_related("issued_by", "feedback_by")
        .filter(uuid=uuid)
        .first()
    )
    if referral is None:
        raise Http404("no such referral")
    return referral


def referrals_of_person(*, user: AnyUser, person_uuid: uuid_lib.UUID) -> QuerySet[Referral]:
    """Return a visible person's referrals, newest first (for the person's card)."""
    return _with_people(
        Referral.objects.filter(
            person__uuid=person_uuid, from_facility__in=posyandu_for(user)
        ).order_by("-issued_on", "-id")
    )
