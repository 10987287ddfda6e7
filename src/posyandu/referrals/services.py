"""Write referrals: issue one, and move it along its loop until the kader has the answer.

Each service is one transaction with its audit event. Issuing is idempotent by the client's
uuid; a step already taken (a replayed "received" after "handled") changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid as uuid_lib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.scope import AnyUser
from posyandu.audit.services import audit_record, field_changes
from posyandu.core.rulebook import rule_in_force
from posyandu.referrals import policy
from posyandu.referrals.models import Referral
from posyandu.registry.models import Person
from posyandu.visits.models import Visit
from posyandu.web.labels import REASONS

# A finding code is `<indicator>.<class>`; a code of a known indicator that has no label yet
# (a newer rule version) is still a finding and may be a reason.
_FINDING = re.compile(r"^([a-z_]+)\.[a-z_]+$")
_INDICATORS = frozenset(code.split(".")[0] for code in REASONS)


def referral_issue(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    person: Person,
    visit: Visit | None = None,
    reasons: Iterable[str],
    urgency: str = Referral.Urgency.ROUTINE,
    note: str = "",
) -> Referral:
    """Refer `person` to the Pustu above her posyandu (or the Puskesmas) for `reasons`."""
    if not policy.may_issue(user, person):
        raise PermissionDenied("this person is not in the user's posyandu")
    existing = Referral.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing
    issued_on = timezone.localdate()
    codes = _checked_reasons(reasons, issued_on)
    _check_urgency_and_visit(urgency, visit, person)
    with transaction.atomic():
        referral = Referral.objects.create(
            uuid=uuid,
            person=person,
            visit=visit,
            from_facility=person.posyandu,
            to_facility=policy.receiving_facility(person.posyandu),
            reasons=codes,
            urgency=urgency,
            note=note.strip(),
            issued_on=issued_on,
            issued_by=user,
        )
        audit_record(
            user=user,
            action="referral.issue",
            instance=referral,
            changes={
                "person": person,
                "to_facility": referral.to_facility,
                "reasons": codes,
                "urgency": urgency,
                "issued_on": issued_on,
            },
        )
    return referral


def _error(field: str, message: object, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def _check_urgency_and_visit(urgency: str, visit: Visit | None, person: Person) -> None:
    if urgency not in Referral.Urgency.values:
        raise _error(
            "urgency", _("Urgency: '%(value)s' is not a choice."), "invalid", value=urgency
        )
    if visit is not None and visit.person_id != person.pk:
        raise _error("visit", _("The visit belongs to another person."), "other_person")


def _checked_reasons(reasons: Iterable[str], on: dt.date) -> list[str]:
    """Return the reason codes sorted and unique; refuse an empty list or an unknown code."""
    codes = sorted({str(code).strip() for code in reasons if str(code).strip()})
    if not codes:
        raise _error("reasons", _("Choose at least one reason for the referral."), "required")
    table = rule_in_force("referral", on)
    known = {*table.data.get("findings", ()), *table.data.get("pregnant_findings", ()), *REASONS}
    unknown = [code for code in codes if code not in known and not _is_finding(code)]
    if unknown:
        raise _error(
            "reasons",
            _("Reason: '%(value)s' is not a known finding."),
            "unknown",
            value=", ".join(unknown),
        )
    return codes


def _is_finding(code: str) -> bool:
    match = _FINDING.match(code)
    return match is not None and match.group(1) in _INDICATORS


def referral_receive(*, user: AnyUser, referral: Referral) -> Referral:
    """Mark the referral received by the Pustu/Puskesmas."""
    return _advance(
        user=user, referral=referral, action="receive", updates={"received_at": timezone.now()}
    )


def referral_handle(*, user: AnyUser, referral: Referral) -> Referral:
    """Mark the referred person seen and handled at the facility."""
    return _advance(
        user=user, referral=referral, action="handle", updates={"handled_at": timezone.now()}
    )


def referral_feedback(*, user: AnyUser, referral: Referral, feedback: str) -> Referral:
    """Send the facility's answer (umpan balik) back to the kader."""
    text = feedback.strip()
    if not text:
        raise _error("feedback", _("Write the feedback for the kader."), "required")
    return _advance(
        user=user,
        referral=referral,
        action="feedback",
        updates={"feedback": text, "feedback_at": timezone.now(), "feedback_by": user},
        same=lambda current: current.feedback == text,
    )


def referral_close(*, user: AnyUser, referral: Referral) -> Referral:
    """Close an answered referral (the follow-up is done)."""
    return _advance(
        user=user, referral=referral, action="close", updates={"closed_at": timezone.now()}
    )


def _advance(
    *,
    user: AnyUser,
    referral: Referral,
    action: str,
    updates: dict[str, Any],
    same: Callable[[Referral], bool] = lambda current: True,
) -> Referral:
    """Take one step of the loop, refusing a user who may not and a step out of order."""
    sources, target = policy.STEPS[action]
    with transaction.atomic():
        current = (
            Referral.objects.select_for_update().select_related("to_facility").get(pk=referral.pk)
        )
        permitted = policy.may_close if action == "close" else policy.may_answer
        if not permitted(user, current):
            raise PermissionDenied(f"user may not {action} this referral")
        if current.status not in sources:
            if policy.is_past(current.status, target) and same(current):
                return current  # replayed (offline sync, double tap): already done
            raise _error(
                "status",
                _("This referral is %(status)s; it cannot be changed that way."),
                "transition",
                status=current.get_status_display(),
            )
        changes = field_changes(current, {"status": target, **updates})
        for name, value in {"status": target, **updates}.items():
            setattr(current, name, value)
        current.save(update_fields=["status", *updates, "updated_at"])
        audit_record(user=user, action=f"referral.{action}", instance=current, changes=changes)
    return current
