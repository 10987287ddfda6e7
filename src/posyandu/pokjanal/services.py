"""Write the Pokjanal's records: ILP roll-out, yearly strata figures, meeting decisions.

Puskesmas and dinkes staff set the roll-out stage and the strata figures of the posyandu of
their area; the Pokjanal, the dinkes and desa officials record the decisions of their area's
meetings. Every write is one transaction with its audit event; setting the same values again
writes nothing, and a decision created twice with the same client uuid is created once.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.models import Role
from posyandu.accounts.scope import AnyUser, area_posyandu_for, role_of
from posyandu.audit.services import audit_record, field_changes
from posyandu.pokjanal.models import Decision, IlpRollout, Sector, StrataInput
from posyandu.pokjanal.selectors import area_region, decisions_in_area
from posyandu.regions.models import Facility, Region

EDIT_ROLES = frozenset({Role.PUSKESMAS, Role.DINKES})
DECISION_ROLES = frozenset({Role.POKJANAL, Role.DINKES, Role.DESA})
FIRST_YEAR = 2023


def _error(field: str, message: object, code: str, **params: object) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def can_edit_posyandu(user: AnyUser) -> bool:
    """Return True for the roles that set roll-out stages and strata figures."""
    return role_of(user) in EDIT_ROLES


def can_record_decisions(user: AnyUser) -> bool:
    """Return True for the roles that record meeting decisions."""
    return role_of(user) in DECISION_ROLES


def _posyandu(user: AnyUser, posyandu: Facility) -> Facility:
    if not can_edit_posyandu(user):
        raise PermissionDenied("only Puskesmas and dinkes staff set this")
    if not area_posyandu_for(user).filter(pk=posyandu.pk).exists():
        raise Http404("no such posyandu")
    return posyandu


def _user(user: AnyUser) -> object:
    return user if user.is_authenticated else None


def ilp_rollout_set(
    *, user: AnyUser, posyandu: Facility, stage: str, since: dt.date | None, note: str = ""
) -> IlpRollout:
    """Set the ILP roll-out stage of a posyandu of the user's area (and its start date)."""
    _posyandu(user, posyandu)
    if stage not in IlpRollout.Stage.values:
        raise _error("stage", _("“%(value)s” is not a roll-out stage."), "bad_stage", value=stage)
    today = timezone.localdate()
    if stage == IlpRollout.Stage.SUDAH and since is None:
        raise _error("since", _("Write the date ILP services started."), "required")
    if since is not None and not dt.date(FIRST_YEAR - 1, 1, 1) <= since <= today:
        raise _error(
            "since",
            _("Date %(value)s: write a date from 2022 to today."),
            "bad_date",
            value=since.isoformat(),
        )
    note = " ".join(note.split())[:300]
    with transaction.atomic():
        existing = IlpRollout.objects.select_for_update().filter(posyandu=posyandu).first()
        values = {"stage": stage, "since": since, "note": note}
        if existing is None:
            created = IlpRollout.objects.create(posyandu=posyandu, set_by=_user(user), **values)
            audit_record(user=user, action="ilp_rollout.create", instance=created, changes=values)
            return created
        changes = field_changes(existing, values)
        if changes:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.set_by = _user(user)  # type: ignore[assignment]
            existing.save()
            audit_record(user=user, action="ilp_rollout.update", instance=existing, changes=changes)
        return existing


PERCENT_FIELDS = ("kia", "kb", "dana_sehat")


def strata_input_set(
    *,
    user: AnyUser,
    posyandu: Facility,
    year: int,
    kia: Decimal | None,
    kb: Decimal | None,
    extra_programmes: int | None,
    dana_sehat: Decimal | None,
    kader_on_duty: Decimal | None,
    note: str = "",
) -> StrataInput:
    """Set the strata figures of a posyandu for a year (None: not reported)."""
    _posyandu(user, posyandu)
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise _error(
            "year", _("Year %(value)s is outside 2023 to this year."), "bad_year", value=year
        )
    values: dict[str, object] = {
        "kia": kia,
        "kb": kb,
        "extra_programmes": extra_programmes,
        "dana_sehat": dana_sehat,
        "kader_on_duty": kader_on_duty,
        "note": " ".join(note.split())[:300],
    }
    for name in PERCENT_FIELDS:
        number = values[name]
        if number is not None and not Decimal(0) <= Decimal(str(number)) <= Decimal(100):
            raise _error(
                name,
                _("%(value)s %%: write a percentage from 0 to 100."),
                "bad_percent",
                value=number,
            )
    if extra_programmes is not None and not 0 <= extra_programmes <= 50:
        raise _error(
            "extra_programmes",
            _("%(value)s programmes: write a number from 0 to 50."),
            "bad_count",
            value=extra_programmes,
        )
    if kader_on_duty is not None and not Decimal(0) <= kader_on_duty <= Decimal(100):
        raise _error(
            "kader_on_duty",
            _("%(value)s kader: write a mean from 0 to 100."),
            "bad_kader",
            value=kader_on_duty,
        )
    with transaction.atomic():
        existing = (
            StrataInput.objects.select_for_update().filter(posyandu=posyandu, year=year).first()
        )
        if existing is None:
            created = StrataInput.objects.create(
                posyandu=posyandu, year=year, entered_by=_user(user), **values
            )
            audit_record(
                user=user,
                action="strata_input.create",
                instance=created,
                changes={"year": year, **values},
            )
            return created
        changes = field_changes(existing, values)
        if changes:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.entered_by = _user(user)  # type: ignore[assignment]
            existing.save()
            audit_record(
                user=user, action="strata_input.update", instance=existing, changes=changes
            )
        return existing


