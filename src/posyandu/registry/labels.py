"""Words, tones and icons for the core's codes shown on the person pages.

Growth classes and indicators come from `posyandu.web.labels`; this module adds the stages,
the KMS weight trend, the findings, the vaccines and the dose statuses. Colour never carries
meaning alone: every tone goes with a word and an icon.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from posyandu.core.dates import Age
from posyandu.web.labels import CLASSES, INDICATORS, Look

_OK = ("ok", "✔")
_WARN = ("warn", "▲")
_BAD = ("bad", "✖")
_INFO = ("info", "•")

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

FINDINGS: dict[str, Promise] = {
    "child.oedema": _("Pitting oedema on both feet"),
    "weight.not_increasing": _("Weight did not increase enough (T)"),
    "weight.not_increasing_twice": _("Weight did not increase enough twice in a row (2T)"),
    "bmi.severe_thinness": _("Body mass index: severely thin"),
    "bmi.thinness": _("Body mass index: thin"),
    "bmi.overweight": _("Body mass index: overweight"),
    "bmi.obese": _("Body mass index: obese"),
    "waist.central_obesity": _("Waist: central obesity"),
    "bp.high": _("High blood pressure"),
    "bp.low": _("Low blood pressure"),
    "glucose.high": _("High blood sugar"),
    "glucose.low": _("Low blood sugar"),
    "hb.anaemia_mild": _("Mild anaemia"),
    "hb.anaemia_moderate": _("Moderate anaemia"),
    "hb.anaemia_severe": _("Severe anaemia"),
    "muac.chronic_energy_deficiency": _("Chronic energy deficiency (KEK): arm below 23.5 cm"),
    "immunization.overdue": _("An immunisation is overdue"),
}

DOSE_STATUSES: dict[str, Look] = {
    "due": Look(_("Due"), *_WARN),
    "overdue": Look(_("Overdue"), *_BAD),
    "missed": Look(_("Missed (too late to give)"), *_INFO),
}

# The rows that name a person, as the merge page counts them.
FACT_LABELS: dict[str, Promise] = {
    "measurements": _("Measurements"),
    "immunizations": _("Immunisations"),
    "services": _("Services given"),
    "visits": _("Visits"),
    "pregnancies": _("Pregnancies"),
    "referrals": _("Referrals"),
    "home_visits": _("Home visits"),
    "classes": _("Classes attended"),
    "children": _("Children"),
}

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


def stage_label(code: str) -> str:
    """Return the words of a life-cycle stage code."""
    return str(STAGES.get(code, code))


def finding_look(code: str, *, refers: bool) -> Look:
    """Return the words, tone and icon of a finding (growth findings by their class).

    `refers` says whether the assessment refers the person for this finding: it is then shown
    as serious whatever its class.
    """
    indicator, _sep, class_code = code.partition(".")
    if indicator in INDICATORS and class_code in CLASSES:
        look = CLASSES[class_code]
        label = format_lazy("{}: {}", INDICATORS[indicator], look.label)
        tone, icon = look.tone, look.icon
    else:
        label = FINDINGS.get(code) or format_lazy("{}", code)
        tone, icon = _WARN
    if refers:
        tone, icon = _BAD
    return Look(label, tone, icon)


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
