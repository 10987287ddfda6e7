"""Correct a person's demographics; every changed field is audited with its old value."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.core.dates import add_months
from posyandu.registry.checks import MOTHER_MIN_YEARS_OLDER
from posyandu.registry.errors import InvalidInputError
from posyandu.registry.forms import PersonEditForm, yes_no_initial
from posyandu.registry.models import Person
from posyandu.registry.selectors import household_list, mother_choices, person_get
from posyandu.registry.services import person_update


def _initial(person: Person) -> dict[str, object]:
    return {
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "nik": person.nik or "",
        "household": str(person.household.uuid) if person.household else "",
        "mother": str(person.mother.uuid) if person.mother else "",
        "phone": person.phone,
        "smoker": yes_no_initial(person.smoker),
        "has_buku_kia": yes_no_initial(person.has_buku_kia),
    }


@login_required
def person_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Show the person's demographics to correct; save only what changed."""
    person = person_get(user=request.user, uuid=uuid)
    if person.merged_into is not None:
        return redirect("registry:card", uuid=person.merged_into.uuid)
    born_before = add_months(
        min(person.birth_date, timezone.localdate()), -12 * MOTHER_MIN_YEARS_OLDER
    )
    options = {
        "households": household_list(user=request.user, posyandu_ids=[person.posyandu_id]),
        "mothers": [
            m
            for m in mother_choices(user=request.user, born_before=born_before)
            if m.pk != person.pk
        ],
        "initial": _initial(person),
    }
    form = PersonEditForm(request.POST if request.method == "POST" else None, **options)
    if request.method == "POST" and form.is_valid():
        try:
            person_update(user=request.user, person=person, **form.updates())
        except InvalidInputError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:card", uuid=person.uuid)
    return render(request, "registry/edit.html", {"form": form, "person": person})
