"""Step 3, recording: the person card with her growth, findings, what is due and why."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from posyandu.accounts.scope import is_nakes
from posyandu.registry.selectors import person_assessment, person_get, person_history
from posyandu.registry.views.presenters import card_context


@login_required
@require_GET
def person_card(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Show the person card; a merged duplicate leads to the record she was merged into."""
    person = person_get(user=request.user, uuid=uuid)
    if person.merged_into is not None:
        return redirect("registry:card", uuid=person.merged_into.uuid)
    today = timezone.localdate()
    history = person_history(person)
    assessment = person_assessment(person=person, as_of=today, history=history)
    context = card_context(person, history, assessment, today)
    context.update(today=today, can_merge=is_nakes(request.user))
    return render(request, "registry/card.html", context)
