"""Checks of a person's demographics before a registry service saves them.

Each check returns the cleaned value or raises `InvalidInputError` naming the field and the value,
in words a kader understands (the page shows `message`). The services decide when to call them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Protocol

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.accounts.scope import posyandu_for
from posyandu.common.batch import RowBatch
from posyandu.core.dates import add_months
from posyandu.core.errors import InputError
from posyandu.core.nik import check_nik, parse_nik
from posyandu.core.rulebook import RuleVersion, rule_in_force
from posyandu.regions.models import Facility
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.models import Household, Person, Sex

AnyUser = AbstractBaseUser | AnonymousUser


class Batch(RowBatch, Protocol):
    """A batch of writes by one user, in the caller's transaction (the sync's upload:
    `posyandu.visits.batch.VisitBatch`): the user's scope read once, rows by uuid. A
    deferring batch (`defer`) answers a clash with a concurrent write by failing as a whole;
    its caller applies it again, not deferring."""

    defer: bool

    def sees(self, posyandu_id: int) -> bool:
        """Return whether the posyandu's persons are in the user's scope."""


# A mother is at least this many years older than her child (below it, a data-entry slip).
MOTHER_MIN_YEARS_OLDER = 10
# Nobody the posyandu serves was born this many years before today.
MAX_AGE_YEARS = 130
_PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}")


def show_date(day: dt.date) -> str:
    """Return a date as the UI shows it (dd/mm/yyyy)."""
    return day.strftime("%d/%m/%Y")


def in_scope(user: AnyUser, posyandu_id: int, within: Batch | None = None) -> bool:
    """Return whether the posyandu is in the user's scope (asking the batch, if any)."""
    if within is not None:
        return within.sees(posyandu_id)
    return posyandu_for(user).filter(pk=posyandu_id).exists()


def require_scope(user: AnyUser, posyandu_id: int, within: Batch | None = None) -> None:
    """Refuse (PermissionDenied) a write at a posyandu outside the user's scope."""
    if not in_scope(user, posyandu_id, within):
        raise PermissionDenied("posyandu outside the user's scope")


def normal_name(name: str) -> str:
    """Return the name as compared for duplicates: whitespace collapsed, case folded."""
    return " ".join(name.split()).casefold()


def clean_name(name: str, field: str = "name") -> str:
    """Return the name with its whitespace collapsed; it must not be empty."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise InvalidInputError(field, "required", _("Name: please fill in the name."))
    if len(cleaned) > 120:
        raise InvalidInputError(
            field, "too_long", _("Name: '%(value)s…' is longer than 120 letters."), value=name[:20]
        )
    return cleaned


def clean_sex(sex: str) -> str:
    """Return 'M' or 'F'."""
    if sex not in Sex.values:
        raise InvalidInputError(
            "sex", "invalid", _("Sex: '%(value)s' is not male or female."), value=sex
        )
    return sex


def clean_birth_date(birth_date: dt.date, today: dt.date) -> dt.date:
    """Return the birth date; it cannot be in the future nor implausibly long ago."""
    if birth_date > today:
        raise InvalidInputError(
            "birth_date",
            "future",
            _("Date of birth: %(value)s is in the future."),
            value=show_date(birth_date),
        )
    if birth_date < add_months(today, -12 * MAX_AGE_YEARS):
        raise InvalidInputError(
            "birth_date",
            "implausible",
            _("Date of birth: %(value)s is more than %(years)s years ago."),
            value=show_date(birth_date),
            years=MAX_AGE_YEARS,
        )
    return birth_date


def clean_phone(phone: str) -> str:
    """Return the phone number stripped; empty is allowed."""
    cleaned = (phone or "").strip()
    if cleaned and not _PHONE.fullmatch(cleaned):
        raise InvalidInputError(
            "phone", "invalid", _("Phone: '%(value)s' is not a phone number."), value=cleaned
        )
    return cleaned


def nik_rules(today: dt.date) -> RuleVersion:
    """Return the NIK rules in force today."""
    return rule_in_force("nik", today)


def clean_nik(raw: str | None, *, birth_date: dt.date, sex: str, today: dt.date) -> str | None:
    """Return the NIK as 16 digits (None when not given), checked against birth date and sex."""
    if raw is not None and not isinstance(raw, str):  # a number loses its leading zeros
        raise InvalidInputError("nik", "invalid", _("NIK: '%(value)s' is not text."), value=raw)
    if raw is None or not raw.strip():
        return None
    rules = nik_rules(today)
    try:
        return check_nik(raw, birth_date=birth_date, sex=sex, rules=rules).value
    except InputError:
        raise _nik_error(raw.strip(), birth_date=birth_date, sex=sex, rules=rules) from None


def _nik_error(raw: str, *, birth_date: dt.date, sex: str, rules: RuleVersion) -> InvalidInputError:
    """Return the error a kader can act on for a NIK the core refused."""
    digits = raw.replace(" ", "").replace(".", "")
    if len(digits) != 16 or not digits.isdigit():
        return InvalidInputError(
            "nik", "length", _("NIK: '%(value)s' must be exactly 16 digits."), value=raw
        )
    if digits[:2] not in rules.data["province_codes"]:
        return InvalidInputError(
            "nik",
            "province",
            _("NIK: '%(value)s' starts with %(province)s, which is not a province code."),
            value=raw,
            province=digits[:2],
        )
    try:
        nik = parse_nik(digits, rules)
    except InputError:
        return InvalidInputError(
            "nik",
            "malformed",
            _("NIK: '%(value)s' holds no valid birth date (digits 7-12) or serial."),
            value=raw,
        )
    if nik.sex != sex:
        return InvalidInputError(
            "nik",
            "sex",
            _("NIK: '%(value)s' is the NIK of a %(nik_sex)s, but the sex chosen is %(sex)s."),
            value=raw,
            nik_sex=Sex(nik.sex).label,
            sex=Sex(sex).label,
        )
    return InvalidInputError(
        "nik",
        "birth_date",
        _("NIK: '%(value)s' holds the birth date %(nik_date)s, but the date of birth is %(date)s."),
        value=raw,
        nik_date=f"{nik.birth_day:02d}/{nik.birth_month:02d}/{nik.birth_year_2:02d}",
        date=show_date(birth_date),
    )


def nik_taken_error(nik: str) -> InvalidInputError:
    """Return the error for a NIK that another person already holds (not naming her)."""
    return InvalidInputError(
        "nik", "taken", _("NIK: '%(value)s' is already registered to another person."), value=nik
    )


def check_household(household: Household | None, posyandu: Facility) -> Household | None:
    """Return the household; it must belong to the person's posyandu."""
    if household is not None and household.posyandu_id != posyandu.pk:
        raise InvalidInputError(
            "household",
            "other_posyandu",
            _("Household: '%(value)s' belongs to another posyandu."),
            value=household.head_name,
        )
    return household


