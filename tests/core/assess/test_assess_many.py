"""`assess_many`: a batch gives, record by record, exactly what `assess` gives for each one.

Rule (ASSESS.md, opening): "One function of the core, assess(record, as_of) -> Assessment,
decides for one person on one day ...". `assess_many` is that function over a batch, scoring
the WHO z-scores of all records with one engine call: its output must not differ from `assess`
in anything, and a bad record gives its own error while the others go on ("in batch mode that
line's output is {"id": ..., "error": "..."} and the others go on").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from posyandu.core.assess import (
    Assessment,
    AssessmentInput,
    Dose,
    assess,
    assess_many,
    assessment_to_dict,
    assessment_to_json,
    parse_input,
)
from posyandu.core.errors import CoreError, InputError, RulesError
from tests.bench.synthetic import persons

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def inputs() -> list[AssessmentInput]:
    """The 1,000-person synthetic village, and the same people on other days and rule sets."""
    sample = persons(1000, as_of=AS_OF, seed=1)
    moved = []
    for n, obj in enumerate(sample[:300]):
        other = json.loads(json.dumps(obj))
        # From 2024-01-01 on, every 3rd day: month ends, a leap day, the 2023.1 rule set.
        day = dt.date(2024, 1, 1) + dt.timedelta(days=3 * n)
        if obj["person"]["birth_date"] <= day.isoformat():
            other["as_of"] = day.isoformat()
            moved.append(other)
    return [parse_input(obj) for obj in sample + moved]


def _one_by_one(records: list[AssessmentInput]) -> list[Assessment | CoreError]:
    results: list[Assessment | CoreError] = []
    for record in records:
        try:
            results.append(assess(record))
        except CoreError as exc:
            results.append(exc)
    return results


def test_assess_many_equals_assess_on_the_synthetic_village(
    inputs: list[AssessmentInput],
) -> None:
    together = assess_many(inputs)
    alone = _one_by_one(inputs)
    assert len(together) == len(alone) == len(inputs)
    assert all(isinstance(result, Assessment) for result in together)
    assert together == alone
    # The JSON too, key order included: growth indicators, basis, services.
    assert [json.dumps(assessment_to_dict(a)) for a in together] == [  # type: ignore[arg-type]
        json.dumps(assessment_to_dict(a))  # type: ignore[arg-type]
        for a in alone
    ]
    assert any(a.growth for a in together)  # type: ignore[union-attr]


def test_assessment_to_json_is_json_dumps_of_assessment_to_dict(
    inputs: list[AssessmentInput],
) -> None:
    results = [a for a in assess_many(inputs) if isinstance(a, Assessment)]
    for a in results + results[:50]:  # the second time from the shared services text
        assert assessment_to_json(a) == json.dumps(assessment_to_dict(a), ensure_ascii=False)


def test_assess_many_does_not_depend_on_how_the_batch_is_cut(
    inputs: list[AssessmentInput],
) -> None:
    whole = assess_many(inputs)
    cut = [result for start in range(0, len(inputs), 97) for result in assess_many(
        inputs[start : start + 97]
    )]  # fmt: skip
    assert cut == whole


def _bad(record: AssessmentInput, **changes: Any) -> AssessmentInput:
    return record._replace(**changes)


def test_assess_many_bad_record_gets_its_error_the_others_go_on(
    inputs: list[AssessmentInput],
) -> None:
    child = next(r for r in inputs if r.immunizations)
    unknown_vaccine = _bad(child, immunizations=(Dose("smallpox", child.as_of),))
    batch = [inputs[0], unknown_vaccine, inputs[1], child]
    results = assess_many(batch)
    assert results[0] == assess(inputs[0])
    assert results[2] == assess(inputs[1])
    assert results[3] == assess(child)
    error = results[1]
    assert isinstance(error, InputError)
    assert error.field == "immunizations[0].vaccine"
    with pytest.raises(InputError, match=r"immunizations\[0\]\.vaccine: unknown vaccine"):
        assess(unknown_vaccine)


def test_assess_many_unknown_rules_version_is_an_error_for_each_record(
    inputs: list[AssessmentInput],
) -> None:
    results = assess_many(inputs[:3], rules_version="1999.9")
    assert all(isinstance(result, RulesError) for result in results)
    assert "unknown rules version '1999.9'" in str(results[0])
    with pytest.raises(RulesError, match=r"unknown rules version '1999\.9'"):
        assess(inputs[0], rules_version="1999.9")


def test_assess_many_of_nothing_is_nothing() -> None:
    assert assess_many([]) == []


def test_assess_many_restores_the_garbage_collector_state():
    import gc

    assert gc.isenabled()
    assess_many([])
    assert gc.isenabled()
    gc.disable()
    try:
        assess_many([])
        assert not gc.isenabled()  # a caller's own choice is left as it was
    finally:
        gc.enable()
