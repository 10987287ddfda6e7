"""PWS indicators: what the village dashboard counts for one posyandu and one month.

`indicators_for_month(persons, month, rules)` returns the numerator and denominator (a
`Tally`) of every indicator of the `indicators` rule family (data/rules/indicators.toml) from
plain per-person facts; `indicator_members` lists the persons behind each number, so the two
always reconcile. Classes, trends and findings come from `posyandu.core.assess` on the month's
last day. `judge` reads a tally against its target (met / near / not met).
"""

from posyandu.core.indicators.compute import (
    POSYANDU_CODES,
    combine,
    indicator_members,
    indicators_for_month,
    rules_version,
)
from posyandu.core.indicators.model import (
    Member,
    Month,
    PersonFacts,
    PregnancyFacts,
    ReferralFacts,
    ServiceDayFacts,
    ServiceFact,
    Tally,
    Units,
)
from posyandu.core.indicators.rules import (
    Definition,
    IndicatorRules,
    Target,
    all_indicator_rules,
    indicator_rules,
    median_codes,
)
from posyandu.core.indicators.spm import (
    SpmCoverage,
    SpmRules,
    SpmService,
    spm_coverage,
    spm_rules,
)
from posyandu.core.indicators.targets import goal, judge, median, movement, value

__all__ = [
    "POSYANDU_CODES",
    "Definition",
    "IndicatorRules",
    "Member",
    "Month",
    "PersonFacts",
    "PregnancyFacts",
    "ReferralFacts",
    "ServiceDayFacts",
    "ServiceFact",
    "SpmCoverage",
    "SpmRules",
    "SpmService",
    "Tally",
    "Target",
    "Units",
    "all_indicator_rules",
    "combine",
    "goal",
    "indicator_members",
    "indicator_rules",
    "indicators_for_month",
    "judge",
    "median",
    "median_codes",
    "movement",
    "rules_version",
    "spm_coverage",
    "spm_rules",
    "value",
]
