"""Read referrals: the nakes' inbox with ageing, the kader's list with answers, one referral.

A referral is visible to whom its person is visible (`posyandu_for`) and to the nakes who
answer for its receiving facility; anything else is "not found".
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
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


def _rows(referrals: QuerySet[Referral], as_of: dt.date | None) -> list[ReferralRow]:
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


def referral_inbox(*, user: AnyUser, as_of: dt.date | None = None) -> list[ReferralRow]:
    """Return the open and answered-but-not-closed referrals a nakes must act on.

    Unanswered ones come first, oldest (and urgent) first; each row says how many days it has
    waited and whether it has gone unanswered for more than a week.
    """
    referrals = _with_people(answerable_referrals(user).exclude(status=Referral.Status.CLOSED))
    rows = _rows(referrals, as_of)
    rows.sort(
        key=lambda row: (
            row.referral.status not in policy.OPEN,
            row.referral.urgency != Referral.Urgency.URGENT,
            row.referral.issued_on,
            row.referral.pk,
        )
    )
    return rows


def referrals_for_kader(*, user: AnyUser, as_of: dt.date | None = None) -> list[ReferralRow]:
    """Return the referrals issued from the user's posyandu, newest answer first."""
    referrals = _with_people(
        Referral.objects.filter(from_facility__in=posyandu_for(user)).order_by(
            F("feedback_at").desc(nulls_last=True), "-issued_on", "-id"
        )
    )
    return _rows(referrals, as_of)


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
