"""Referrals of the demo and how far the Pustu or Puskesmas got with each.

A referral issued in the last two days is mostly still unread; one from the last week is being
handled; older ones are mostly answered (feedback sent, or closed), but about one in five is
still unanswered after more than seven days, so the aging list has something to show.
"""

from __future__ import annotations

import datetime as dt
import random

from posyandu.demo import names
from posyandu.demo.context import Site, Window
from posyandu.demo.identity import new_uuid
from posyandu.demo.problems import Finding, referred_now
from posyandu.demo.schedule import local_time, stamp
from posyandu.referrals.models import Referral

# Findings that make a referral urgent and send it straight to the Puskesmas.
URGENT = frozenset(
    {
        "child.oedema",
        "glucose.low",
        "hb.anaemia_severe",
        "muac.severe_acute_malnutrition",
        "wfa.severely_underweight",
        "wfh.severely_wasted",
    }
)
# Share of the rule-based referral reasons on which the kader actually refers.
SHARE = {"child": 0.4, "pregnant": 0.4, "adult": 0.25}
_LADDER = (
    Referral.Status.ISSUED,
    Referral.Status.RECEIVED,
    Referral.Status.HANDLED,
    Referral.Status.FEEDBACK_SENT,
    Referral.Status.CLOSED,
)
# Hours between the steps: received, handled, feedback sent, closed.
_GAPS_H = ((2, 72), (2, 96), (1, 48), (24, 240))


def _kind(finding: Finding) -> str:
    if finding.pregnant:
        return "pregnant"
    return "child" if finding.resident.child is not None else "adult"


def _steps(rng: random.Random, age_days: int) -> int:
    """Return how many steps past 'issued' a referral of this age has gone."""
    if age_days <= 2:
        weights = (70, 30, 0, 0, 0)
    elif age_days <= 7:
        weights = (25, 35, 25, 15, 0)
    else:
        weights = (12, 10, 8, 20, 50)
    return rng.choices(range(5), weights=weights)[0]


def _later(rng: random.Random, at: dt.datetime, hours: tuple[int, int]) -> dt.datetime:
    """Return a time some hours after `at`, moved into office hours (08:00-15:59)."""
    later = at + dt.timedelta(hours=rng.uniform(*hours))
    local = later.astimezone(at.tzinfo)
    if not 8 <= local.hour < 16:
        day = local.date() + dt.timedelta(days=1 if local.hour >= 16 else 0)
        return local_time(day, rng.randint(8, 11), rng.randint(0, 59))
    return later.replace(second=0, microsecond=0)


def _answer(
    referral: Referral, rng: random.Random, steps: int, site: Site, as_of: dt.date, kind: str
) -> None:
    """Move a referral along `steps` steps, never past the end of as_of."""
    end = local_time(as_of, 23, 59)
    at = local_time(referral.issued_on, 11, rng.randint(0, 59))
    answerer = site.puskesmas_user if referral.to_facility == site.puskesmas else site.bidan_user
    for step in range(1, steps + 1):
        at = _later(rng, at, _GAPS_H[step - 1])
        if at > end:
            break
        referral.status = _LADDER[step]
        if step == 1:
            referral.received_at = at
        elif step == 2:
            referral.handled_at = at
        elif step == 3:
            referral.feedback_at, referral.feedback_by = at, answerer
            referral.feedback = rng.choice(names.FEEDBACK[kind])
        else:
            referral.closed_at = at


def make_referrals(
    site: Site, rng: random.Random, window: Window, findings: list[Finding]
) -> list[Referral]:
    """Return the referrals a kader made on the findings (at most one per person in 90 days)."""
    last: dict[int, dt.date] = {}
    rows = []
    for finding in sorted(findings, key=lambda f: f.measurement.date):
        person, on = finding.resident.person, finding.measurement.date
        kind = _kind(finding)
        if not finding.refer or not referred_now(rng, last.get(id(person)), on, SHARE[kind]):
            continue
        last[id(person)] = on
        urgent = bool(URGENT.intersection(finding.refer))
        referral = Referral(
            uuid=new_uuid(rng),
            person=person,
            visit=finding.measurement.visit,
            from_facility=site.posyandu,
            to_facility=site.puskesmas if urgent else site.pustu,
            reasons=list(finding.refer),
            urgency=Referral.Urgency.URGENT if urgent else Referral.Urgency.ROUTINE,
            issued_on=on,
            issued_by=site.kader_user,
        )
        _answer(referral, rng, _steps(rng, (window.as_of - on).days), site, window.as_of, kind)
        steps = (
            referral.received_at,
            referral.handled_at,
            referral.feedback_at,
            referral.closed_at,
        )
        issued = local_time(on, 10, rng.randint(0, 59))
        rows.append(stamp(referral, issued, max((t for t in steps if t), default=issued)))
    return rows
