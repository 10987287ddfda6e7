"""Kader registry pages: kader per posyandu, one kader's competencies, gaps per posyandu."""

from __future__ import annotations

import uuid as uuid_lib
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.accounts.models import NAKES_ROLES
from posyandu.accounts.scope import posyandu_for, role_of
from posyandu.kaders import selectors, services
from posyandu.kaders.competencies import Catalogue, Competency, catalogue_in_force
from posyandu.kaders.forms import CompetencyRecordForm, KaderForm, TierForm
from posyandu.kaders.models import Kader


def _require_reader(request: HttpRequest) -> None:
    """Refuse the registry to roles that see no names (desa officials, Pokjanal)."""
    if not posyandu_for(request.user).exists():
        raise PermissionDenied("no personal data for this role")


def _is_manager(request: HttpRequest) -> bool:
    return role_of(request.user) in NAKES_ROLES


@login_required
def kader_list(request: HttpRequest) -> HttpResponse:
    """List the kader per posyandu with how many competencies each has passed."""
    _require_reader(request)
    catalogue = catalogue_in_force(timezone.localdate())
    rows = selectors.kaders_for(user=request.user)
    by_posyandu = [
        (posyandu, list(items))
        for posyandu, items in groupby(rows, key=lambda row: row.kader.posyandu)
    ]
    context = {
        "by_posyandu": by_posyandu,
        "total": len(catalogue.competencies),
        "manager": _is_manager(request),
    }
    return render(request, "kaders/list.html", context)


@login_required
def kader_register(request: HttpRequest) -> HttpResponse:
    """Register a new kader (nakes and Puskesmas staff)."""
    _require_reader(request)
    if not _is_manager(request):
        raise PermissionDenied("only health workers register kader")
    form = KaderForm(request.POST or None, posyandu=posyandu_for(request.user).order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            kader = services.kader_register(
                user=request.user,
                uuid=data["uuid"],
                posyandu=data["posyandu"],
                name=data["name"],
                phone=data["phone"],
                user_account=data["login"],
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Kader %(name)s registered.") % {"name": kader.name})
            return redirect("kaders:detail", uuid=kader.uuid)
    return render(request, "kaders/register.html", {"form": form})


@login_required
def kader_detail(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Show one kader's trainings and assessments per competency; add one (managers)."""
    _require_reader(request)
    kader = selectors.kader_get(user=request.user, uuid=uuid)
    catalogue = catalogue_in_force(timezone.localdate())
    manager = services.may_manage(request.user, kader.posyandu)
    form = CompetencyRecordForm(request.POST or None, catalogue=catalogue)
    if request.method == "POST":
        if not manager:
            raise PermissionDenied("only health workers record competencies")
        if form.is_valid() and _record(request, kader, form):
            return redirect("kaders:detail", uuid=kader.uuid)
    statuses = selectors.kader_competencies(kader, catalogue)
    titles = {c.code: c.title for c in catalogue.competencies}
    context = {
        "kader": kader,
        "catalogue": catalogue,
        "groups": [
            (group, [s for s in statuses if s.competency.group == group.code])
            for group in catalogue.groups
        ],
        "passed": sum(1 for s in statuses if s.passed),
        "records": [
            (record, titles.get(record.competency, record.competency))
            for record in reversed(kader.records)  # type: ignore[attr-defined]
        ],
        "manager": manager,
        "form": form,
        "tier_form": TierForm(initial={"tier": kader.tier}),
    }
    return render(request, "kaders/detail.html", context)


def _record(request: HttpRequest, kader: Kader, form: CompetencyRecordForm) -> bool:
    data = form.cleaned_data
    try:
        services.competency_record(
            user=request.user,
            uuid=data["uuid"],
            kader=kader,
            competency=data["competency"],
            kind=data["kind"],
            date=data["date"],
            by=data["by"],
            passed=data["passed"],
        )
    except ValidationError as error:
        for text in error.messages:
            form.add_error(None, text)
        return False
    messages.success(request, _("Saved."))
    return True


@login_required
@require_POST
def kader_certify(request: HttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """Record the kader's certified tier."""
    _require_reader(request)
    kader = selectors.kader_get(user=request.user, uuid=uuid)
    form = TierForm(request.POST)
    if form.is_valid():
        services.kader_certify(user=request.user, kader=kader, tier=form.cleaned_data["tier"])
        messages.success(request, _("Saved."))
    return redirect("kaders:detail", uuid=kader.uuid)


@login_required
def competency_gaps(request: HttpRequest) -> HttpResponse:
    """Show, per posyandu, the competencies none of its kader has passed."""
    _require_reader(request)
    gaps = selectors.competency_gaps(user=request.user, as_of=timezone.localdate())
    catalogue = catalogue_in_force(timezone.localdate())
    rows = [(gap, _by_group(gap.missing, catalogue)) for gap in gaps]
    return render(request, "kaders/gaps.html", {"rows": rows, "total": len(catalogue.competencies)})


def _by_group(missing: list[Competency], catalogue: Catalogue) -> list[tuple[str, list[str]]]:
    """Return the missing competencies' titles under their group titles, in catalogue order."""
    codes = {c.code for c in missing}
    grouped = [
        (group.title, [c.title for c in items if c.code in codes])
        for group, items in catalogue.by_group()
    ]
    return [(title, items) for title, items in grouped if items]
