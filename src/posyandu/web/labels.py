"""Words, tones and icons for the core's stable codes, so colour never carries meaning alone.

The core speaks in codes (ASSESS.md): stages, growth classes, KMS trend, findings, vaccines and
dose statuses. Every page shows them through this one vocabulary and the translation catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from posyandu.core.dates import Age


class Look(NamedTuple):
    label: Promise
    tone: str  # "ok" | "warn" | "bad": the CSS border colour, always beside the word and icon
    icon: str


_OK = ("ok", "✔")
_WARN = ("warn", "▲")
_BAD = ("bad", "✖")
_INFO = ("info", "•")

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


STAGES: dict[str, Promise] = {
    "bayi_baru_lahir": _("Newborn"),
    "bayi": _("Infant"),
    "baduta": _("Under two"),
    "balita": _("Under five"),
    "anak_prasekolah": _("Pre-school child"),
    "usia_sekolah": _("School-age child"),
    "remaja": _("Adolescent"),
    "usia_dewasa": _("Adult"),
    "lansia": _("Elderly"),
    "wus": _("Woman of reproductive age"),
    "ibu_hamil": _("Pregnant"),
    "ibu_nifas": _("Post-partum"),
}

# The KMS judgement of the weight (Buku KIA): N, T, 2T, O, B.
TRENDS: dict[str, Look] = {
    "N": Look(_("N — gained enough weight"), *_OK),
    "T": Look(_("T — did not gain enough weight"), *_WARN),
    "2T": Look(_("2T — not enough weight gain twice in a row"), *_BAD),
    "O": Look(_("O — not weighed last month"), *_INFO),
    "B": Look(_("B — weighed here for the first time"), *_INFO),
}

DOSE_STATUSES: dict[str, Look] = {
    "due": Look(_("Due"), *_WARN),
    "overdue": Look(_("Overdue"), *_BAD),
    "missed": Look(_("Missed (too late to give)"), *_INFO),
}

# Every finding code `assess` can raise (ASSESS.md, "Vocabulary"): `<indicator>.<class>`.
FINDINGS: dict[str, Look] = {
    "wfa.severely_underweight": Look(_("Severely underweight (weight-for-age)"), *_BAD),
    "wfa.underweight": Look(_("Underweight (weight-for-age)"), *_WARN),
    "wfa.risk_of_overweight": Look(_("Risk of overweight (weight-for-age)"), *_WARN),
    "hfa.severely_stunted": Look(_("Severely stunted (length/height-for-age)"), *_BAD),
    "hfa.stunted": Look(_("Stunted (length/height-for-age)"), *_WARN),
    "hfa.tall": Look(_("Tall (length/height-for-age)"), *_WARN),
    "wfh.severely_wasted": Look(_("Severely wasted (weight-for-length/height)"), *_BAD),
    "wfh.wasted": Look(_("Wasted (weight-for-length/height)"), *_BAD),
    "wfh.possible_risk_of_overweight": Look(
        _("Possible risk of overweight (weight-for-length/height)"), *_WARN
    ),
    "wfh.overweight": Look(_("Overweight (weight-for-length/height)"), *_WARN),
    "wfh.obese": Look(_("Obese (weight-for-length/height)"), *_BAD),
    "bfa.severely_wasted": Look(_("Severely wasted (BMI-for-age)"), *_BAD),
    "bfa.wasted": Look(_("Wasted (BMI-for-age)"), *_BAD),
    "bfa.possible_risk_of_overweight": Look(_("Possible risk of overweight (BMI-for-age)"), *_WARN),
    "bfa.overweight": Look(_("Overweight (BMI-for-age)"), *_WARN),
    "bfa.obese": Look(_("Obese (BMI-for-age)"), *_BAD),
    "bfa.severely_thin": Look(_("Severely thin (BMI-for-age)"), *_BAD),
    "bfa.thin": Look(_("Thin (BMI-for-age)"), *_WARN),
    "hcfa.microcephaly": Look(_("Microcephaly (head circumference)"), *_BAD),
    "hcfa.macrocephaly": Look(_("Macrocephaly (head circumference)"), *_BAD),
    "muac.severe_acute_malnutrition": Look(_("Severe acute malnutrition (arm, red)"), *_BAD),
    "muac.moderate_acute_malnutrition": Look(
        _("Moderate acute malnutrition (arm, yellow)"), *_WARN
    ),
    "child.oedema": Look(_("Oedema on both feet"), *_BAD),
    "weight.not_increasing": Look(_("Weight not increasing (T)"), *_WARN),
    "weight.not_increasing_twice": Look(_("Weight not increasing twice (2T)"), *_BAD),
    "bmi.severe_thinness": Look(_("Very thin (BMI)"), *_BAD),
    "bmi.thinness": Look(_("Thin (BMI)"), *_WARN),
    "bmi.overweight": Look(_("Overweight (BMI)"), *_WARN),
    "bmi.obese": Look(_("Obese (BMI)"), *_WARN),
    "waist.central_obesity": Look(_("Central obesity (waist)"), *_WARN),
    "bp.high": Look(_("High blood pressure"), *_BAD),
    "bp.low": Look(_("Low blood pressure"), *_WARN),
    "glucose.high": Look(_("High blood glucose"), *_BAD),
    "glucose.low": Look(_("Low blood glucose"), *_BAD),
    "hb.anaemia_mild": Look(_("Mild anaemia"), *_WARN),
    "hb.anaemia_moderate": Look(_("Moderate anaemia"), *_WARN),
    "hb.anaemia_severe": Look(_("Severe anaemia"), *_BAD),
    "muac.chronic_energy_deficiency": Look(_("Chronic energy deficiency (KEK, arm)"), *_BAD),
    "immunization.overdue": Look(_("Immunisation overdue"), *_WARN),
}

# What a kader sees that no measurement shows (DOMAIN 3.1-3.4 referral rows): she may refer
# for these too. Same `<subject>.<sign>` shape as the findings.
OBSERVED: dict[str, Look] = {
    "danger_sign.pregnancy": Look(_("Danger sign in pregnancy"), *_BAD),
    "danger_sign.postpartum": Look(_("Danger sign after delivery"), *_BAD),
    "danger_sign.child": Look(_("Danger sign in a child"), *_BAD),
    "tb.symptoms": Look(_("TB symptoms"), *_BAD),
    "development.not_on_track": Look(_("Development not on track for age"), *_WARN),
}

REASONS: dict[str, Look] = {**FINDINGS, **OBSERVED}


_VACCINES: dict[str, Promise | str] = {
    "hb0": _("Hepatitis B at birth (HB-0)"),
    "bcg": "BCG",
    "je": _("Japanese encephalitis (JE)"),
    "opv": _("Polio drops (OPV)"),
    "ipv": _("Polio injection (IPV)"),
    "dpt_hb_hib": "DPT-HB-Hib",
    "pcv": _("Pneumococcal (PCV)"),
    "rv": _("Rotavirus (RV)"),
    "mr": _("Measles-rubella (MR)"),
}
_DOSE = re.compile(r"([a-z_]+?)(\d+)")


def reason_look(code: str) -> Look:
    """Return the word, tone and icon of a reason code; an unknown code is shown as itself."""
    look = REASONS.get(code)
    if look is None:
        # A code added to a newer rule version before its label: show it rather than hide it.
        return Look(code, *_WARN)  # type: ignore[arg-type]
    return look


def reason_rows(codes: list[str]) -> list[tuple[str, Look]]:
    """Return (code, look) pairs for display, in the order given."""
    return [(code, reason_look(code)) for code in codes]


def finding_look(code: str, *, refers: bool) -> Look:
    """Return the words, tone and icon of a finding; a finding that refers is shown as serious."""
    look = reason_look(code)
    return Look(look.label, *_BAD) if refers else look


def stage_words(codes: Iterable[str]) -> list[str]:
    """Return the stages' words in life-course order (the core lists them sorted by code)."""
    order = list(STAGES)
    return [
        stage_label(code)
        for code in sorted(codes, key=lambda c: order.index(c) if c in order else len(order))
    ]


def stage_label(code: str) -> str:
    """Return the words of a life-cycle stage code."""
    return str(STAGES.get(code, code))


def age_text(age: Age) -> str:
    """Return an age as a kader says it: days for a newborn, months to two, then years."""
    if age.months < 1:
        return ngettext("%(n)s day", "%(n)s days", age.days) % {"n": age.days}
    if age.months < 24:
        return ngettext("%(n)s month", "%(n)s months", age.months) % {"n": age.months}
    months = age.months - 12 * age.years
    if age.years < 6 and months:
        return _("%(years)s years %(months)s months") % {"years": age.years, "months": months}
    return ngettext("%(n)s year", "%(n)s years", age.years) % {"n": age.years}


def vaccine_label(code: str) -> str:
    """Return the name of a vaccine dose code (opv2 → 'Polio drops (OPV) 2')."""
    if code in _VACCINES:
        return str(_VACCINES[code])
    match = _DOSE.fullmatch(code)
    if match and match.group(1) in _VACCINES:
        return f"{_VACCINES[match.group(1)]} {match.group(2)}"
    return code
