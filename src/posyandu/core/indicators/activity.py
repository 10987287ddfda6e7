"""Count referrals, persons served and service days of one month.

Referrals (rujukan, DOMAIN 7.2: issued, received, handled, feedback sent, closed) are counted
by the month they were issued: issued, answered (the facility's feedback is recorded, at any
time), and the days from issue to feedback (their median). Still open on the month's last day
after more than `referral_open_days` days, with no feedback and not closed, is a stock
counted in every month it lasts: unanswered referrals age visibly. A person is served when she
had a visit (at the posyandu or at home) in the month; a service day is held when it opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from posyandu.core.indicators.model import Month, ReferralFacts, ServiceDayFacts
from posyandu.core.indicators.params import Params
from posyandu.core.indicators.person import PersonMonth

Counts = dict[str, int]
Values = dict[str, list[int]]

PRODUCES = frozenset({"ref_issued", "ref_answered", "ref_open_7d", "served", "service_days"})
MEDIANS = frozenset({"ref_feedback_days"})


def activity_counts(pm: PersonMonth, params: Params) -> tuple[Counts, Values]:
    """Return the referral and service counts of one person, and her days to feedback."""
    out: Counts = {}
    days: list[int] = []
    last = pm.month.last
    for referral in pm.facts.referrals:
        if pm.month.holds(referral.issued_on):
            out["ref_issued"] = out.get("ref_issued", 0) + 1
            if referral.answered_on is not None:
                out["ref_answered"] = out.get("ref_answered", 0) + 1
                days.append(max((referral.answered_on - referral.issued_on).days, 0))
        if (
            _open_on(referral, last)
            and (last - referral.issued_on).days > params.referral_open_days
        ):
            out["ref_open_7d"] = out.get("ref_open_7d", 0) + 1
    if any(pm.month.holds(day) for day in pm.facts.visit_dates):
        out["served"] = 1
    return out, ({"ref_feedback_days": days} if days else {})


def service_days_held(days: Sequence[ServiceDayFacts], month: Month, params: Params) -> int:
    """Return the number of service days of the month that were held."""
    held = params.service_day_held_statuses
    return sum(1 for day in days if month.holds(day.date) and day.status in held)


def _open_on(referral: ReferralFacts, day: dt.date) -> bool:
    """Return whether the referral was issued and still without feedback or closure on `day`."""
    if referral.issued_on > day:
        return False
    answered = referral.answered_on is not None and referral.answered_on <= day
    closed = referral.closed_on is not None and referral.closed_on <= day
    return not (answered or closed)
