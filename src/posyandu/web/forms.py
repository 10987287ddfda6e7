"""Forms: parse and check what a person typed, with errors that name the field and the value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeasureField(forms.DecimalField):
    """A measurement typed with a decimal comma or point, checked against a plausible range."""

    widget = forms.TextInput

    def __init__(self, *, unit: str, low: str, high: str, **kwargs: Any) -> None:
        self.unit, self.low, self.high = unit, Decimal(low), Decimal(high)
        kwargs.setdefault("required", False)
        super().__init__(max_digits=6, decimal_places=2, localize=True, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs: dict[str, Any] = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if text == "":
            return None
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValidationError(
                _("%(field)s: '%(value)s' is not a number."),
                code="invalid",
                params={"field": self.label, "value": text},
            ) from None
        if not self.low <= number <= self.high:
            raise ValidationError(
                _("%(field)s: %(value)s %(unit)s is implausible (expected %(low)s–%(high)s)."),
                code="implausible",
                params={
                    "field": self.label,
                    "value": text,
                    "unit": self.unit,
                    "low": self.low,
                    "high": self.high,
                },
            )
        return number


# A native date picker; its value is ISO whatever the language shows.
_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GrowthCheckForm(forms.Form):
    """One child's measurement on one day, for the growth check page."""

    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("M", _("Boy")), ("F", _("Girl"))], widget=forms.RadioSelect
    )
    birth_date = forms.DateField(label=_("Date of birth"), widget=_DATE)
    measured_on = forms.DateField(label=_("Date of measurement"), widget=_DATE)
    weight_kg = MeasureField(label=_("Weight (kg)"), unit="kg", low="0.5", high="150")
    lenhei_cm = MeasureField(label=_("Length/height (cm)"), unit="cm", low="35", high="230")
    measure = forms.ChoiceField(
        label=_("Measured"),
        choices=[("l", _("lying (length)")), ("h", _("standing (height)"))],
        required=False,
        widget=forms.RadioSelect,
    )
    headc_cm = MeasureField(label=_("Head circumference (cm)"), unit="cm", low="20", high="65")
    muac_cm = MeasureField(label=_("Arm circumference (cm)"), unit="cm", low="5", high="50")
    oedema = forms.BooleanField(label=_("Pitting oedema on both feet"), required=False)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        born, measured = data.get("birth_date"), data.get("measured_on")
        if born and measured:
            if measured < born:
                self.add_error("measured_on", _("The measurement cannot be before the birth."))
            if measured > timezone.localdate() + dt.timedelta(days=1):
                self.add_error("measured_on", _("The measurement date is in the future."))
        if data.get("lenhei_cm") is not None and not data.get("measure"):
            self.add_error("measure", _("Say whether the child lay down or stood."))
        return data
