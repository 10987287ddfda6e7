"""The checks the day's services make before they write: each refusal is a ValidationError
keyed by the field it is about, naming the value, so the page can show it where it belongs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from posyandu.core.assess.packages import ServiceRule, service_rules
from posyandu.core.dates import completed_months
from posyandu.core.rulebook import rule_in_force
from posyandu.registry.models import Person
from posyandu.visits.models import ImmunizationGiven, Measurement, ServiceDay, Visit
from posyandu.visits.plausibility import PLAUSIBLE, clean_values

if TYPE_CHECKING:
    from posyandu.visits.batch import VisitBatch

# Under five years a child may be measured lying or standing, and the core needs to know which;
# from five years everyone stands.
MEASURE_ASKED_BELOW_MONTHS = 60
_CHECKED = (ServiceDay.Status.VALIDATED, ServiceDay.Status.CONFIRMED)


def error(field: str, message: Any, error_code: str, **params: Any) -> ValidationError:
    """Return a ValidationError about `field` (a form shows it on that field)."""
    return ValidationError({field: ValidationError(message, code=error_code, params=params)})


def day_text(day: dt.date) -> str:
    """Return a date as the UI writes it (dd/mm/yyyy)."""
    return date_format(day, "d/m/Y")


def require_not_closed(day: ServiceDay | None) -> None:
    """Refuse a write on a day a nakes confirmed (corrections excepted, by the caller)."""
    if day is not None and day.status == ServiceDay.Status.CONFIRMED:
        raise error("service_day", _("This day is closed: a health worker confirmed it."), "closed")


def require_future_day_not_opened(day: ServiceDay, today: dt.date) -> None:
    """Refuse opening a day before its date."""
    if day.date > today:
        raise error(
            "date", _("The day (%(date)s) has not come yet."), "future", date=day_text(day.date)
        )


def clean_groups(groups: Iterable[str], on: dt.date) -> list[str]:
    """Return the day's stage codes sorted and unique; refuse a code the stages rule lacks."""
    known = {str(stage["code"]) for stage in rule_in_force("stages", on).data["stages"]}
    chosen = sorted(set(groups))
    unknown = [code for code in chosen if code not in known]
    if unknown:
        raise error("groups", _("Unknown group: %(codes)s."), "unknown", codes=", ".join(unknown))
    return chosen


def require_registrable(service_day: ServiceDay, person: Person) -> None:
    """Refuse checking in a merged duplicate, or anyone on a day already checked."""
    if person.merged_into_id is not None:
        raise error(
            "person", _("%(name)s was merged into another record."), "merged", name=person.name
        )
    if service_day.status in _CHECKED:
        raise error("service_day", _("This day was already checked and closed."), "closed")


def _complete_method(values: dict[str, Any], person: Person, on: dt.date) -> None:
    """Ask lying or standing under five years; from five, a length is a standing height."""
    if values.get("lenhei_cm") is None or values.get("measure"):
        return
    if completed_months(person.birth_date, on) < MEASURE_ASKED_BELOW_MONTHS:
        raise error("measure", _("Say whether the child lay down or stood."), "required")
    values["measure"] = Measurement.Method.STANDING


def measured_values(values: Mapping[str, Any], person: Person, on: dt.date) -> dict[str, Any]:
    """Return the values to store: plausible, something measured, lying/standing known."""
    clean = clean_values(dict(values))
    if not any(name in PLAUSIBLE for name in clean) and not clean.get("oedema"):
        raise error("values", _("Nothing was measured: enter at least one value."), "empty")
    _complete_method(clean, person, on)
    return clean


def require_vaccine_due(visit: Visit, vaccine: str, within: VisitBatch | None = None) -> None:
    """Refuse a vaccine code the schedule in force lacks, or a dose the person already had
    (stored, or held by the batch `within`)."""
    doses = rule_in_force("immunisation_schedule", visit.date).data["doses"]
    if vaccine not in {str(dose["vaccine"]) for dose in doses}:
        raise error(
            "vaccine",
            _("'%(vaccine)s' is not in the immunisation schedule."),
            "unknown",
            vaccine=vaccine,
        )
    if within is not None:
        earlier = within.first_dose(visit.person, vaccine)
    else:
        earlier = (
            ImmunizationGiven.objects.filter(
                person=visit.person, vaccine=vaccine, superseded_by__isnull=True
            )
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
    if earlier is not None:
        raise error(
            "vaccine",
            _("%(vaccine)s was already given on %(date)s."),
            "given",
            vaccine=vaccine,
            date=day_text(earlier),
        )


def service_rule(code: str, on: dt.date) -> ServiceRule:
    """Return the service-package rule of `code` in force on `on`; refuse an unknown code."""
    for rule in service_rules(rule_in_force("service_packages", on)):
        if rule.code == code:
            return rule
    raise error("code", _("'%(code)s' is not a service of the package."), "unknown", code=code)


def require_quantity(quantity: int | None) -> None:
    """Refuse a quantity that cannot be a count of items given."""
    if quantity is not None and not 0 < quantity <= 1000:
        raise error(
            "quantity", _("Quantity: %(value)s is implausible."), "implausible", value=quantity
        )
