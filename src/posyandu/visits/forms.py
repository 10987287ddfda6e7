"""Forms of the posyandu day: few fields per screen, numeric keypads, errors naming the value.

The measurement form shows only what applies to the person's stages (DOMAIN 3, the kartu bantu
of each group); its plausible ranges are the ones the service enforces (`plausibility`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from posyandu.core.assess import Assessment
from posyandu.visits.plausibility import PLAUSIBLE
from posyandu.web.forms import MeasureField
from posyandu.web.labels import stage_label

# Which measurements each stage's kartu bantu asks for (DOMAIN 3.1-3.6). Head circumference is
# for under-twos (baduta), the arm (MUAC) for children 6-59 months (added by age), pregnant
# women and WUS; waist is not judged in pregnancy.
_CHILD = ("weight_kg", "lenhei_cm", "measure", "oedema")
_ADULT = ("weight_kg", "lenhei_cm", "waist_cm", "sbp_mmhg", "dbp_mmhg", "glucose_mg_dl")
FIELDS_BY_STAGE: dict[str, tuple[str, ...]] = {
    "bayi_baru_lahir": (*_CHILD, "headc_cm"),
    "bayi": (*_CHILD, "headc_cm"),
    "baduta": (*_CHILD, "headc_cm"),
    "balita": _CHILD,
    "anak_prasekolah": ("weight_kg", "lenhei_cm"),
    "usia_sekolah": ("weight_kg", "lenhei_cm"),
    "remaja": ("weight_kg", "lenhei_cm", "waist_cm", "sbp_mmhg", "dbp_mmhg", "hb_g_dl"),
    "wus": ("muac_cm",),
    "ibu_hamil": ("weight_kg", "lenhei_cm", "muac_cm", "sbp_mmhg", "dbp_mmhg", "hb_g_dl"),
    "ibu_nifas": ("weight_kg", "sbp_mmhg", "dbp_mmhg", "hb_g_dl"),
    "usia_dewasa": (*_ADULT, "glucose_kind", "hb_g_dl"),
    "lansia": (*_ADULT, "glucose_kind", "hb_g_dl"),
}
FIELD_ORDER = (
    "weight_kg",
    "lenhei_cm",
    "measure",
    "headc_cm",
    "muac_cm",
    "oedema",
    "waist_cm",
    "sbp_mmhg",
    "dbp_mmhg",
    "glucose_mg_dl",
    "glucose_kind",
    "hb_g_dl",
)
_MUAC_CHILD_MONTHS = range(6, 60)


def measurement_fields(assessment: Assessment) -> list[str]:
    """Return the measurement fields that apply to the assessed person, in screen order."""
    wanted: set[str] = set()
    for stage in assessment.stages:
        wanted.update(FIELDS_BY_STAGE.get(stage, ()))
    if assessment.age.months in _MUAC_CHILD_MONTHS:
        wanted.add("muac_cm")
    if "ibu_hamil" in assessment.stages:
        wanted.discard("waist_cm")
    return [name for name in FIELD_ORDER if name in wanted]


def _field(name: str) -> forms.Field:
    if name in PLAUSIBLE:
        rule = PLAUSIBLE[name]
        return MeasureField(
            label=rule.label, unit=rule.unit, low=str(rule.low), high=str(rule.high)
        )
    if name == "measure":
        return forms.ChoiceField(
            label=_("Measured"),
            choices=[("l", _("lying (length)")), ("h", _("standing (height)"))],
            required=False,
            widget=forms.RadioSelect,
        )
    if name == "glucose_kind":
        return forms.ChoiceField(
            label=_("Glucose test"),
            choices=[("random", _("random")), ("fasting", _("fasting"))],
            initial="random",
            required=False,
            widget=forms.RadioSelect,
        )
    return forms.BooleanField(label=_("Pitting oedema on both feet"), required=False)


class TokenForm(forms.Form):
    """A form that carries the client's uuid, so a repeated submit writes nothing twice."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)


class MeasurementForm(TokenForm):
    """Step 2: the measurements that apply to this person, checked field by field."""

    def __init__(self, *args: Any, fields: Sequence[str], check_url: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in fields:
            self.fields[name] = _field(name)
            if check_url and name in PLAUSIBLE:
                # Instant feedback: the server checks the value as soon as the field is left.
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": check_url,
                        "hx-trigger": "change",
                        "hx-target": f"#error-{name}",
                        "hx-include": "closest form",
                    }
                )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        sbp, dbp = data.get("sbp_mmhg"), data.get("dbp_mmhg")
        if sbp is not None and dbp is not None and dbp >= sbp:
            self.add_error(
                "dbp_mmhg",
                _("%(field)s: %(value)s must be below the systolic pressure (%(sbp)s).")
                % {"field": PLAUSIBLE["dbp_mmhg"].label, "value": dbp, "sbp": sbp},
            )
        lenhei = data.get("lenhei_cm")
        if "measure" in self.fields and lenhei is not None and not data.get("measure"):
            self.add_error("measure", _("Say whether the child lay down or stood."))
        return data

    def values(self) -> dict[str, Any]:
        """Return the measured values for the service (unchecked oedema is 'no oedema' only
        when something else was measured)."""
        values = {
            k: v for k, v in self.cleaned_data.items() if k != "token" and v not in (None, "")
        }
        if values.get("oedema") is False:
            values.pop("oedema")
            if "oedema" in self.fields and any(k in PLAUSIBLE for k in values):
                values["oedema"] = False
        return values


class ScheduleForm(TokenForm):
    """Schedule a day: the date, the posyandu (for a nakes with several) and the groups."""

    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    posyandu = forms.TypedChoiceField(label=_("Posyandu"), coerce=uuid.UUID)
    groups = forms.MultipleChoiceField(
        label=_("Groups served (none chosen: everyone)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, posyandu: Iterable[Any], stages: Iterable[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["posyandu"].choices = [(p.uuid, p.name) for p in posyandu]
        self.fields["groups"].choices = [(code, stage_label(code)) for code in stages]


class ServicesForm(TokenForm):
    """Step 4: the services and vaccines given (each a checkbox), and the vaccine batch."""

    services = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    vaccines = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    batch = forms.CharField(label=_("Vaccine batch"), required=False, max_length=40)

    def __init__(self, *args: Any, services: list[str], vaccines: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(code, code) for code in services]
        self.fields["vaccines"].choices = [(code, code) for code in vaccines]


class CounsellingForm(TokenForm):
    """Step 5: the topics talked about."""

    topics = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = topics