def _check_decision(*, meeting_date: dt.date, text: str, sector: str, due_date: dt.date) -> str:
    text = text.strip()
    if not text:
        raise _error("text", _("Write the decision."), "required")
    if len(text) > 2000:
        raise _error(
            "text",
            _("The decision has %(value)s characters: at most 2000."),
            "long",
            value=len(text),
        )
    if sector not in Sector.values:
        raise _error("sector", _("“%(value)s” is not a sector."), "bad_sector", value=sector)
    today = timezone.localdate()
    if not dt.date(FIRST_YEAR - 1, 1, 1) <= meeting_date <= today:
        raise _error(
            "meeting_date",
            _("Meeting date %(value)s: write a date from 2022 to today."),
            "bad_date",
            value=meeting_date.isoformat(),
        )
    if not meeting_date <= due_date <= meeting_date + dt.timedelta(days=3 * 366):
        raise _error(
            "due_date",
            _("Due date %(value)s: write a date from the meeting to three years after it."),
            "bad_due",
            value=due_date.isoformat(),
        )
    return text


def _decision_by_uuid(uuid: uuid_lib.UUID) -> Decision | None:
    return Decision.objects.filter(uuid=uuid).first()


def _same_area(decision: Decision, region: Region) -> Decision:
    """Return a decision recorded before with the same uuid, if it is of the same area."""
    if decision.region_id != region.pk:
        raise Http404("no such decision")
    return decision


def decision_create(
    *,
    user: AnyUser,
    uuid: uuid_lib.UUID,
    meeting_date: dt.date,
    text: str,
    sector: str,
    due_date: dt.date,
) -> Decision:
    """Record a meeting decision for the user's area (the same uuid twice: created once)."""
    if not can_record_decisions(user):
        raise PermissionDenied("only the Pokjanal, the dinkes and desa officials record decisions")
    region = area_region(user)
    if region is None:
        raise PermissionDenied("no area")
    text = _check_decision(meeting_date=meeting_date, text=text, sector=sector, due_date=due_date)
    with transaction.atomic():
        existing = _decision_by_uuid(uuid)
        if existing is not None:
            return _same_area(existing, region)
        try:
            # A savepoint: a submit of the same form running alongside may insert the uuid
            # between the lookup above and this insert; then its row is the answer.
            with transaction.atomic():
                decision = Decision.objects.create(
                    uuid=uuid,
                    region=region,
                    meeting_date=meeting_date,
                    text=text,
                    sector=sector,
                    due_date=due_date,
                    created_by=_user(user),
                )
        except IntegrityError:
            existing = _decision_by_uuid(uuid)
            if existing is None:
                raise
            return _same_area(existing, region)
        audit_record(
            user=user,
            action="decision.create",
            instance=decision,
            changes={
                "region": region.code,
                "meeting_date": meeting_date,
                "text": text,
                "sector": sector,
                "due_date": due_date,
            },
        )
        return decision


def decision_update(
    *,
    user: AnyUser,
    decision: Decision,
    text: str,
    sector: str,
    due_date: dt.date,
    status: str,
    follow_up: str,
) -> Decision:
    """Update a decision of the user's area: its wording, owner, due date, status, follow-up."""
    if not can_record_decisions(user):
        raise PermissionDenied("only the Pokjanal, the dinkes and desa officials record decisions")
    if not decisions_in_area(user, own_only=True).filter(pk=decision.pk).exists():
        raise Http404("no such decision")
    text = _check_decision(
        meeting_date=decision.meeting_date, text=text, sector=sector, due_date=due_date
    )
    if status not in Decision.Status.values:
        raise _error("status", _("“%(value)s” is not a status."), "bad_status", value=status)
    values = {
        "text": text,
        "sector": sector,
        "due_date": due_date,
        "status": status,
        "follow_up": follow_up.strip()[:2000],
    }
    with transaction.atomic():
        locked = Decision.objects.select_for_update().get(pk=decision.pk)
        changes = field_changes(locked, values)
        if changes:
            for name, value in values.items():
                setattr(locked, name, value)
            locked.save()
            audit_record(user=user, action="decision.update", instance=locked, changes=changes)
        return locked
