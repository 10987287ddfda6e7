"""What a user may see: the posyandu whose persons she may read, and the region of aggregates.

Every selector that reads personal data filters by `posyandu_ids_for(user)`; an empty result
means "no personal data" (desa officials, Pokjanal, users without a membership).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from posyandu.accounts.models import AGGREGATE_ONLY_ROLES, NAKES_ROLES, Membership, Role
from posyandu.regions.models import Facility

AnyUser = AbstractBaseUser | AnonymousUser


_CACHE = "_posyandu_membership"


def membership_of(user: AnyUser) -> Membership | None:
    """Return the user's membership, or None (anonymous, or not placed in the jejaring).

    The answer is kept on the user object, which lives for one request, so the menu, the
    scope checks and the views share one query.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, _CACHE):
        membership = (
            Membership.objects.select_related("facility", "region").filter(user=user).first()
        )
        setattr(user, _CACHE, membership)
    cached: Membership | None = getattr(user, _CACHE)
    return cached


def role_of(user: AnyUser) -> str | None:
    """Return the user's role code, or None."""
    membership = membership_of(user)
    return None if membership is None else membership.role


def is_nakes(user: AnyUser) -> bool:
    """Return True for bidan, perawat and Puskesmas staff."""
    return role_of(user) in NAKES_ROLES


def posyandu_under(facility: Facility) -> QuerySet[Facility]:
    """Return the posyandu at or under `facility` in the jejaring."""
    posyandu = Facility.objects.filter(kind=Facility.Kind.POSYANDU)
    if facility.kind == Facility.Kind.POSYANDU:
        return posyandu.filter(pk=facility.pk)
    return posyandu.filter(Q(parent=facility) | Q(parent__parent=facility))


def posyandu_for(user: AnyUser) -> QuerySet[Facility]:
    """Return the posyandu whose persons `user` may see by name (empty for aggregate roles)."""
    membership = membership_of(user)
    if membership is None or membership.role in AGGREGATE_ONLY_ROLES:
        return Facility.objects.none()
    if membership.role == Role.DINKES and membership.region is not None:
        return Facility.objects.filter(
            kind=Facility.Kind.POSYANDU, region__code__startswith=membership.region.code
        )
    if membership.facility is None:
        return Facility.objects.none()
    return posyandu_under(membership.facility)


def posyandu_ids_for(user: AnyUser) -> list[int]:
    """Return the database ids of `posyandu_for(user)` (for filtering personal data)."""
    return list(posyandu_for(user).values_list("pk", flat=True))


def area_posyandu_for(user: AnyUser) -> QuerySet[Facility]:
    """Return the posyandu of the user's area, for aggregate views (every role)."""
    membership = membership_of(user)
    if membership is None:
        return Facility.objects.none()
    if membership.region is not None:
        return Facility.objects.filter(
            kind=Facility.Kind.POSYANDU, region__code__startswith=membership.region.code
        )
    return posyandu_for(user)
