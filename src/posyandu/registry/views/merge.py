"""Merge a duplicate record into this one (nakes only): pick, compare side by side, confirm."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from posyandu.accounts.scope import is_nakes
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.labels import FACT_LABELS
from posyandu.registry.models import Person
from posyandu.registry.selectors import (
    FACT_KINDS,
    person_duplicate_candidates,
    person_fact_counts,
    person_get,
    person_search,
)
from posyandu.registry.services import person_merge


@login_required
def person_merge_page(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Let a nakes pick the duplicate of this person, compare both, and merge them."""
    keep = person_get(user=request.user, uuid=uuid)
    if not is_nakes(request.user):
        return render(request, "registry/merge_denied.html", {"person": keep}, status=403)
    if keep.merged_into is not None:
        return redirect("registry:card", uuid=keep.merged_into.uuid)
    chosen = request.POST.get("duplikat") or request.GET.get("duplikat")
    if not chosen:
        return _pick(request, keep)
    duplicate = person_get(user=request.user, uuid=chosen)
    error = None
    if request.method == "POST":
        try:
            person_merge(user=request.user, keep=keep, duplicate=duplicate)
        except InvalidInputError as refused:
            error = refused.message
        else:
            messages.success(request, _("The two records are now one."))
            return redirect("registry:card", uuid=keep.uuid)
    context = {
        "keep": keep,
        "duplicate": duplicate,
        "rows": _compare(keep, duplicate),
        "error": error,
    }
    return render(request, "registry/merge_confirm.html", context)


def _pick(request: HttpRequest, keep: Person) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    found = person_search(user=request.user, query=query, limit=20) if query else []
    context = {
        "person": keep,
        "query": query,
        "suggested": person_duplicate_candidates(user=request.user, person=keep),
        "found": [p for p in found if p.pk != keep.pk],
    }
    return render(request, "registry/merge_pick.html", context)


def _compare(keep: Person, duplicate: Person) -> list[tuple[object, int, int]]:
    kept, other = person_fact_counts(keep), person_fact_counts(duplicate)
    return [(FACT_LABELS[kind], kept[kind], other[kind]) for kind in FACT_KINDS]
