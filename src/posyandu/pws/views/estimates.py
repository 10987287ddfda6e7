"""Target-population estimates of the SPM: the dinkes and Puskesmas staff enter their area's."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.core.errors import RulesError
from posyandu.core.indicators import SpmService, spm_rules
from posyandu.pws import labels
from posyandu.regions.services import (
    MAX_ESTIMATE,
    estimate_place,
    estimates_for,
    target_estimate_set,
)


def _years() -> list[int]:
    this_year = timezone.localdate().year
    return [this_year + 1, this_year, this_year - 1]


def _year(raw: str | None) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(raw or this_year)
    except ValueError:
        return this_year
    return year if year in _years() else this_year


def _services(year: int) -> tuple[SpmService, ...]:
    try:
        return spm_rules(dt.date(year, 12, 31)).services
    except RulesError:
        return ()


def _number(raw: str, code: str) -> int | None:
    text = raw.strip().replace(".", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(
            {
                "number": ValidationError(
                    _("Estimate “%(value)s”: write a whole number of persons."),
                    params={"value": raw},
                )
            }
        )
    return int(text)


@login_required
def estimates(request: HttpRequest) -> HttpResponse:
    """Show and save the SPM target-population estimates of the user's area for a year."""
    membership = estimate_place(request.user)
    if membership is None:
        raise PermissionDenied(_("Only the health office and Puskesmas staff enter estimates."))
    year = _year(request.POST.get("tahun") or request.GET.get("tahun"))
    services = _services(year)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            with transaction.atomic():
                for service in services:
                    code = service.code
                    try:
                        target_estimate_set(
                            user=request.user,
                            year=year,
                            service=code,
                            number=_number(request.POST.get(f"n_{code}", ""), code),
                            source=request.POST.get(f"s_{code}", ""),
                        )
                    except ValidationError as exc:
                        errors[code] = [str(m) for m in exc.messages]
                if errors:
                    raise ValidationError("not saved")
        except ValidationError:
            pass
        if not errors:
            messages.success(request, _("Estimates saved."))
            return redirect(f"{request.path}?tahun={year}")
    saved = estimates_for(membership, year)
    rows = [
        {
            "code": s.code,
            "number": s.number,
            "label": labels.spm_label(s.code),
            "contribution": s.contribution,
            "value": request.POST.get(f"n_{s.code}")
            if errors
            else (saved[s.code].number if s.code in saved else ""),
            "source": request.POST.get(f"s_{s.code}")
            if errors
            else (saved[s.code].source if s.code in saved else ""),
            "errors": errors.get(s.code, []),
        }
        for s in services
    ]
    context = {
        "place": str(membership.facility or membership.region),
        "year": year,
        "years": _years(),
        "rows": rows,
        "max_estimate": MAX_ESTIMATE,
        "has_errors": bool(errors),
    }
    return render(request, "pws/estimates.html", context)
