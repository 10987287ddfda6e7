"""Assess one person on one day (ASSESS.md): stages, growth, findings, immunisations, referral.

`parse_input` validates a JSON-like mapping into an `AssessmentInput`; `assess` returns its
`Assessment` under the rule set in force on as_of (or the one named by `rules_version`);
`assessment_to_dict` gives the JSON of the contract.
"""

from posyandu.core.assess.assess import assess, rules_for
from posyandu.core.assess.model import (
    Assessment,
    AssessmentInput,
    Dose,
    MeasurementRecord,
    Person,
    assessment_to_dict,
    parse_input,
)

__all__ = [
    "Assessment",
    "AssessmentInput",
    "Dose",
    "MeasurementRecord",
    "Person",
    "assess",
    "assessment_to_dict",
    "parse_input",
    "rules_for",
]
