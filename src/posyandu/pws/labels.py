"""Words, tones and icons of the PWS: indicator names, statuses, movements, levels.

The core speaks in codes; these are the labels users read (English msgids, Indonesian in the
catalogue). Colour never carries meaning alone: every status has a word and an icon.
"""

from __future__ import annotations

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from posyandu.web.labels import Look, vaccine_label

GROUPS: dict[str, Promise] = {
    "skdn": _("Weighing of under-fives (SKDN)"),
    "nutrition": _("Nutrition status"),
    "immunisation": _("Immunisation"),
    "maternal": _("Pregnant women"),
    "school": _("School-age children and adolescents"),
    "adult": _("Adults and elderly"),
    "referral": _("Referrals"),
    "activity": _("Posyandu activity"),
}

INDICATORS: dict[str, Promise] = {
    "s": _("S: under-fives in the area"),
    "k": _("K: under-fives with a Buku KIA"),
    "d": _("D: under-fives weighed"),
    "n": _("N: weight went up"),
    "t": _("T: weight did not go up"),
    "o": _("O: not weighed last month"),
    "b": _("B: weighed for the first time"),
    "2t": _("2T: not up twice in a row"),
    "bgm": _("BGM: below the red line"),
    "k_s": _("K/S: under-fives with a Buku KIA"),
    "d_s": _("D/S: under-fives weighed"),
    "d_k": _("D/K: card holders weighed"),
    "n_d": _("N/D: weighed and gaining weight"),
    "n_d_valid": _("N/(D−O−B): gaining among those that could be judged"),
    "n_s": _("N/S: all under-fives gaining weight"),
    "bgm_d": _("BGM/D: weighed below the red line"),
    "measured_hfa": _("Under-fives measured for length/height"),
    "stunted": _("Stunted under-fives"),
    "stunted_severe": _("Severely stunted under-fives"),
    "measured_wfh": _("Under-fives measured for weight and length/height"),
    "wasted": _("Wasted under-fives"),
    "overweight": _("Overweight under-fives"),
    "measured_wfa": _("Under-fives weighed (weight-for-age)"),
    "underweight": _("Underweight under-fives"),
    "measured_muac": _("Under-fives measured for MUAC"),
    "muac_red": _("Under-fives with MUAC in the red"),
    "measured_bfa_5_18": _("Children 5–18 years measured"),
    "thin_5_18": _("Thin children 5–18 years"),
    "obese_5_18": _("Obese children 5–18 years"),
    "prev_stunting": _("Stunting prevalence"),
    "prev_stunting_severe": _("Severe stunting prevalence"),
    "prev_wasting": _("Wasting prevalence"),
    "prev_underweight": _("Underweight prevalence"),
    "prev_overweight": _("Overweight prevalence (under-fives)"),
    "prev_muac_red": _("MUAC in the red"),
    "prev_thinness_5_18": _("Thinness, 5–18 years"),
    "prev_obesity_5_18": _("Obesity, 5–18 years"),
    "cohort_12_23": _("Children 12–23 months"),
    "cohort_24_35": _("Children 24–35 months"),
    "idl": _("Children with complete basic immunisation"),
    "cov_idl": _("Complete basic immunisation (IDL)"),
    "do_dpt_hb_hib": _("Drop-out DPT-HB-Hib 1 to 3"),
    "do_mr": _("Drop-out MR1 to MR2"),
    "bumil": _("Pregnant women"),
    "bumil_new": _("Pregnant women registered this month"),
    "bumil_muac": _("Pregnant women measured for MUAC"),
    "bumil_kek": _("Pregnant women with KEK"),
    "bumil_hb": _("Pregnant women tested for Hb"),
    "bumil_anaemia": _("Pregnant women with anaemia"),
    "bumil_ttd": _("Pregnant women given TTD"),
    "bumil_ttd90": _("Pregnant women given 90 TTD or more"),
    "prev_kek": _("KEK among pregnant women"),
    "prev_anaemia_bumil": _("Anaemia among pregnant women"),
    "cov_ttd": _("Pregnant women given TTD"),
    "cov_ttd90": _("Pregnant women given 90 TTD or more"),
    "remaja_10_18": _("Adolescents aged 10–18 years"),
    "remaja_hb": _("Adolescents tested for Hb this year"),
    "remaja_anaemia": _("Adolescents with anaemia"),
    "rematri_12_18": _("Girls aged 12–18 years"),
    "rematri_ttd": _("Girls 12–18 given TTD this year"),
    "pupil_7_15": _("Children aged 7–15 years"),
    "pupil_7_15_screened": _("Children 7–15 measured this year"),
    "balita_weighed_year": _("Under-fives weighed in 8 months of the year"),
    "cov_hb_remaja": _("Adolescents screened for anaemia (year to date)"),
    "prev_anaemia_remaja": _("Anaemia among adolescents tested"),
    "cov_ttd_rematri": _("Adolescent girls given TTD (year to date)"),
    "cov_screen_7_15": _("Children 7–15 measured (year to date)"),
    "adult_15_59": _("People aged 15–59 years"),
    "elderly_60": _("Elderly aged 60 and over"),
    "screened_15_59": _("Aged 15–59 screened this year"),
    "screened_60": _("Elderly screened this year"),
    "bp_measured": _("Blood pressure measured this year"),
    "bp_high": _("High blood pressure"),
    "glucose_measured": _("Blood glucose tested this year"),
    "glucose_high": _("High blood glucose"),
    "ptm_high": _("High blood pressure or glucose"),
    "ptm_high_referred": _("High blood pressure or glucose, referred"),
    "cov_ptm_15_59": _("PTM screening, 15–59 years (year to date)"),
    "cov_ptm_60": _("Elderly screening (year to date)"),
    "prev_bp_high": _("High blood pressure among those measured"),
    "prev_glucose_high": _("High blood glucose among those tested"),
    "ptm_referred": _("High results referred"),
    "ref_issued": _("Referrals issued"),
    "ref_answered": _("Referrals answered"),
    "ref_answer_rate": _("Referrals answered by the facility"),
    "ref_feedback_days": _("Median days to feedback"),
    "ref_open_7d": _("Referrals unanswered for more than 7 days"),
    "service_days": _("Service days held"),
    "served": _("People served"),
}


