"""Writes of the registry: households, persons, pregnancies, deliveries and merges.

Every service is keyword-only, runs in one transaction, is keyed by the client's uuid where it
creates a record (the same uuid twice returns the first record and writes nothing), refuses
what the user's scope does not allow (PermissionDenied) and adds its audit event in the same
transaction (docs/adr/0006). Bad input raises `InvalidInputError` naming the field.

The services a phone syncs also take the user's batch (`within=`, see `checks.Batch`): the
same checks and writes, in the caller's transaction, with the scope and rows it already read.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from collections.abc import Iterable
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.scope import is_nakes, posyandu_for
from posyandu.audit.services import audit_record, field_changes
from posyandu.common.batch import atomic, remembered, stored
from posyandu.regions.models import Facility
from posyandu.registry import checks
from posyandu.registry.checks import AnyUser, Batch, require_scope
from posyandu.registry.errors import DuplicateSuspected, InvalidInputError
from posyandu.registry.merging import fill_blanks, move_facts
from posyandu.registry.models import Household, Person, Pregnancy
from posyandu.registry.pregnancy import check_delivery, check_pregnancy

UUID = uuid_module.UUID

# The demographic fields person_update may change.
EDITABLE_FIELDS = frozenset(
    {"name", "sex", "birth_date", "nik", "household", "mother", "phone", "smoker", "has_buku_kia"}
)


def household_create(
    *,
    user: AnyUser,
    uuid: UUID,
    posyandu: Facility,
    head_name: str,
    no_kk: str = "",
    address: str = "",
    dusun: str = "",
    within: Batch | None = None,
) -> Household:
    """Create a household at a posyandu in the user's scope (idempotent by uuid)."""
    require_scope(user, posyandu.pk, within)
    with atomic(within):
        existing = stored(Household, uuid, within)
        if existing is not None:
            require_scope(user, existing.posyandu_id, within)
            return existing
        values = {
            "posyandu": posyandu,
            "head_name": checks.clean_name(head_name, field="head_name"),
            "no_kk": _clean_no_kk(no_kk),
            "address": (address or "").strip()[:200],
            "dusun": (dusun or "").strip()[:80],
        }
        household = Household.objects.create(uuid=uuid, **values)
        audit_record(user=user, action="household.create", instance=household, changes=values)
    return remembered(household, within)


def _clean_no_kk(no_kk: str) -> str:
    cleaned = (no_kk or "").replace(" ", "").replace(".", "")
    if cleaned and (len(cleaned) != 16 or not cleaned.isdigit()):
        raise InvalidInputError(
            "no_kk", "length", _("No. KK: '%(value)s' must be exactly 16 digits."), value=no_kk
        )
    if cleaned and Household.objects.filter(no_kk=cleaned).exists():
        raise InvalidInputError(
            "no_kk", "taken", _("No. KK: '%(value)s' is already registered."), value=no_kk
        )
    return cleaned


def person_register(
    *,
    user: AnyUser,
    uuid: UUID,
    posyandu: Facility,
    name: str,
    sex: str,
    birth_date: dt.date,
    nik: str | None = None,
    household: Household | None = None,
    mother: Person | None = None,
    phone: str = "",
    smoker: bool | None = None,
    has_buku_kia: bool | None = None,
    confirm_not_duplicate: bool = False,
    within: Batch | None = None,
) -> Person:
    """Register a person at a posyandu in the user's scope (idempotent by uuid).

    Raises DuplicateSuspected when she looks already registered (same NIK, or same name and
    birth date in the same household or with the same mother), unless the user confirmed.
    """
    require_scope(user, posyandu.pk, within)
    with atomic(within):
        existing = stored(Person, uuid, within)
        if existing is not None:
            require_scope(user, existing.posyandu_id, within)
            return existing
        today = timezone.localdate()
        values: dict[str, Any] = {
            "posyandu": posyandu,
            "name": checks.clean_name(name),
            "sex": checks.clean_sex(sex),
            "birth_date": checks.clean_birth_date(birth_date, today),
            "household": checks.check_household(household, posyandu),
            "phone": checks.clean_phone(phone),
            "smoker": smoker,
            "has_buku_kia": has_buku_kia,
        }
        values["nik"] = checks.clean_nik(
            nik, birth_date=values["birth_date"], sex=values["sex"], today=today
        )
        values["mother"] = checks.check_mother(
            mother, user=user, birth_date=values["birth_date"], within=within
        )
        _check_duplicates(user, values, confirmed=confirm_not_duplicate)
        person, created = _insert_person(uuid, user, values, within)
        person = remembered(person, within)
        if not created:
            return person
        audit_record(user=user, action="person.create", instance=person, changes=values)
    return person


