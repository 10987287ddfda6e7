"""Step 1: find a visitor by name, NIK or household, or go on to register her."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from posyandu.registry.selectors import person_search
from posyandu.registry.views.common import is_htmx, no_personal_data, personal_scope
from posyandu.registry.views.presenters import person_row

RESULT_LIMIT = 50


@login_required
@require_GET
@vary_on_headers("HX-Request")
def person_list(request: HttpRequest) -> HttpResponse:
    """Show the search box and the matching persons as big rows (HTMX updates the rows)."""
    if not personal_scope(request):
        return no_personal_data(request)
    query = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    persons = person_search(user=request.user, query=query, limit=RESULT_LIMIT)
    context = {
        "query": query,
        "rows": [person_row(p, p.pregnancy_list, today) for p in persons],
        "limited": len(persons) == RESULT_LIMIT,
    }
    template = "registry/_results.html" if is_htmx(request) else "registry/search.html"
    return render(request, template, context)
