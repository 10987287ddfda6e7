"""Plausible ranges of what is measured at a posyandu, and the check of a set of values.

The ranges catch typing errors (a weight of 85 for 8.5 kg, a height in metres), not clinical
extremes: a value inside the range is stored and judged by the core; a value outside is refused
with a message naming the field and the value, so the kader can measure again.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Range(NamedTuple):
    """A plausible range (inclusive), its unit, its label and the decimals it is stored with."""

    low: Decimal
    high: Decimal
    unit: str
    label: Promise
    places: int


def _range(low: str, high: str, unit: str, label: Promise, places: int = 1) -> Range:
    return Range(Decimal(low), Decimal(high), unit, label, places)


# Weight 0.5-150 kg; length/height 35-230 cm; head 20-65 cm; MUAC 5-50 cm; blood pressure
# 50-260 / 30-160 mmHg; capillary glucose 20-600 mg/dL; haemoglobin 3-20 g/dL.
PLAUSIBLE: dict[str, Range] = {
    "weight_kg": _range("0.5", "150", "kg", _("Weight (kg)"), 2),
    "lenhei_cm": _range("35", "230", "cm", _("Length/height (cm)")),
    "headc_cm": _range("20", "65", "cm", _("Head circumference (cm)")),
    "muac_cm": _range("5", "50", "cm", _("Arm circumference (cm)")),
    "waist_cm": _range("30", "200", "cm", _("Waist circumference (cm)")),
    "sbp_mmhg": _range("50", "260", "mmHg", _("Systolic blood pressure (mmHg)"), 0),
    "dbp_mmhg": _range("30", "160", "mmHg", _("Diastolic blood pressure (mmHg)"), 0),
    "glucose_mg_dl": _range("20", "600", "mg/dL", _("Blood glucose (mg/dL)"), 0),
    "hb_g_dl": _range("3", "20", "g/dL", _("Haemoglobin (g/dL)")),
}
CHOICES: dict[str, tuple[str, ...]] = {"measure": ("l", "h"), "glucose_kind": ("random", "fasting")}
FLAGS = ("oedema",)
LABELS: dict[str, Promise] = {
    **{name: rule.label for name, rule in PLAUSIBLE.items()},
    "measure": _("Measured"),
    "glucose_kind": _("Glucose test"),
    "oedema": _("Pitting oedema on both feet"),
}
FIELDS = (*PLAUSIBLE, *CHOICES, *FLAGS)


def _number(name: str, raw: Any) -> Decimal:
    rule = PLAUSIBLE[name]
    text = str(raw).strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(
            _("%(field)s: '%(value)s' is not a number."),
            code="invalid",
            params={"field": rule.label, "value": raw},
        )
    if not rule.low <= value <= rule.high:
        raise ValidationError(
            _("%(field)s: %(value)s %(unit)s is implausible (expected %(low)s–%(high)s)."),
            code="implausible",
            params={
                "field": rule.label,
                "value": number_format(value),
                "unit": rule.unit,
                "low": number_format(rule.low),
                "high": number_format(rule.high),
            },
        )
    return value.quantize(Decimal(1).scaleb(-rule.places), rounding=ROUND_HALF_UP)


def _choice(name: str, raw: Any) -> str:
    if raw not in CHOICES[name]:
        raise ValidationError(
            _("%(field)s: '%(value)s' is not one of the choices."),
            code="invalid_choice",
            params={"field": LABELS[name], "value": raw},
        )
    return str(raw)


def clean_values(values: dict[str, Any]) -> dict[str, Any]:
    """Return the values typed and rounded for storage; raise ValidationError per bad field.

    Empty values (None, "") are dropped; unknown keys, numbers out of their plausible range and
    a diastolic pressure not below the systolic are refused, each message naming the field and
    the value.
    """
    errors: dict[str, list[ValidationError]] = {}
    clean: dict[str, Any] = {}
    for name, raw in values.items():
        if raw is None or raw == "":
            continue
        try:
            if name in PLAUSIBLE:
                clean[name] = _number(name, raw)
            elif name in CHOICES:
                clean[name] = _choice(name, raw)
            elif name in FLAGS:
                clean[name] = bool(raw)
            else:
                raise ValidationError(
                    _("'%(field)s' is not a measurement."),
                    code="unknown",
                    params={"field": name},
                )
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)
    _check_pressure(clean, errors)
    if errors:
        raise ValidationError(errors)
    return _as_stored(clean)


def _check_pressure(clean: dict[str, Any], errors: dict[str, list[ValidationError]]) -> None:
    sbp, dbp = clean.get("sbp_mmhg"), clean.get("dbp_mmhg")
    if sbp is not None and dbp is not None and dbp >= sbp:
        errors.setdefault("dbp_mmhg", []).append(
            ValidationError(
                _("%(field)s: %(value)s must be below the systolic pressure (%(sbp)s)."),
                code="dbp_not_below_sbp",
                params={"field": PLAUSIBLE["dbp_mmhg"].label, "value": dbp, "sbp": sbp},
            )
        )


def _as_stored(clean: dict[str, Any]) -> dict[str, Any]:
    """Return whole-number fields as int (the model stores them as small integers)."""
    return {
        name: int(value) if name in PLAUSIBLE and PLAUSIBLE[name].places == 0 else value
        for name, value in clean.items()
    }