def check_mother(
    mother: Person | None,
    *,
    user: AnyUser,
    birth_date: dt.date,
    child: Person | None = None,
    within: Batch | None = None,
) -> Person | None:
    """Return the mother; she must be a woman in scope, at least 10 years older than the child."""
    if mother is None:
        return None
    if child is not None and mother.pk == child.pk:
        raise InvalidInputError(
            "mother", "self", _("Mother: a person cannot be her own mother."), value=mother.name
        )
    if mother.merged_into_id is not None or not in_scope(user, mother.posyandu_id, within):
        raise InvalidInputError(
            "mother", "not_found", _("Mother: '%(value)s' was not found."), value=mother.name
        )
    if mother.sex != Sex.FEMALE:
        raise InvalidInputError(
            "mother", "not_woman", _("Mother: '%(value)s' is not a woman."), value=mother.name
        )
    if add_months(mother.birth_date, 12 * MOTHER_MIN_YEARS_OLDER) > birth_date:
        raise InvalidInputError(
            "mother",
            "too_young",
            _("Mother: '%(value)s' (born %(born)s) is not at least %(years)s years older."),
            value=mother.name,
            born=show_date(mother.birth_date),
            years=MOTHER_MIN_YEARS_OLDER,
        )
    return mother


def clean_updates(
    user: AnyUser, person: Person, fields: dict[str, Any], within: Batch | None = None
) -> dict[str, Any]:
    """Return the cleaned new values, checked together with the values that stay."""
    today = timezone.localdate()
    kept = ("nik", "sex", "birth_date", "mother")
    merged = {name: getattr(person, name) for name in kept} | fields
    updates = dict(fields)
    if "name" in fields:
        updates["name"] = clean_name(fields["name"])
    if "sex" in fields:
        updates["sex"] = clean_sex(fields["sex"])
    if "birth_date" in fields:
        updates["birth_date"] = clean_birth_date(fields["birth_date"], today)
    if "phone" in fields:
        updates["phone"] = clean_phone(fields["phone"])
    if "household" in fields:
        check_household(fields["household"], person.posyandu)
    if {"nik", "sex", "birth_date"} & set(fields) and merged["nik"]:
        updates["nik"] = clean_nik(
            merged["nik"], birth_date=merged["birth_date"], sex=merged["sex"], today=today
        )
        if Person.objects.filter(nik=updates["nik"]).exclude(pk=person.pk).exists():
            raise nik_taken_error(updates["nik"])
    elif "nik" in fields:
        updates["nik"] = None
    if {"mother", "birth_date"} & set(fields):
        check_mother(
            merged["mother"],
            user=user,
            birth_date=merged["birth_date"],
            child=person,
            within=within,
        )
    if {"sex", "birth_date"} & set(fields):
        check_still_mother(person, sex=merged["sex"], birth_date=merged["birth_date"])
    return updates


def check_still_mother(person: Person, *, sex: str, birth_date: dt.date) -> None:
    """Refuse a sex or birth date that no longer fits the children she is mother of."""
    children = list(person.children.order_by("birth_date")[:1])
    if not children:
        return
    too_young = add_months(birth_date, 12 * MOTHER_MIN_YEARS_OLDER)
    if sex != "F" or too_young > children[0].birth_date:
        raise InvalidInputError(
            "sex" if sex != "F" else "birth_date",
            "mother_of",
            _("%(value)s is recorded as the mother of %(child)s; correct that first."),
            value=person.name,
            child=children[0].name,
        )
