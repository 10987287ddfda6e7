"""The synthetic village of the assess benchmark (tests/bench/synthetic.py).

Every generated person must be valid input (ASSESS.md, "Input") that `parse_input` accepts and
`assess` judges without error; the sample must reach every life-cycle stage code of ASSESS.md;
and the generator must be deterministic for a seed, with no clock involved.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from posyandu.core.assess import assess, assessment_to_dict, parse_input
from posyandu.core.assess.packages import STAGE_CODES
from tests.bench.synthetic import persons

AS_OF = dt.date(2026, 11, 23)
STAGES = frozenset(STAGE_CODES)


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    return persons(1000, as_of=AS_OF, seed=1)


@pytest.fixture(scope="module")
def assessed(sample: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [assessment_to_dict(assess(parse_input(obj))) for obj in sample]


def test_synthetic_every_person_parses_and_assesses(
    sample: list[dict[str, Any]], assessed: list[dict[str, Any]]
) -> None:
    assert len(assessed) == len(sample) == 1000
    assert [result["id"] for result in assessed] == [obj["id"] for obj in sample]


def test_synthetic_covers_every_stage_code(assessed: list[dict[str, Any]]) -> None:
    seen = {stage for result in assessed for stage in result["stages"]}
    assert seen >= STAGES, f"stages never generated: {sorted(STAGES - seen)}"


def test_synthetic_has_children_with_growth_and_immunisations(
    assessed: list[dict[str, Any]],
) -> None:
    findings = [finding for result in assessed for finding in result["findings"]]
    assert "hfa.stunted" in findings
    assert "bp.high" in findings
    assert any(result["immunizations_due"] for result in assessed)
    assert any(result["weight_trend"] in {"N", "T", "2T"} for result in assessed)


def test_synthetic_is_deterministic_for_a_seed() -> None:
    first = persons(300, as_of=AS_OF, seed=7)
    assert persons(300, as_of=AS_OF, seed=7) == first
    assert persons(300, as_of=AS_OF, seed=8) != first
    assert persons(120, as_of=AS_OF, seed=7) == first[:120]  # a prefix of the longer list


def test_synthetic_values_are_valid_json_input(sample: list[dict[str, Any]]) -> None:
    assert json.loads(json.dumps(sample)) == sample
    for obj in sample:
        assert obj["as_of"] == AS_OF.isoformat()
        birth = obj["person"]["birth_date"]
        for record in obj["measurements"]:
            assert record["date"] >= birth
            assert record["weight_kg"] > 0
            assert not ("length_cm" in record and "height_cm" in record)
            if "sbp_mmhg" in record and "dbp_mmhg" in record:
                assert record["dbp_mmhg"] < record["sbp_mmhg"]
        for dose in obj.get("immunizations", []):
            assert birth <= dose["date"] <= obj["as_of"]


def test_synthetic_proportions_are_village_like(sample: list[dict[str, Any]]) -> None:
    under_five = sum(1 for obj in sample if obj["person"]["birth_date"] > "2021-11-23")
    pregnant = sum(1 for obj in sample if obj["person"].get("pregnant") is True)
    assert 70 <= under_five <= 130  # ~10 %
    assert 8 <= pregnant <= 35  # ~2 %