def _generated(code: str) -> str:
    for prefix, text in (
        ("imm_", _("Children given %(vaccine)s")),
        ("cov_", _("%(vaccine)s coverage")),
    ):
        if code.startswith(prefix):
            vaccine = code.removeprefix(prefix)
            return str(text) % {"vaccine": vaccine_label(vaccine)}
    for suffix, text in (
        ("_started", _("Started the series (%(code)s)")),
        ("_dropped", _("Dropped out (%(code)s)")),
    ):
        if code.endswith(suffix):
            return str(text) % {"code": code.removesuffix(suffix)}
    return code


_generated_lazy = lazy(_generated, str)


def indicator_label(code: str) -> Promise | str:
    """Return the name of an indicator code (a generated one is named from its vaccine)."""
    return INDICATORS.get(code) or _generated_lazy(code)


_OK, _WARN, _BAD, _NONE = ("ok", "✔"), ("warn", "▲"), ("bad", "✖"), ("none", "•")

STATUSES: dict[str | None, Look] = {
    "met": Look(_("Target met"), *_OK),
    "near": Look(_("Close to the target"), *_WARN),
    "not_met": Look(_("Target not met"), *_BAD),
    None: Look(_("No target"), *_NONE),
}
NO_DATA = Look(_("No data yet"), *_NONE)

# (word when the target says up is better, when down is better, when there is no target).
MOVEMENTS: dict[str, tuple[Promise, Promise, Promise, str]] = {
    "up": (_("Better than last month"), _("Worse than last month"), _("Up from last month"), "↑"),
    "down": (
        _("Worse than last month"),
        _("Better than last month"),
        _("Down from last month"),
        "↓",
    ),
    "same": (_("Same as last month"), _("Same as last month"), _("Same as last month"), "→"),
}

LEVELS: dict[str, Promise] = {
    "posyandu": _("Posyandu"),
    "desa": _("Village"),
    "pustu": _("Pustu"),
    "puskesmas": _("Puskesmas"),
    "kabupaten": _("District"),
}

DIRECTIONS = {"min": _("at least"), "max": _("at most")}

# SPM basic services (Permenkes 6/2024) the posyandu contributes to, by code of data/rules/spm.toml.
SPM_SERVICES: dict[str, Promise] = {
    "ibu_hamil": _("Health services for pregnant women"),
    "balita": _("Health services for under-fives"),
    "usia_pendidikan_dasar": _("Health services at basic-education age"),
    "usia_produktif": _("Health services at productive age (15–59)"),
    "usia_lanjut": _("Health services for the elderly (60+)"),
}
SPM_SOURCES: dict[str, Promise] = {
    "estimate": _("target: estimate entered for this area"),
    "registered": _("target: persons registered at the posyandu"),
}


def spm_label(code: str) -> Promise | str:
    """Return the name of an SPM service code (the code itself when unnamed)."""
    return SPM_SERVICES.get(code, code)
