"""What every PWS page shares: the area, the month and level asked for, the CSV response."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyandu.core.indicators import Month, all_indicator_rules
from posyandu.pws import labels
from posyandu.pws.present import month_label
from posyandu.pws.selectors import LEVELS, Area, pws_area

MONTH_CHOICES = 24


def area_or_403(request: HttpRequest) -> Area:
    """Return the user's area; a user with no place in the jejaring may not see the PWS."""
    area = pws_area(request.user)
    if area is None:
        raise PermissionDenied(_("Your account has no place in the network yet."))
    return area


def first_month() -> dt.date:
    """Return the first month any indicator rules are in force."""
    return Month.of(all_indicator_rules()[0].valid_from).first


def parse_month(raw: str | None) -> tuple[dt.date, str | None]:
    """Return the month asked for as YYYY-MM (default: this month), and an error in words."""
    current = timezone.localdate().replace(day=1)
    if not raw:
        return current, None
    try:
        month = dt.date.fromisoformat(f"{raw}-01")
    except ValueError:
        return current, _("Month: “%(value)s” is not a month (YYYY-MM); showing this month.") % {
            "value": raw
        }
    if not first_month() <= month <= current:
        return current, _("Month: %(value)s has no data; showing this month.") % {"value": raw}
    return month, None


def month_choices(selected: dt.date) -> list[dict[str, object]]:
    """Return the months offered in the month picker, newest first."""
    current, first = Month.of(timezone.localdate()), first_month()
    months = [current.shift(-back).first for back in range(MONTH_CHOICES)]
    return [
        {"value": f"{m:%Y-%m}", "label": month_label(m), "selected": m == selected}
        for m in months
        if m >= first
    ]


def level_of(request: HttpRequest, area: Area) -> str:
    """Return the level asked for (`per`), or the area's default."""
    level = request.GET.get("per", "")
    return level if level in LEVELS else area.default_level


def level_choices(selected: str) -> list[dict[str, object]]:
    return [
        {"value": code, "label": labels.LEVELS[code], "selected": code == selected}
        for code in LEVELS
    ]


def query(month: dt.date, level: str, **more: str) -> str:
    """Return the query string that keeps the month and level on the next page."""
    return urlencode({"bulan": f"{month:%Y-%m}", "per": level, **more})


def csv_response(
    filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """Return a CSV download for spreadsheets set to Indonesian: ';' between cells, decimal
    comma, UTF-8 with a byte-order mark. The file is named `filename` made a slug."""
    stem = filename.removesuffix(".csv")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{slugify(stem)}.csv")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(cell) for cell in header])
    for row in rows:
        writer.writerow([str(cell) for cell in row])
    return response
