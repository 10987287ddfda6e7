"""Forms of the outreach pages: record a home visit, create a class session."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from posyandu.outreach import worklist
from posyandu.outreach.labels import visit_reason_look
from posyandu.outreach.models import ClassSession, HomeVisit
from posyandu.regions.models import Facility

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _number(label: Any, mode: str = "decimal") -> forms.CharField:
    # Checked by the visits service (plausible ranges, named in the error), not here.
    return forms.CharField(
        label=label,
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": mode, "autocomplete": "off"}),
    )


class HomeVisitForm(forms.Form):
    """A home visit: when, why, how it went, what was found, and any measurement taken."""

    MEASUREMENTS = ("weight_kg", "lenhei_cm", "measure", "muac_cm", "sbp_mmhg", "dbp_mmhg")

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    visited_on = forms.DateField(label=_("Date of the visit"), widget=_DATE)
    reasons = forms.MultipleChoiceField(
        label=_("Why the visit"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose why the visit was made.")},
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=HomeVisit.Outcome.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label=_("What you found and advised"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weight_kg = _number(_("Weight (kg)"))
    lenhei_cm = _number(_("Length/height (cm)"))
    measure = forms.ChoiceField(
        label=_("Measured"),
        choices=[("l", _("lying (length)")), ("h", _("standing (height)"))],
        required=False,
        widget=forms.RadioSelect,
    )
    muac_cm = _number(_("Arm circumference (cm)"))
    sbp_mmhg = _number(_("Systolic blood pressure (mmHg)"), "numeric")
    dbp_mmhg = _number(_("Diastolic blood pressure (mmHg)"), "numeric")

    def __init__(self, *args: Any, reasons: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        extra = (worklist.ELDERLY_HOMEBOUND, worklist.OTHER)
        codes = [*dict.fromkeys(reasons), *(code for code in extra if code not in reasons)]
        self.fields["reasons"].choices = [(c, visit_reason_look(c).label) for c in codes]
        self.fields["uuid"].initial = uuid.uuid4()
        self.fields["visited_on"].initial = timezone.localdate()

    def measurements(self) -> dict[str, str]:
        """Return the measurement values typed (empty ones left out)."""
        return {
            name: self.cleaned_data[name] for name in self.MEASUREMENTS if self.cleaned_data[name]
        }

    def measurement_fields(self) -> list[forms.BoundField]:
        """Return the bound measurement fields, for the template's optional section."""
        return [self[name] for name in self.MEASUREMENTS]


class ClassSessionForm(forms.Form):
    """A new class session: which class, where, when, on what, led by whom."""

    uuid = forms.UUIDField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Class"), choices=ClassSession.Kind.choices, widget=forms.RadioSelect
    )
    posyandu = forms.ModelChoiceField(
        label=_("Posyandu"), queryset=Facility.objects.none(), to_field_name="uuid"
    )
    date = forms.DateField(label=_("Date"), widget=_DATE)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    facilitator = forms.CharField(label=_("Led by"), max_length=120)

    def __init__(self, *args: Any, posyandu: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["posyandu"]
        field.queryset = posyandu  # type: ignore[attr-defined]
        only = list(posyandu[:2])
        if len(only) == 1:
            field.initial = only[0].uuid
        self.fields["uuid"].initial = uuid.uuid4()
        self.fields["date"].initial = timezone.localdate()
