"""Target-population estimates of the SPM: the dinkes and Puskesmas staff enter their area's."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.core.errors import RulesError
from posyandu.core.indicators import SpmService, spm_rules
from posyandu.pws import labels
from posyandu.regions.models import ESTIMATE_SOURCE_MAX_CHARS
from posyandu.regions.services import (
    estimate_place,
    estimates_for,
    target_estimate_set,
)
from posyandu.web.errors import BadParameterError, bad_request

# A number of persons as typed: digits, or digits in groups of three after dots (Indonesian
# thousands: 1.200, 10.000.000). Longer than any estimate the service takes, and short
# enough that `int` has nothing to chew on.
_NUMBER = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+")
_NUMBER_MAX_CHARS = 20
# How much of a refused value an error repeats.
_SHOWN_CHARS = 30


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year + 1, this_year, this_year - 1]


def _year(raw: str | None, *, required: bool) -> int:
    """Return the year asked for (`tahun`), one of `_years`: without one, this year, unless
    `required` (a form that saves must say which year it saves)."""
    this_year = timezone.localdate().year
    if not raw and not required:
        return this_year
    text = (raw or "").strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        raise BadParameterError(
            _("Year (tahun): “%(value)s” is not a year; write it as YYYY, e.g. %(example)s.")
            % {"value": _shown(raw or ""), "example": this_year}
        )
    years = _years()
    if int(text) not in years:
        raise BadParameterError(
            _(
                "Year (tahun): %(value)s is outside the years open for estimates "
                "(%(first)s to %(last)s)."
            )
            % {"value": text, "first": min(years), "last": max(years)}
        )
    return int(text)


def _shown(raw: str) -> str:
    """Return `raw` as an error repeats it: cut short when long."""
    return raw if len(raw) <= _SHOWN_CHARS else f"{raw[:_SHOWN_CHARS]}…"


def _services(year: int) -> tuple[SpmService, ...]:
    try:
        return spm_rules(dt.date(year, 12, 31)).services
    except RulesError:
        return ()


def _number(raw: str) -> int | None:
    """Return the number of persons typed (None for an empty field), or refuse it in words."""
    text = raw.strip()
    if not text:
        return None
    if len(text) > _NUMBER_MAX_CHARS or not _NUMBER.fullmatch(text):
        raise ValidationError(
            {
                "number": ValidationError(
                    _(
                        "Estimated people: “%(value)s” is not a whole number of persons; write "
                        "digits, with dots between the thousands if you like (1.200)."
                    ),
                    params={"value": _shown(raw)},
                )
            }
        )
    return int(text.replace(".", ""))


@login_required
def estimates(request: HttpRequest) -> HttpResponse:
    """Show and save the SPM target-population estimates of the user's area for a year."""
    membership = estimate_place(request.user)
    if membership is None:
        raise PermissionDenied(_("Only the health office and Puskesmas staff enter estimates."))
    posted = request.method == "POST"
    asked = request.GET.get("tahun")
    try:
        year = _year(request.POST.get("tahun", asked) if posted else asked, required=posted)
    except BadParameterError as exc:
        return bad_request(request, exc, "pws:estimates", _("SPM target population"))
    services = _services(year)
    errors = _save(request, year, services) if posted else {}
    if posted and not errors:
        messages.success(request, _("Estimates saved."))
        return redirect(f"{request.path}?tahun={year}")
    saved = {
        code: (str(row.number), row.source) for code, row in estimates_for(membership, year).items()
    }
    context = {
        "place": str(membership.facility or membership.region),
        "year": year,
        "years": _years(),
        "rows": _rows(services, saved, request.POST if errors else None, errors),
        "source_max_chars": ESTIMATE_SOURCE_MAX_CHARS,
        "has_errors": bool(errors),
    }
    return render(request, "pws/estimates.html", context)


def _rows(
    services: tuple[SpmService, ...],
    saved: dict[str, tuple[str, str]],
    sent: QueryDict | None,
    errors: dict[str, list[str]],
) -> list[dict[str, object]]:
    """Return a form row per service: its saved number and source, or those `sent` (a form
    refused, shown again beside its `errors`)."""
    rows = []
    for s in services:
        number, source = saved.get(s.code, ("", ""))
        if sent is not None:
            number = sent.get(f"n_{s.code}", number)
            source = sent.get(f"s_{s.code}", source)
        rows.append(
            {
                "code": s.code,
                "number": s.number,
                "label": labels.spm_label(s.code),
                "contribution": s.contribution,
                "value": number,
                "source": source,
                "errors": errors.get(s.code, []),
            }
        )
    return rows


def _save(
    request: HttpRequest, year: int, services: tuple[SpmService, ...]
) -> dict[str, list[str]]:
    """Save the posted estimates of `year`, all or nothing; return the errors by service code.

    A service whose number field was not sent is left as it is; a number field sent empty
    removes its estimate.
    """
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        for service in services:
            field = f"n_{service.code}"
            if field not in request.POST:
                continue
            try:
                target_estimate_set(
                    user=request.user,
                    year=year,
                    service=service.code,
                    number=_number(request.POST[field]),
                    source=request.POST.get(f"s_{service.code}", ""),
                )
            except ValidationError as exc:
                errors[service.code] = [str(m) for m in exc.messages]
        if errors:
            transaction.set_rollback(True)
    return errors