def _insert_person(
    uuid: UUID, user: AnyUser, values: dict[str, Any], within: Batch | None = None
) -> tuple[Person, bool]:
    """Insert the person; a concurrent insert of the same uuid returns that one instead (in
    a deferring batch, the clash fails the batch, which its caller applies again, not
    deferring: no savepoint per person)."""
    person = Person(uuid=uuid, created_by=user if user.is_authenticated else None, **values)
    if within is not None and within.defer:
        person.save(force_insert=True)
        return person, True
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        winner = Person.objects.filter(uuid=uuid).first()
        if winner is not None:
            return winner, False
        if values["nik"] and Person.objects.filter(nik=values["nik"]).exists():
            raise checks.nik_taken_error(values["nik"]) from None
        raise
    return person, True


def duplicate_candidates(
    user: AnyUser, values: dict[str, Any], *, among: Iterable[Person] | None = None
) -> list[Person]:
    """Return the persons in the user's scope whom `values` may describe again.

    `among`: the persons to look in instead of a query, read for a batch of registrations by
    `duplicate_pool` (and those the batch registered since).
    """
    if among is None:
        visible = Person.objects.filter(
            posyandu__in=posyandu_for(user), merged_into__isnull=True
        ).select_related("household", "mother", "posyandu")
        family = [Q(**{key: values[key]}) for key in ("household", "mother") if values.get(key)]
        # With neither household nor mother to tell two records apart, the posyandu has to do.
        same_family = reduce(or_, family) if family else Q(posyandu=values["posyandu"])
        named = list(visible.filter(same_family, birth_date=values["birth_date"]))
        numbered = list(visible.filter(nik=values["nik"])) if values.get("nik") else []
    else:
        named = numbered = sorted(among, key=lambda p: p.name)
    by_nik = [p for p in numbered if values.get("nik") and p.nik == values["nik"]]
    by_name = [p for p in named if _same_name_and_family(p, values)]
    return by_nik + [p for p in by_name if p not in by_nik]


def _same_name_and_family(person: Person, values: dict[str, Any]) -> bool:
    """Return whether she has the name and birth date of `values`, in the same household or
    with the same mother (or, with neither to tell, at the same posyandu)."""
    family = [(key, values[key]) for key in ("household", "mother") if values.get(key)]
    if family:
        same = any(getattr(person, f"{key}_id") == value.pk for key, value in family)
    else:
        same = person.posyandu_id == values["posyandu"].pk
    return (
        same
        and person.birth_date == values["birth_date"]
        and checks.normal_name(person.name) == checks.normal_name(values["name"])
    )


def duplicate_pool(
    user: AnyUser, *, birth_dates: Iterable[dt.date], niks: Iterable[str]
) -> list[Person]:
    """Return the persons in the user's scope born on one of `birth_dates` or holding one of
    `niks`: every candidate of a batch of registrations, read once (`duplicate_candidates`)."""
    visible = Person.objects.filter(posyandu__in=posyandu_for(user), merged_into__isnull=True)
    return list(visible.filter(Q(birth_date__in=set(birth_dates)) | Q(nik__in=set(niks))))


def _check_duplicates(user: AnyUser, values: dict[str, Any], *, confirmed: bool) -> None:
    if not confirmed:
        candidates = duplicate_candidates(user, values)
        if candidates:
            raise DuplicateSuspected(candidates)
    if values["nik"] and Person.objects.filter(nik=values["nik"]).exists():
        # The same NIK is the same person: confirming cannot make two records hold it.
        raise checks.nik_taken_error(values["nik"])


def person_update(
    *, user: AnyUser, person: Person, within: Batch | None = None, **fields: Any
) -> Person:
    """Change a person's demographics; audit {field: [old, new]} of what really changed."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"person_update cannot change {sorted(unknown)}")
    with atomic(within):
        person = Person.objects.select_for_update().select_related("posyandu").get(pk=person.pk)
        require_scope(user, person.posyandu_id, within)
        if person.merged_into_id is not None:
            raise InvalidInputError(
                "person", "merged", _("%(value)s was merged into another record."), value=person
            )
        updates = checks.clean_updates(user, person, fields, within)
        changes = field_changes(person, updates)
        if not changes:
            return remembered(person, within)
        for name in changes:
            setattr(person, name, updates[name])
        try:
            with transaction.atomic():
                person.save(update_fields=[*changes, "updated_at"])
        except IntegrityError:
            raise checks.nik_taken_error(updates["nik"]) from None
        audit_record(user=user, action="person.update", instance=person, changes=changes)
    return remembered(person, within)


class DeliveryRecorded(NamedTuple):
    """A delivery: the pregnancy it ended, and the newborn registered with it (if any)."""

    pregnancy: Pregnancy
    baby: Person | None


def pregnancy_register(
    *,
    user: AnyUser,
    uuid: UUID,
    person: Person,
    registered_on: dt.date,
    last_menstrual_period: dt.date | None = None,
    gravida: int | None = None,
) -> Pregnancy:
    """Register a pregnancy of a woman in the user's scope (idempotent by uuid)."""
    require_scope(user, person.posyandu_id)
    with transaction.atomic():
        existing = Pregnancy.objects.filter(uuid=uuid).first()
        if existing is not None:
            return existing
        values = check_pregnancy(
            person=person,
            registered_on=registered_on,
            last_menstrual_period=last_menstrual_period,
            gravida=gravida,
            today=timezone.localdate(),
        )
        pregnancy = Pregnancy.objects.create(uuid=uuid, person=person, **values)
        audit_record(
            user=user,
            action="pregnancy.create",
            instance=pregnancy,
            changes=values | {"person": person},
        )
    return pregnancy


