"""Register a new person (step 1), with a check for someone already registered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from posyandu.core.dates import add_months
from posyandu.registry.checks import MOTHER_MIN_YEARS_OLDER
from posyandu.registry.errors import DuplicateSuspected, InvalidInputError
from posyandu.registry.forms import NEW_HOUSEHOLD, PersonRegisterForm
from posyandu.registry.models import Household, Person
from posyandu.registry.selectors import household_list, mother_choices, person_get
from posyandu.registry.services import household_create, person_register
from posyandu.registry.views.common import no_personal_data, personal_scope


@login_required
def person_new(request: HttpRequest) -> HttpResponse:
    """Show the registration form; on submit register her, or show who she may already be."""
    scope = personal_scope(request)
    if not scope:
        return no_personal_data(request)
    today = timezone.localdate()
    options = {
        "posyandus": scope,
        "households": household_list(user=request.user),
        "mothers": mother_choices(
            user=request.user, born_before=add_months(today, -12 * MOTHER_MIN_YEARS_OLDER)
        ),
    }
    if request.method != "POST":
        form = PersonRegisterForm(initial=_initial(request), **options)
        return render(request, "registry/person_form.html", {"form": form})
    form = PersonRegisterForm(request.POST, **options)
    if form.is_valid():
        try:
            person = _register(request, form)
        except DuplicateSuspected as suspected:
            context = {"form": form, "candidates": suspected.candidates, "new": _typed(form)}
            return render(request, "registry/duplicates.html", context)
        except InvalidInputError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect(_next_page(request) or reverse("registry:card", args=[person.uuid]))
    return render(request, "registry/person_form.html", {"form": form})


def _next_page(request: HttpRequest) -> str | None:
    """Return `?next=` when it is a page of this site (the service day the kader came from)."""
    target = request.GET.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else None


def _initial(request: HttpRequest) -> dict[str, Any]:
    """Return the form's first values; `?ibu=<uuid>` starts a baby of that mother."""
    mother_uuid = request.GET.get("ibu")
    if not mother_uuid:
        return {}
    mother = person_get(user=request.user, uuid=mother_uuid)
    return {
        "mother": str(mother.uuid),
        "household": str(mother.household.uuid) if mother.household else "",
        "posyandu": str(mother.posyandu.uuid),
        "birth_date": timezone.localdate(),
    }


def _register(request: HttpRequest, form: PersonRegisterForm) -> Person:
    """Create the new household (if asked) and the person, both or neither."""
    data = form.cleaned_data
    posyandu = form.chosen_posyandu()
    # One transaction over both services: a person refused (e.g. a suspected duplicate)
    # must not leave a new empty household behind.
    with transaction.atomic():
        household: Household | None = form.chosen_household()
        if data["household"] == NEW_HOUSEHOLD:
            household = household_create(
                user=request.user,
                uuid=data["household_uuid"],
                posyandu=posyandu,
                head_name=data["head_name"],
                no_kk=data["no_kk"],
            )
        return person_register(
            user=request.user,
            uuid=data["uuid"],
            posyandu=posyandu,
            name=data["name"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            nik=data["nik"] or None,
            household=household,
            mother=form.chosen_mother(),
            phone=data["phone"],
            confirm_not_duplicate=data["confirm_not_duplicate"],
        )


def _typed(form: PersonRegisterForm) -> dict[str, Any]:
    """Return what was typed, to show beside the persons she may already be."""
    data = form.cleaned_data
    household = form.chosen_household()
    birth_date: dt.date = data["birth_date"]
    return {
        "name": data["name"],
        "sex": dict(form.fields["sex"].choices).get(data["sex"]),
        "birth_date": birth_date,
        "nik": data["nik"],
        "household": data["head_name"] if data["household"] == NEW_HOUSEHOLD else household,
        "mother": form.chosen_mother(),
    }
