"""Who may move a referral, and along which steps (rujukan, DOMAIN 7.2).

    issued → received → handled → feedback_sent → closed   (feedback may follow received)

The kader or nakes of the person's posyandu issues; the nakes of the receiving facility (or of
the Puskesmas above it) receives, handles and answers; either side closes once answered.
"""

from __future__ import annotations

from posyandu.accounts.models import NAKES_ROLES, WORKER_ROLES, Membership, Role
from posyandu.accounts.scope import AnyUser, membership_of, posyandu_for
from posyandu.referrals.models import Referral
from posyandu.regions.models import Facility
from posyandu.registry.models import Person

Status = Referral.Status

# The states each action may start from, and the state it leads to.
STEPS: dict[str, tuple[frozenset[str], str]] = {
    "receive": (frozenset({Status.ISSUED}), Status.RECEIVED),
    "handle": (frozenset({Status.RECEIVED}), Status.HANDLED),
    "feedback": (frozenset({Status.RECEIVED, Status.HANDLED}), Status.FEEDBACK_SENT),
    "close": (frozenset({Status.FEEDBACK_SENT}), Status.CLOSED),
}
ORDER = [Status.ISSUED, Status.RECEIVED, Status.HANDLED, Status.FEEDBACK_SENT, Status.CLOSED]
OPEN = frozenset({Status.ISSUED, Status.RECEIVED, Status.HANDLED})


def is_past(status: str, target: str) -> bool:
    """Return True when `status` is `target` or a later step (a replayed action is a no-op)."""
    return ORDER.index(Status(status)) >= ORDER.index(Status(target))


def receiving_facility(posyandu: Facility) -> Facility:
    """Return where a posyandu refers to: its Pustu, or the Puskesmas when it has no Pustu."""
    parent = posyandu.parent
    if parent is None:  # the schema forbids it; kept so a bad row fails loudly, not silently
        raise ValueError(f"posyandu {posyandu.uuid} has no facility above it")
    return parent


def may_issue(user: AnyUser, person: Person) -> bool:
    """Return True for a kader or nakes whose posyandu include the person's."""
    membership = membership_of(user)
    if membership is None or membership.role not in WORKER_ROLES:
        return False
    return posyandu_for(user).filter(pk=person.posyandu_id).exists()


def may_answer(user: AnyUser, referral: Referral) -> bool:
    """Return True for a nakes of the receiving facility or of the Puskesmas above it."""
    return _answers(membership_of(user), referral)


def may_close(user: AnyUser, referral: Referral) -> bool:
    """Return True for who may answer, and for a kader of the posyandu that referred."""
    return _closes(membership_of(user), referral)


def allowed_actions(user: AnyUser, referral: Referral) -> list[str]:
    """Return the actions `user` may take on `referral` now, in workflow order."""
    membership = membership_of(user)
    allowed = []
    for action, (sources, _target) in STEPS.items():
        if referral.status not in sources:
            continue
        check = _closes if action == "close" else _answers
        if check(membership, referral):
            allowed.append(action)
    return allowed


def _answers(membership: Membership | None, referral: Referral) -> bool:
    if membership is None or membership.role not in NAKES_ROLES:
        return False
    target = referral.to_facility
    return membership.facility_id in {target.pk, target.parent_id}


def _closes(membership: Membership | None, referral: Referral) -> bool:
    if _answers(membership, referral):
        return True
    return (
        membership is not None
        and membership.role == Role.KADER
        and membership.facility_id == referral.from_facility_id
    )