def delivery_record(
    *,
    user: AnyUser,
    pregnancy: Pregnancy,
    delivery_date: dt.date,
    outcome: str,
    delivery_place: str = "",
    baby: dict[str, Any] | None = None,
) -> DeliveryRecorded:
    """Record how a pregnancy ended; for a live birth, optionally register the newborn.

    `baby` holds person_register's arguments for the child (uuid, name, sex, and optionally
    nik, has_buku_kia, confirm_not_duplicate); her birth date is the delivery date, her mother
    the pregnant woman, her household and posyandu the mother's. Recording the same delivery
    again writes nothing.
    """
    with transaction.atomic():
        pregnancy = (
            Pregnancy.objects.select_for_update().select_related("person").get(pk=pregnancy.pk)
        )
        mother = pregnancy.person
        require_scope(user, mother.posyandu_id)
        values = check_delivery(
            pregnancy=pregnancy,
            delivery_date=delivery_date,
            outcome=outcome,
            delivery_place=delivery_place,
            baby=baby,
            today=timezone.localdate(),
        )
        changes = field_changes(pregnancy, values)
        if changes:
            for name, value in values.items():
                setattr(pregnancy, name, value)
            pregnancy.save(update_fields=[*values, "updated_at"])
            audit_record(user=user, action="pregnancy.deliver", instance=pregnancy, changes=changes)
        newborn = None
        if baby is not None:
            newborn = person_register(
                user=user,
                posyandu=mother.posyandu,
                birth_date=delivery_date,
                mother=mother,
                household=mother.household,
                **baby,
            )
    return DeliveryRecorded(pregnancy, newborn)


def person_merge(*, user: AnyUser, keep: Person, duplicate: Person) -> Person:
    """Merge `duplicate` into `keep`: move every fact, fill keep's blanks, never delete.

    Only nakes (bidan, perawat, Puskesmas staff) may merge, and only persons in their scope.
    Merging the same pair again writes nothing.
    """
    if not is_nakes(user):
        raise PermissionDenied("only a health worker may merge persons")
    with transaction.atomic():
        pair = Person.objects.select_for_update().in_bulk([keep.pk, duplicate.pk])
        keep, duplicate = pair[keep.pk], pair[duplicate.pk]
        require_scope(user, keep.posyandu_id)
        require_scope(user, duplicate.posyandu_id)
        if duplicate.merged_into_id == keep.pk:
            return keep
        _check_mergeable(keep, duplicate)
        moved = move_facts(keep=keep, duplicate=duplicate)
        filled = fill_blanks(keep=keep, duplicate=duplicate)
        duplicate.merged_into = keep
        duplicate.save(update_fields=["merged_into", "nik", "updated_at"])
        keep.save(update_fields=[*filled, "updated_at"])
        merged = {"merged_into": (None, str(keep.uuid))}
        if "nik" in filled:
            merged["nik"] = (filled["nik"][1], None)
        audit_record(user=user, action="person.merge", instance=duplicate, changes=merged)
        audit_record(
            user=user,
            action="person.absorb",
            instance=keep,
            changes={"duplicate": duplicate, "moved": moved, **filled},
        )
    return keep


def _check_mergeable(keep: Person, duplicate: Person) -> None:
    if keep.pk == duplicate.pk:
        raise InvalidInputError(
            "duplicate", "same", _("%(value)s cannot be merged into itself."), value=keep.name
        )
    for person in (keep, duplicate):
        if person.merged_into_id is not None:
            raise InvalidInputError(
                "duplicate",
                "merged",
                _("%(value)s was merged into another record."),
                value=person.name,
            )
    if keep.sex != duplicate.sex:
        raise InvalidInputError(
            "duplicate",
            "sex",
            _("%(value)s has another sex; correct the sex first, then merge."),
            value=duplicate.name,
        )
    if duplicate.mother_id == keep.pk or keep.mother_id == duplicate.pk:
        raise InvalidInputError(
            "duplicate",
            "mother",
            _("%(value)s is the mother or child of the other record."),
            value=duplicate.name,
        )
