"""Pages of the monthly reports: the chooser and the xlsx / PDF downloads.

A place out of the user's area is not found (404); a malformed month or place is a 400 page
that names the parameter and the value given.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from posyandu.accounts.scope import membership_of
from posyandu.core.indicators import Month
from posyandu.pws.present import month_label
from posyandu.pws.views.common import first_month, month_choices, parse_month
from posyandu.reports.pdf import write_pdf
from posyandu.reports.selectors import (
    posyandu_report,
    puskesmas_report,
    report_choices,
    report_posyandu,
    report_puskesmas,
)
from posyandu.reports.tables import Document, posyandu_document, puskesmas_document
from posyandu.reports.xlsx import write_xlsx
from posyandu.web.errors import BadParameterError, bad_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(raw: str | None) -> dt.date:
    """Return the month asked for (`bulan`, YYYY-MM; default: this month), read as the PWS
    reads it; where the PWS would show this month instead, a report is a 400."""
    month, error = parse_month(raw)
    if error is not None:
        first, last = first_month(), timezone.localdate()
        raise BadParameterError(
            _(
                "Month (bulan): “%(value)s” is not a month with data; write it as YYYY-MM, "
                "from %(first)s to %(last)s."
            )
            % {"value": raw, "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}"}
        )
    return month


def _place(raw: str) -> str:
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        raise BadParameterError(
            _("Place: “%(value)s” is not a valid place identifier.") % {"value": raw}
        ) from None


def _bad_request(request: HttpRequest, error: BadParameterError) -> HttpResponse:
    return bad_request(request, error, "reports:chooser", _("Back to the monthly reports"))


def _printer(request: HttpRequest) -> str:
    """Return who prints: the full name, else the login (header and footer say the same)."""
    user = request.user
    return (user.get_full_name() or user.get_username()) if user.is_authenticated else ""


def _now() -> str:
    return f"{timezone.localtime():%d-%m-%Y %H:%M}"


def _printed(request: HttpRequest) -> str:
    return _("Printed %(when)s by %(who)s") % {"when": _now(), "who": _printer(request)}


def _when(request: HttpRequest) -> str:
    return f"{_now()} ({_printer(request)})"


def _send(document: Document, kind: str, request: HttpRequest) -> HttpResponse:
    if kind == "xlsx":
        response = HttpResponse(write_xlsx(document), content_type=XLSX)
    else:
        response = HttpResponse(
            write_pdf(document, _printed(request)), content_type="application/pdf"
        )
    response["Content-Disposition"] = content_disposition_header(
        True, f"{document.filename}.{kind}"
    )
    return response


def _download(
    build: Callable[[HttpRequest, str, dt.date], Document], kind: str
) -> Callable[..., HttpResponse]:
    @login_required
    def view(request: HttpRequest, place: str) -> HttpResponse:
        if membership_of(request.user) is None:
            raise PermissionDenied(_("Your account has no place in the network yet."))
        try:
            month = _month(request.GET.get("bulan"))
            wanted = _place(place)
        except BadParameterError as error:
            return _bad_request(request, error)
        return _send(build(request, wanted, month), kind, request)

    return view


def _posyandu(request: HttpRequest, place: str, month: dt.date) -> Document:
    posyandu = report_posyandu(request.user, place)
    if posyandu is None:
        raise Http404(_("No such posyandu in your area."))
    report = posyandu_report(user=request.user, posyandu=posyandu, month=month)
    return posyandu_document(report, _when(request))


def _puskesmas(request: HttpRequest, place: str, month: dt.date) -> Document:
    puskesmas = report_puskesmas(request.user, place)
    if puskesmas is None:
        raise Http404(_("No such Puskesmas in your area."))
    report = puskesmas_report(puskesmas=puskesmas, month=month)
    return puskesmas_document(report, _when(request))


posyandu_xlsx = _download(_posyandu, "xlsx")
posyandu_pdf = _download(_posyandu, "pdf")
puskesmas_xlsx = _download(_puskesmas, "xlsx")
puskesmas_pdf = _download(_puskesmas, "pdf")


@login_required
def chooser(request: HttpRequest) -> HttpResponse:
    """Offer the monthly reports of the places in the user's area."""
    membership = membership_of(request.user)
    if membership is None:
        raise PermissionDenied(_("Your account has no place in the network yet."))
    try:
        month = _month(request.GET.get("bulan"))
    except BadParameterError as error:
        return _bad_request(request, error)
    choices = report_choices(request.user)
    context = {
        "month": month,
        "month_label": month_label(month),
        "month_choices": month_choices(month),
        "bulan": f"{month:%Y-%m}",
        "posyandu": choices.posyandu,
        "puskesmas": choices.puskesmas,
        "in_progress": Month.of(month).first == timezone.localdate().replace(day=1),
    }
    return render(request, "reports/chooser.html", context)
