"""Words, tones and icons for every finding code of `assess` (and the reasons a kader observes).

The core speaks in stable codes (`hfa.stunted`, `bp.high`); pages show them through the
translation catalogue, always as a word beside an icon so colour never carries meaning alone.
Referrals, the home-visit worklist and any page that lists findings use this one map.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from posyandu.web.labels import Look

_WARN = ("warn", "▲")
_BAD = ("bad", "✖")

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
