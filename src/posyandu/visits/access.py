"""Who may do what on a posyandu day: the kader of that posyandu, or a nakes above it.

Reads of personal data go through the scoped selectors; these checks guard the writes, which
refuse (PermissionDenied) what the user's place in the jejaring does not allow. Given the
user's `VisitBatch`, they ask it instead of the database (it reads each scope once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import NAKES_ROLES, Role
from posyandu.accounts.scope import AnyUser, membership_of, posyandu_under
from posyandu.regions.models import Facility
from posyandu.registry.checks import in_scope
from posyandu.registry.models import Person
from posyandu.visits.models import Visit

if TYPE_CHECKING:
    from posyandu.visits.batch import VisitBatch


def works_at(user: AnyUser, posyandu: Facility, batch: VisitBatch | None = None) -> bool:
    """Return whether `user` runs days at `posyandu`: its kader, or a nakes above it."""
    if batch is not None:
        return batch.runs(posyandu.pk)
    return posyandu_run_by(user).filter(pk=posyandu.pk).exists()


def require_works_at(user: AnyUser, posyandu: Facility, batch: VisitBatch | None = None) -> None:
    """Refuse (PermissionDenied) unless `user` runs days at `posyandu`."""
    if not works_at(user, posyandu, batch):
        raise PermissionDenied(
            _("Only the kader of this posyandu or its health workers may do this.")
        )


def require_nakes(user: AnyUser, posyandu: Facility, batch: VisitBatch | None = None) -> None:
    """Refuse unless `user` is a nakes (bidan, perawat, Puskesmas staff) above `posyandu`."""
    membership = membership_of(user)
    if (
        membership is None
        or membership.role not in NAKES_ROLES
        or not works_at(user, posyandu, batch)
    ):
        raise PermissionDenied(_("Only a health worker (bidan/perawat) may do this."))


def may_record_immunization(user: AnyUser, visit: Visit, batch: VisitBatch | None = None) -> bool:
    """Return True when `user` may record a dose given at `visit`.

    A nakes gives the vaccine. At a posyandu day the kader may record the dose the nakes gave
    (she does the recording step, and the nakes confirms the whole day when it is closed);
    away from a posyandu day only a nakes records.
    """
    membership = membership_of(user)
    if membership is None or not works_at(user, visit.posyandu, batch):
        return False
    if membership.role in NAKES_ROLES:
        return True
    return membership.role == Role.KADER and visit.service_day_id is not None


def require_immunization_recorder(
    user: AnyUser, visit: Visit, batch: VisitBatch | None = None
) -> None:
    """Refuse unless `user` may record a dose at `visit` (see may_record_immunization)."""
    if not may_record_immunization(user, visit, batch):
        raise PermissionDenied(
            _("Only a health worker, or the kader at a posyandu day, may record a dose.")
        )


def require_person_in_scope(user: AnyUser, person: Person, batch: VisitBatch | None = None) -> None:
    """Refuse unless `person` belongs to a posyandu the user may see."""
    if not in_scope(user, person.posyandu_id, batch):
        raise PermissionDenied(_("This person is not in your area."))


def posyandu_run_by(user: AnyUser) -> QuerySet[Facility]:
    """Return the posyandu whose days `user` may schedule and run."""
    membership = membership_of(user)
    if membership is None or membership.facility is None:
        return Facility.objects.none()
    if membership.role == Role.KADER:
        return Facility.objects.filter(pk=membership.facility_id)
    if membership.role in NAKES_ROLES:
        return posyandu_under(membership.facility)
    return Facility.objects.none()
