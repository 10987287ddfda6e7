"""Forms of the Pokjanal page; every error names the field and the value typed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from posyandu.pokjanal.models import Decision, IlpRollout, Sector
from posyandu.web.forms import MeasureField

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NamedDateField(forms.DateField):
    """A date whose error names the field and what was typed."""

    widget = _DATE

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("%(field)s: “%(value)s” is not a date."),
                code="invalid",
                params={"field": self.label, "value": value},
            ) from None


class ClientUUIDField(forms.UUIDField):
    """The hidden key a form is opened with; a missing or malformed one names the field and
    the value (never replaced by a fresh key: the same form sent twice must record once)."""

    widget = forms.HiddenInput

    def to_python(self, value: Any) -> uuid.UUID | None:
        try:
            key = super().to_python(value)
        except ValidationError:
            key = None
        if key is None:
            raise ValidationError(
                _("%(field)s: '%(value)s' is not a valid identifier."),
                code="invalid",
                params={"field": self.label, "value": value or ""},
            )
        return key


class RolloutForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Roll-out stage"), choices=IlpRollout.Stage.choices, widget=forms.RadioSelect
    )
    since = NamedDateField(label=_("ILP services since"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class StrataInputForm(forms.Form):
    kader_on_duty = MeasureField(
        label=_("Mean kader on duty per service day"), unit="kader", low="0", high="100"
    )
    kia = MeasureField(label=_("Cumulative KIA coverage (%)"), unit="%", low="0", high="100")
    kb = MeasureField(label=_("Cumulative KB coverage (%)"), unit="%", low="0", high="100")
    extra_programmes = MeasureField(
        label=_("Number of additional programmes"), unit="", low="0", high="50"
    )
    dana_sehat = MeasureField(
        label=_("Dana sehat coverage (percent of families)"), unit="%", low="0", high="100"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def clean_extra_programmes(self) -> int | None:
        value = self.cleaned_data.get("extra_programmes")
        if value is None:
            return None
        if value != value.to_integral_value():
            raise ValidationError(
                _("%(field)s: “%(value)s” is not a whole number."),
                code="invalid",
                params={"field": self.fields["extra_programmes"].label, "value": value},
            )
        return int(value)


class DecisionForm(forms.Form):
    client_uuid = ClientUUIDField(label="client_uuid")
    meeting_date = NamedDateField(label=_("Meeting date"))
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sector = forms.ChoiceField(label=_("Owner sector"), choices=Sector.choices)
    due_date = NamedDateField(label=_("Due date"))


class DecisionEditForm(forms.Form):
    text = forms.CharField(
        label=_("Decision"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    sector = forms.ChoiceField(label=_("Owner sector"), choices=Sector.choices)
    due_date = NamedDateField(label=_("Due date"))
    status = forms.ChoiceField(
        label=_("Status"), choices=Decision.Status.choices, widget=forms.RadioSelect
    )
    follow_up = forms.CharField(
        label=_("Follow-up"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
