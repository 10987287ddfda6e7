"""Write the kader registry: register a kader, record a training or an assessment, certify.

Nakes (bidan, perawat) and Puskesmas staff manage the kader of the posyandu above which they
work; a kader reads her own posyandu's registry only. Each service is one transaction,
idempotent by the client's uuid, and audited.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import NAKES_ROLES, Membership, Role
from posyandu.accounts.scope import AnyUser, membership_of, posyandu_for
from posyandu.audit.services import audit_record, field_changes
from posyandu.kaders.competencies import catalogue_in_force
from posyandu.kaders.models import CompetencyRecord, Kader
from posyandu.regions.models import Facility


def _error(field: str, message: object, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def may_manage(user: AnyUser, posyandu: Facility) -> bool:
    """Return True for a nakes or Puskesmas staff whose posyandu include `posyandu`."""
    membership = membership_of(user)
    if membership is None or membership.role not in NAKES_ROLES:
        return False
    return posyandu_for(user).filter(pk=posyandu.pk).exists()


def _require_manager(user: AnyUser, posyandu: Facility) -> None:
    if not may_manage(user, posyandu):
        raise PermissionDenied("only the health workers above this posyandu manage its kader")


def _check_account(account: AbstractBaseUser, posyandu: Facility) -> None:
    membership = Membership.objects.filter(user=account).first()
    if membership is None or membership.role != Role.KADER or membership.facility_id != posyandu.pk:
        raise _error(
            "user_account",
            _("The login %(value)s is not a kader of this posyandu."),
            "not_kader_here",
            value=account.get_username(),
        )
    if Kader.objects.filter(user=account).exists():
        raise _error(
            "user_account",
            _("The login %(value)s already belongs to a registered kader."),
            "taken",
            value=account.get_username(),
        )


def kader_register(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    posyandu: Facility,
    name: str,
    phone: str = "",
    user_account: AbstractBaseUser | None = None,
) -> Kader:
    """Register a kader of `posyandu` (linked to her login when she uses the app)."""
    _require_manager(user, posyandu)
    existing = Kader.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing
    if posyandu.kind != Facility.Kind.POSYANDU:
        raise _error("posyandu", _("Kader serve a posyandu."), "not_posyandu")
    name, phone = " ".join(name.split()), phone.strip()
    if not name:
        raise _error("name", _("Write the kader's name."), "required")
    if phone and not phone.lstrip("+").isdigit():
        raise _error("phone", _("Phone: '%(value)s' is not a phone number."), "phone", value=phone)
    if user_account is not None:
        _check_account(user_account, posyandu)
    with transaction.atomic():
        kader = Kader.objects.create(
            uuid=uuid, posyandu=posyandu, name=name, phone=phone, user=user_account
        )
        audit_record(
            user=user,
            action="kader.register",
            instance=kader,
            changes={"posyandu": posyandu, "name": name, "phone": phone, "user": user_account},
        )
    return kader


def competency_record(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    kader: Kader,
    competency: str,
    kind: str,
    date: dt.date,
    by: str = "",
    passed: bool | None = None,
) -> CompetencyRecord:
    """Record that `kader` was trained on, or assessed in, one competency of the catalogue."""
    _require_manager(user, kader.posyandu)
    existing = CompetencyRecord.objects.filter(uuid=uuid).first()
    if existing is not None:
        return existing
    passed = _checked_result(competency, kind, date, passed)
    with transaction.atomic():
        record = CompetencyRecord.objects.create(
            uuid=uuid,
            kader=kader,
            competency=competency,
            kind=kind,
            date=date,
            by=by.strip(),
            passed=passed,
        )
        audit_record(
            user=user,
            action="kader.competency",
            instance=record,
            changes={
                "kader": kader,
                "competency": competency,
                "kind": kind,
                "date": date,
                "passed": passed,
            },
        )
    return record


def _checked_result(competency: str, kind: str, date: dt.date, passed: bool | None) -> bool | None:
    """Return the assessment's result (None for a training); refuse what cannot be recorded."""
    if catalogue_in_force(date).get(competency) is None:
        raise _error(
            "competency",
            _("Competency: '%(value)s' is not in the list."),
            "unknown",
            value=competency,
        )
    if kind not in CompetencyRecord.Kind.values:
        raise _error("kind", _("Choose training or assessment."), "invalid")
    if date > timezone.localdate():
        raise _error("date", _("The date is in the future."), "future")
    if kind == CompetencyRecord.Kind.TRAINED:
        return None  # a training has no result
    if passed is None:
        raise _error("passed", _("Say whether the kader passed the assessment."), "required")
    return passed


def kader_certify(*, user: AnyUser, kader: Kader, tier: str) -> Kader:
    """Record the tier (purwa, madya, utama) the kader is certified at; "" removes it."""
    _require_manager(user, kader.posyandu)
    if tier not in (*Kader.Tier.values, ""):
        raise _error("tier", _("Tier: '%(value)s' is not a tier."), "invalid", value=tier)
    with transaction.atomic():
        current = Kader.objects.select_for_update().get(pk=kader.pk)
        changes = field_changes(current, {"tier": tier})
        if not changes:
            return current
        current.tier = tier
        current.save(update_fields=["tier", "updated_at"])
        audit_record(user=user, action="kader.certify", instance=current, changes=changes)
    return current
