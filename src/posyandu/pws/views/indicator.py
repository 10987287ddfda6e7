"""One indicator: its number per place of the area, and (for named roles) the persons behind it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from posyandu.core.dates import Age
from posyandu.core.indicators import Definition, Month
from posyandu.pws import labels, present
from posyandu.pws.selectors import (
    PersonList,
    area_breakdown,
    area_trend,
    pws_indicator_persons,
    rules_for_month,
    trend_months,
)
from posyandu.pws.views.common import (
    area_or_403,
    csv_response,
    level_choices,
    level_of,
    month_choices,
    parse_month,
    query,
)
from posyandu.web.labels import age_text


def _definition(code: str, month: dt.date) -> Definition:
    definition = rules_for_month(month).by_code.get(code)
    if definition is None:
        raise Http404(_("No indicator with this code."))
    return definition


def _persons(request: HttpRequest, code: str, month: dt.date) -> PersonList | None:
    """Return the person list asked for (`posyandu`), or None when none was asked for.

    Out of the user's scope (desa officials and Pokjanal: always) it is not found.
    """
    wanted = request.GET.get("posyandu")
    if not wanted:
        return None
    found = pws_indicator_persons(user=request.user, code=code, month=month, posyandu_uuid=wanted)
    if found is None:
        raise Http404(_("No such posyandu in your area."))
    return found


@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    """Show one indicator per place of the area, and the persons behind one posyandu's number."""
    area = area_or_403(request)
    month, month_error = parse_month(request.GET.get("bulan"))
    definition = _definition(code, month)
    level = level_of(request, area)
    persons = _persons(request, code, month)
    months = trend_months(month)
    series = area_trend(area, months, [code])
    groups = area_breakdown(area, month, [code], level)
    context = {
        "definition": definition,
        "label": labels.indicator_label(code),
        "group_label": labels.GROUPS[definition.group],
        "card": present.card(code, [series.get((m, code)) for m in months], query(month, level)),
        "month": month,
        "month_label": present.month_label(month),
        "month_error": month_error,
        "month_choices": month_choices(month),
        "level": level,
        "level_label": labels.LEVELS[level],
        "level_choices": level_choices(level),
        "rows": [
            {
                "name": g.name,
                "value": present.value_text(g.readings[code]),
                "fraction": present.fraction_text(g.readings[code]),
                "look": present.status_look(g.readings[code]),
                "uuid": g.uuid if area.names_allowed and code not in _NOT_PERSONS else None,
            }
            for g in groups
        ],
        "persons": persons and _person_rows(persons, month),
        "person_list": persons,
        "query": query(month, level),
    }
    return render(request, "pws/indicator.html", context)


# Counted for the posyandu itself: there is no person behind the number.
_NOT_PERSONS = frozenset({"service_days"})


def _person_rows(persons: PersonList, month: dt.date) -> list[dict[str, object]]:
    last = Month.of(month).last
    return [
        {
            "name": line.person.name,
            "sex": line.person.get_sex_display(),
            "age": age_text(Age.between(line.person.birth_date, last)),
            "counted": _counted_text(persons.definition, line.numerator, line.denominator),
            "in_numerator": line.numerator > 0,
            "days": ", ".join(str(v) for v in line.values),
        }
        for line in persons.lines
    ]


def _counted_text(definition: Definition, numerator: int, denominator: int) -> str:
    if definition.kind == "ratio":
        return _("In the numerator") if numerator else _("In the denominator only")
    if definition.kind == "median":
        return _("%(n)s answered") % {"n": denominator}
    return _("Counted %(n)s×") % {"n": numerator} if numerator > 1 else _("Counted")


@login_required
def indicator_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Download one indicator per place of the area."""
    area = area_or_403(request)
    month, _error = parse_month(request.GET.get("bulan"))
    definition = _definition(code, month)
    level = level_of(request, area)
    header = [
        labels.LEVELS[level],
        _("Month"),
        _("Numerator"),
        _("Denominator"),
        _("Value"),
        _("Status"),
    ]
    rows = []
    for g in area_breakdown(area, month, [code], level):
        r = g.readings[code]
        rows.append(
            [
                g.name,
                f"{month:%Y-%m}",
                r.tally.numerator,
                r.tally.denominator if definition.kind != "count" else "",
                present.number_text(r.value, definition.kind),
                present.status_look(r).label,
            ]
        )
    return csv_response(f"pws-{code}-{month:%Y-%m}.csv", header, rows)


@login_required
def persons_csv(request: HttpRequest, code: str) -> HttpResponse:
    """Download the persons behind one posyandu's number (named roles only; else not found)."""
    area_or_403(request)
    month, _error = parse_month(request.GET.get("bulan"))
    _definition(code, month)
    persons = _persons(request, code, month)
    if persons is None:
        raise Http404(_("Choose a posyandu."))
    header = [_("Name"), _("Sex"), _("Age"), _("Counted"), _("Days to feedback")]
    rows = [
        [p["name"], p["sex"], p["age"], p["counted"], p["days"]]
        for p in _person_rows(persons, month)
    ]
    return csv_response(f"pws-{code}-{month:%Y-%m}-warga.csv", header, rows)
