"""An Assessment cannot be edited after the fact: not its fields, not its growth or basis.

The output types are NamedTuples (cheaper to make than frozen dataclasses); this holds them
to the immutability the frozen dataclasses gave.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from posyandu.core.assess import Assessment, assess, parse_input

CASES = Path(__file__).with_name("cases.jsonl")


def _assessed_with_findings() -> Assessment:
    for line in CASES.read_text(encoding="utf-8").splitlines():
        result = assess(parse_input(json.loads(line)["input"]))
        if result.growth and result.basis:
            return result
    raise AssertionError("no case with growth and findings")


def test_assessment_fields_cannot_be_set() -> None:
    result = _assessed_with_findings()
    with pytest.raises(AttributeError):
        result.refer = not result.refer  # type: ignore[misc]
    status = next(iter(result.growth.values()))
    with pytest.raises(AttributeError):
        status.value = 0.0  # type: ignore[misc]


def test_assessment_mappings_are_read_only() -> None:
    result = _assessed_with_findings()
    with pytest.raises(TypeError):
        result.growth["wfa"] = next(iter(result.growth.values()))  # type: ignore[index]
    with pytest.raises(TypeError):
        result.basis["x.y"] = "z"  # type: ignore[index]


def test_assessment_without_findings_has_empty_read_only_basis() -> None:
    for line in CASES.read_text(encoding="utf-8").splitlines():
        result = assess(parse_input(json.loads(line)["input"]))
        if not result.findings:
            assert dict(result.basis) == {}
            with pytest.raises(TypeError):
                result.basis["x.y"] = "z"  # type: ignore[index]
            return
    raise AssertionError("no case without findings")
