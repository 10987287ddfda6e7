"""Checks of a pregnancy's registration and of its delivery before the services save them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from posyandu.core.dates import add_months
from posyandu.registry.checks import show_date
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.models import Person, Pregnancy, Sex

# A pregnancy lasts at most about 42 weeks; 45 leaves room for a late registration.
MAX_WEEKS_SINCE_LMP = 45
# Younger or older than this, a registered pregnancy is a data-entry slip.
MIN_MOTHER_YEARS, MAX_MOTHER_YEARS = 10, 60
MAX_GRAVIDA = 20
_BABY_KEYS = frozenset({"uuid", "name", "sex", "nik", "has_buku_kia", "confirm_not_duplicate"})


def check_pregnancy(
    *,
    person: Person,
    registered_on: dt.date,
    last_menstrual_period: dt.date | None,
    gravida: int | None,
    today: dt.date,
) -> dict[str, Any]:
    """Return the pregnancy's values, or raise InvalidInputError naming the field."""
    _check_woman(person, registered_on)
    if registered_on > today:
        raise InvalidInputError(
            "registered_on",
            "future",
            _("Registration date: %(value)s is in the future."),
            value=show_date(registered_on),
        )
    lmp = last_menstrual_period
    if lmp is not None and not (
        registered_on - dt.timedelta(weeks=MAX_WEEKS_SINCE_LMP) <= lmp <= registered_on
    ):
        raise InvalidInputError(
            "last_menstrual_period",
            "implausible",
            _("Last menstrual period: %(value)s is not within %(weeks)s weeks before %(date)s."),
            value=show_date(lmp),
            weeks=MAX_WEEKS_SINCE_LMP,
            date=show_date(registered_on),
        )
    if gravida is not None and not 1 <= gravida <= MAX_GRAVIDA:
        raise InvalidInputError(
            "gravida",
            "implausible",
            _("Pregnancy number: %(value)s is not between 1 and %(max)s."),
            value=gravida,
            max=MAX_GRAVIDA,
        )
    if Pregnancy.objects.filter(person=person, delivery_date__isnull=True).exists():
        raise InvalidInputError(
            "person",
            "open_pregnancy",
            _("%(value)s already has a pregnancy without a delivery; record that first."),
            value=person.name,
        )
    return {"registered_on": registered_on, "last_menstrual_period": lmp, "gravida": gravida}


def _check_woman(person: Person, on: dt.date) -> None:
    if person.merged_into_id is not None:
        raise InvalidInputError(
            "person", "merged", _("%(value)s was merged into another record."), value=person.name
        )
    if person.sex != Sex.FEMALE:
        raise InvalidInputError(
            "person", "not_woman", _("%(value)s is not a woman."), value=person.name
        )
    low = add_months(person.birth_date, 12 * MIN_MOTHER_YEARS)
    high = add_months(person.birth_date, 12 * MAX_MOTHER_YEARS)
    if not low <= on <= high:
        raise InvalidInputError(
            "person",
            "age",
            _("%(value)s (born %(born)s) is not of an age to be pregnant."),
            value=person.name,
            born=show_date(person.birth_date),
        )


def check_delivery(
    *,
    pregnancy: Pregnancy,
    delivery_date: dt.date,
    outcome: str,
    delivery_place: str,
    baby: dict[str, Any] | None,
    today: dt.date,
) -> dict[str, Any]:
    """Return the delivery's values, or raise InvalidInputError naming the field."""
    if outcome not in Pregnancy.Outcome.values:
        raise InvalidInputError(
            "outcome", "invalid", _("Outcome: '%(value)s' is not a known outcome."), value=outcome
        )
    already = (pregnancy.delivery_date, pregnancy.outcome)
    if pregnancy.delivery_date is not None and already != (delivery_date, outcome):
        raise InvalidInputError(
            "delivery_date",
            "recorded",
            _("Delivery: this pregnancy already ended on %(value)s."),
            value=show_date(pregnancy.delivery_date),
        )
    if delivery_date > today:
        raise InvalidInputError(
            "delivery_date",
            "future",
            _("Delivery date: %(value)s is in the future."),
            value=show_date(delivery_date),
        )
    earliest = pregnancy.registered_on
    if outcome == Pregnancy.Outcome.MISCARRIAGE:
        # A miscarriage may be told after the fact, but not before the pregnancy began.
        earliest = pregnancy.last_menstrual_period or (
            pregnancy.registered_on - dt.timedelta(weeks=MAX_WEEKS_SINCE_LMP)
        )
    if delivery_date < earliest:
        raise InvalidInputError(
            "delivery_date",
            "before_pregnancy",
            _("Delivery date: %(value)s is before the pregnancy (%(start)s)."),
            value=show_date(delivery_date),
            start=show_date(earliest),
        )
    _check_baby(baby, outcome)
    return {
        "delivery_date": delivery_date,
        "outcome": outcome,
        "delivery_place": (delivery_place or "").strip()[:120],
    }


def _check_baby(baby: dict[str, Any] | None, outcome: str) -> None:
    if baby is None:
        return
    if outcome != Pregnancy.Outcome.LIVE_BIRTH:
        raise InvalidInputError(
            "outcome",
            "no_baby",
            _("Outcome: a baby can be registered only after a live birth."),
        )
    unknown = set(baby) - _BABY_KEYS
    if unknown or "uuid" not in baby:
        raise TypeError(f"baby takes {sorted(_BABY_KEYS)} with a uuid, not {sorted(baby)}")
