"""Write the target-population estimates of the SPM (one per area, year and SPM service).

The dinkes enters them for its region, Puskesmas staff for their Puskesmas area: always the
place of the user's own membership, which is the area of the PWS dashboard they read. Setting
the same number again changes nothing; an empty number removes the estimate (the dashboard
then divides by the registered persons again). Every change is audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import Membership, Role
from posyandu.accounts.scope import AnyUser, membership_of
from posyandu.audit.services import audit_record, field_changes
from posyandu.core.errors import RulesError
from posyandu.core.indicators import spm_rules
from posyandu.regions.models import ESTIMATE_SOURCE_MAX_CHARS, TargetEstimate

ESTIMATE_ROLES = frozenset({Role.DINKES, Role.PUSKESMAS})
MAX_ESTIMATE = 10_000_000


def _error(field: str, message: object, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def estimate_place(user: AnyUser) -> Membership | None:
    """Return the membership whose place the user may enter estimates for, or None."""
    membership = membership_of(user)
    if membership is None or membership.role not in ESTIMATE_ROLES:
        return None
    return membership


def estimates_for(membership: Membership, year: int) -> dict[str, TargetEstimate]:
    """Return the estimates of the membership's place for `year`, by SPM service code."""
    rows = TargetEstimate.objects.filter(
        region_id=membership.region_id if membership.facility_id is None else None,
        facility_id=membership.facility_id,
        year=year,
    )
    return {row.service: row for row in rows}


def target_estimate_set(
    *, user: AnyUser, year: int, service: str, number: int | None, source: str = ""
) -> TargetEstimate | None:
    """Set (or with `number` None remove) the estimate of `service` for the user's area."""
    membership = estimate_place(user)
    if membership is None:
        raise PermissionDenied("only the dinkes and Puskesmas staff enter target estimates")
    this_year = timezone.localdate().year
    if not 2023 <= year <= this_year + 1:
        raise _error(
            "year", _("Year %(value)s is outside 2023 to next year."), "bad_year", value=year
        )
    try:
        codes = spm_rules(dt.date(year, 12, 31)).codes
    except RulesError:
        codes = ()
    if service not in codes:
        raise _error("service", _("%(value)s is not an SPM service."), "bad_service", value=service)
    source = " ".join(source.split())
    if number is not None:
        if not 0 < number <= MAX_ESTIMATE:
            raise _error(
                "number",
                _("Estimate %(value)s: write a number of persons from 1 to 10,000,000."),
                "bad_number",
                value=number,
            )
        if not source:
            raise _error("source", _("Write where the estimate comes from."), "required")
        if len(source) > ESTIMATE_SOURCE_MAX_CHARS:
            raise _error(
                "source",
                _("Source of the estimate: at most %(limit)s characters, not %(length)s."),
                "max_length",
                limit=ESTIMATE_SOURCE_MAX_CHARS,
                length=len(source),
            )
    with transaction.atomic():
        existing = estimates_for(membership, year).get(service)
        if number is None:
            if existing is not None:
                audit_record(
                    user=user,
                    action="target_estimate.delete",
                    instance=existing,
                    changes={"number": (existing.number, None)},
                )
                existing.delete()
            return None
        if existing is None:
            created = TargetEstimate.objects.create(
                region=membership.region if membership.facility_id is None else None,
                facility=membership.facility,
                year=year,
                service=service,
                number=number,
                source=source,
                entered_by=user if user.is_authenticated else None,
            )
            audit_record(
                user=user,
                action="target_estimate.create",
                instance=created,
                changes={"year": year, "service": service, "number": number, "source": source},
            )
            return created
        changes = field_changes(existing, {"number": number, "source": source})
        if changes:
            existing.number, existing.source = number, source
            existing.entered_by = user if user.is_authenticated else None
            existing.save(update_fields=["number", "source", "entered_by", "updated_at"])
            audit_record(
                user=user, action="target_estimate.update", instance=existing, changes=changes
            )
        return existing
