"""Assess one person on one day (ASSESS.md): stages, growth, findings, immunisations, referral.

`parse_input` validates a JSON-like mapping into an `AssessmentInput`; `assess` returns its
`Assessment` under the rule set in force on as_of (or the one named by `rules_version`), and
`assess_many` does the same for a batch, giving each record its Assessment or its CoreError;
`assessment_to_dict` gives the JSON of the contract (`assessment_to_json`: as text).
"""

from posyandu.core.assess.assess import assess, assess_many, collector_paused, rules_for
from posyandu.core.assess.model import (
    Assessment,
    AssessmentInput,
    Dose,
    MeasurementRecord,
    Person,
    assessment_to_dict,
    assessment_to_json,
)
from posyandu.core.assess.parse import parse_input

__all__ = [
    "Assessment",
    "AssessmentInput",
    "Dose",
    "MeasurementRecord",
    "Person",
    "assess",
    "assess_many",
    "assessment_to_dict",
    "assessment_to_json",
    "collector_paused",
    "parse_input",
    "rules_for",
]
