"""Why a person should get a home visit, from her assessment (no Django, no clock).

The rule (DOMAIN 7.3, kunjungan rumah): kader visit the homes of targets who did not come,
who have a problem (T, 2T, BGM, wasting, stunting, KEK, hypertension, ...), newborns and
post-partum mothers (KN/KF windows), and the elderly who cannot come.

Reason codes are the finding codes of `assess` where one exists, plus `absent`, `newborn` and
`postpartum`. A person is listed once, under her most pressing reason (`PRIORITY`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from posyandu.core.assess import Assessment

ABSENT, NEWBORN, POSTPARTUM = "absent", "newborn", "postpartum"
ELDERLY_HOMEBOUND, OTHER = "elderly_homebound", "other"
# A person whose records cannot be assessed (a weighing dated before her birth): a kader or
# nakes must check them, so she is listed rather than silently left out.
RECORDS_TO_CHECK = "records_to_check"

# Findings that call for a home visit whoever has them.
FINDING_REASONS = frozenset(
    {
        "child.oedema",
        "muac.severe_acute_malnutrition",
        "muac.moderate_acute_malnutrition",
        "wfh.severely_wasted",
        "wfh.wasted",
        "wfa.severely_underweight",
        "wfa.underweight",
        "hfa.severely_stunted",
        "hfa.stunted",
        "weight.not_increasing",
        "weight.not_increasing_twice",
        "bp.high",
        "immunization.overdue",
    }
)
# KEK matters for the home visit in pregnancy (the child's MUAC has its own codes).
KEK = "muac.chronic_energy_deficiency"
# Stages that are themselves a reason: the KN and KF windows (0-28 and 0-42 days).
STAGE_REASONS = {"bayi_baru_lahir": NEWBORN, "ibu_nifas": POSTPARTUM}
# Who is expected every month when a service day does not say which groups it serves.
MONTHLY_STAGES = frozenset({"balita", "ibu_hamil"})

# Most pressing first: danger of death, then the windows that close, then faltering, then the
# long-standing problems, then the ones that only need a reminder.
PRIORITY = (
    "child.oedema",
    "muac.severe_acute_malnutrition",
    "wfh.severely_wasted",
    "weight.not_increasing_twice",
    KEK,
    "bp.high",
    NEWBORN,
    POSTPARTUM,
    "wfh.wasted",
    "muac.moderate_acute_malnutrition",
    "wfa.severely_underweight",
    "hfa.severely_stunted",
    "weight.not_increasing",
    "wfa.underweight",
    "hfa.stunted",
    "immunization.overdue",
    ABSENT,
    RECORDS_TO_CHECK,
    ELDERLY_HOMEBOUND,
    OTHER,
)
RECORDABLE = frozenset(PRIORITY)


def expected_stages(day_groups: Collection[str]) -> frozenset[str]:
    """Return the stages a service day expects: its groups, or the monthly ones if none."""
    return frozenset(day_groups) if day_groups else MONTHLY_STAGES


def visit_reasons(assessment: Assessment, *, absent_from: Collection[str] | None) -> list[str]:
    """Return the home-visit reasons of one assessed person, most pressing first.

    `absent_from` is the expected stages of the latest service day she missed, or None when
    she came (or there was no day to miss).
    """
    stages = set(assessment.stages)
    reasons = {code for code in assessment.findings if code in FINDING_REASONS}
    if KEK in assessment.findings and "ibu_hamil" in stages:
        reasons.add(KEK)
    reasons.update(STAGE_REASONS[stage] for stage in stages if stage in STAGE_REASONS)
    if absent_from is not None and stages & set(absent_from):
        reasons.add(ABSENT)
    return by_priority(reasons)


def by_priority(codes: Iterable[str]) -> list[str]:
    """Return the codes most pressing first (unknown codes last, in code order)."""
    rank = {code: index for index, code in enumerate(PRIORITY)}
    return sorted(set(codes), key=lambda code: (rank.get(code, len(PRIORITY)), code))
