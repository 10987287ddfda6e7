"""Words, tones and icons for the core's stable codes, so colour never carries meaning alone.

The core speaks in codes (ASSESS.md); the UI shows them through the translation catalogue.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Look(NamedTuple):
    label: Promise
    tone: str  # "ok" | "warn" | "bad": the CSS border colour, always beside the word and icon
    icon: str


_OK = ("ok", "✔")
_WARN = ("warn", "▲")
_BAD = ("bad", "✖")

INDICATORS: dict[str, Promise] = {
    "wfa": _("Weight-for-age"),
    "hfa": _("Length/height-for-age"),
    "wfh": _("Weight-for-length/height"),
    "bfa": _("BMI-for-age"),
    "hcfa": _("Head circumference-for-age"),
    "muac": _("Mid-upper arm circumference"),
}

CLASSES: dict[str, Look] = {
    "normal": Look(_("Normal"), *_OK),
    "severely_underweight": Look(_("Severely underweight"), *_BAD),
    "underweight": Look(_("Underweight"), *_WARN),
    "risk_of_overweight": Look(_("Risk of overweight"), *_WARN),
    "severely_stunted": Look(_("Severely stunted"), *_BAD),
    "stunted": Look(_("Stunted"), *_WARN),
    "tall": Look(_("Tall"), *_OK),
    "severely_wasted": Look(_("Severely wasted"), *_BAD),
    "wasted": Look(_("Wasted"), *_BAD),
    "possible_risk_of_overweight": Look(_("Possible risk of overweight"), *_WARN),
    "overweight": Look(_("Overweight"), *_WARN),
    "obese": Look(_("Obese"), *_BAD),
    "microcephaly": Look(_("Microcephaly"), *_BAD),
    "macrocephaly": Look(_("Macrocephaly"), *_BAD),
    "severely_thin": Look(_("Severely thin"), *_BAD),
    "thin": Look(_("Thin"), *_WARN),
    "severe_acute_malnutrition": Look(_("Severe acute malnutrition"), *_BAD),
    "moderate_acute_malnutrition": Look(_("Moderate acute malnutrition"), *_WARN),
}

NO_CLASS = Look(_("No class at this age"), "ok", "•")


def class_look(code: str | None) -> Look:
    """Return the word, tone and icon of a growth class code (None: reported without a class)."""
    if code is None:
        return NO_CLASS
    return CLASSES[code]
