"""`posyandu assess`: one JSON record or a JSONL batch in, assessments out.

Rule (ASSESS.md, opening): "posyandu assess INPUT.json (or '-' for stdin) prints the Assessment
as JSON; posyandu assess INPUT.jsonl -o OUT.jsonl, one record per line, batch. Bad input gives a
clear error naming the field; in batch mode that line's output is {"id": ..., "error": "..."}
and the others go on." Exit status: 0 all assessed, 1 any record failed, 2 input unreadable or
rules version unknown. "past assessments can be recomputed under the version that was in force"
(--rules-version).
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from posyandu.cli import main


def record(id_: str, **changes: Any) -> dict[str, Any]:
    """Return a small valid input: a girl of 12 months weighed on the day."""
    obj: dict[str, Any] = {
        "id": id_,
        "as_of": "2026-01-15",
        "person": {"sex": "F", "birth_date": "2025-01-15"},
        "measurements": [{"date": "2026-01-15", "weight_kg": 8.9}],
    }
    obj.update(changes)
    return obj


def write(path: Path, *lines: str) -> str:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def test_assess_cli_single_json_prints_the_assessment(tmp_path, capsys):
    source = tmp_path / "one.json"
    source.write_text(json.dumps(record("a"), indent=2), encoding="utf-8")
    assert main(["assess", str(source)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["id"] == "a"
    assert result["stages"] == ["baduta", "balita"]
    assert result["age"] == {"days": 365, "months": 12, "years": 1}
    assert result["growth"]["wfa"]["class"] == "normal"  # 8.9 kg: WHO median 8.95


def test_assess_cli_jsonl_bad_line_does_not_stop_the_batch(tmp_path, capsys):
    bad = record("b", measurements=[{"date": "2026-01-15", "weight_kg": "abc"}])
    source = write(
        tmp_path / "in.jsonl",
        json.dumps(record("a")),
        json.dumps(bad),
        "",
        json.dumps(record("c")),
    )
    out = tmp_path / "out.jsonl"
    assert main(["assess", source, "-o", str(out)]) == 1
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", "c"]
    assert lines[1] == {
        "id": "b",
        "error": "line 2: measurements[0].weight_kg: 'abc' is not a number",
    }
    assert "stages" in lines[0]
    assert "stages" in lines[2]
    assert "1 of 3 records could not be assessed" in capsys.readouterr().err


def test_assess_cli_jsonl_line_that_is_not_json(tmp_path):
    source = write(tmp_path / "in.jsonl", json.dumps(record("a")), '{"id": "b", "as_of": ')
    out = tmp_path / "out.jsonl"
    assert main(["assess", source, "-o", str(out)]) == 1
    second = json.loads(out.read_text(encoding="utf-8").splitlines()[1])
    assert second["id"] is None
    assert second["error"].startswith("line 2: not valid JSON")


def test_assess_cli_all_good_batch_exits_zero(tmp_path):
    source = write(tmp_path / "in.jsonl", json.dumps(record("a")), json.dumps(record("b")))
    out = tmp_path / "out.jsonl"
    assert main(["assess", source, "-o", str(out)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_assess_cli_reads_stdin_and_writes_stdout(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(record("s"))))
    assert main(["assess", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "s"


def test_assess_cli_stdin_with_several_object_lines_is_a_batch(monkeypatch, capsys):
    text = json.dumps(record("x")) + "\n" + json.dumps(record("y")) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["assess", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["id"] for line in out] == ["x", "y"]


def test_assess_cli_single_bad_record_exits_one_naming_the_field(tmp_path, capsys):
    bad = record("b", person={"sex": "F", "birth_date": "2025-02-30"})
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(bad), encoding="utf-8")
    assert main(["assess", str(source)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "person.birth_date: '2025-02-30' is not a valid date" in captured.err


def bali_infant() -> dict[str, Any]:
    """A 10-month-old in Bali (province 51) with no immunisation recorded."""
    return {
        "id": "bali",
        "as_of": "2026-11-01",
        "person": {"sex": "M", "birth_date": "2026-01-01", "province_code": "51"},
    }


def due_under(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> dict[str, Any]:
    source = tmp_path / "bali.json"
    source.write_text(json.dumps(bali_infant()), encoding="utf-8")
    assert main(["assess", str(source), *flags]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_assess_cli_rules_version_recomputes_under_the_old_schedule(tmp_path, capsys):
    new = due_under(tmp_path, capsys)
    old = due_under(tmp_path, capsys, "--rules-version", "2023.1")
    assert (new["rules_version"], old["rules_version"]) == ("2025.1", "2023.1")
    new_codes = {d["vaccine"] for d in new["immunizations_due"]}
    old_codes = {d["vaccine"] for d in old["immunizations_due"]}
    # KMK 1098/2024 added PCV and rotavirus; JE at 10 months in Bali, due today.
    assert new_codes - old_codes == {"je", "pcv1", "rv1"}
    assert {"vaccine": "je", "status": "due", "due_date": "2026-11-01"} in new["immunizations_due"]
    assert old_codes <= new_codes


def test_assess_cli_unknown_rules_version_exits_two(tmp_path, capsys):
    source = tmp_path / "bali.json"
    source.write_text(json.dumps(bali_infant()), encoding="utf-8")
    assert main(["assess", str(source), "--rules-version", "1999.1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown rules version '1999.1'" in captured.err
    assert "2025.1" in captured.err


def test_assess_cli_unreadable_input_exits_two(tmp_path, capsys):
    assert main(["assess", str(tmp_path / "missing.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_assess_cli_writes_a_single_result_to_a_file(tmp_path):
    source = tmp_path / "one.json"
    source.write_text(json.dumps(record("a")), encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["assess", str(source), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "a"


def test_assess_cli_batch_in_chunks_keeps_order_and_per_line_errors(tmp_path, monkeypatch, capsys):
    # Batches are assessed CHUNK_LINES lines at a time; with 2, errors fall in several chunks.
    monkeypatch.setattr("posyandu.assess_json.CHUNK_LINES", 2)
    child = record("c", immunizations=[{"vaccine": "smallpox", "date": "2025-03-01"}])
    lines = [
        json.dumps(record("a")),
        json.dumps(record("b", measurements=[{"date": "2026-01-15", "weight_kg": 0}])),
        "",
        json.dumps(record("d")),
        json.dumps(child),  # parses, fails in assess: the vaccine code is unknown
        '{"id": "e"',
        json.dumps(record("f")),
    ]
    out = tmp_path / "out.jsonl"
    assert main(["assess", write(tmp_path / "in.jsonl", *lines), "-o", str(out)]) == 1
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == ["a", "b", "d", "c", None, "f"]
    assert results[1] == {
        "id": "b",
        "error": "line 2: measurements[0].weight_kg: must be above 0, got 0",
    }
    assert results[3] == {
        "id": "c",
        "error": "line 5: immunizations[0].vaccine: unknown vaccine code 'smallpox'",
    }
    assert results[4]["error"].startswith("line 6: not valid JSON")
    assert all("stages" in results[i] for i in (0, 2, 5))
    assert "3 of 6 records could not be assessed" in capsys.readouterr().err
    # Each good line is what the one-record path gives for it.
    single = tmp_path / "a.json"
    single.write_text(lines[0], encoding="utf-8")
    assert main(["assess", str(single)]) == 0
    assert json.loads(capsys.readouterr().out) == results[0]
