"""Read assessment inputs (JSON or JSONL) and write the assessments: I/O of `posyandu assess`.

    posyandu assess INPUT.json                   # one object; prints its Assessment as JSON
    posyandu assess INPUT.jsonl -o OUT.jsonl     # one record per line, one result per line

'-' is standard input or output. An input is a batch when its name ends in `.jsonl`, or when it
is not one JSON value but several of its lines start with an object. In a batch a bad line gives
`{"id": ..., "error": "..."}` and the other lines go on. Exit status: 0 when every record was
assessed, 1 when any failed, 2 when the input cannot be read, the output cannot be written or
the rules version is unknown (nothing is assessed then).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from posyandu.core.assess import (
    AssessmentInput,
    assess,
    assess_many,
    assessment_to_dict,
    assessment_to_json,
    collector_paused,
    parse_input,
    rules_for,
)
from posyandu.core.errors import CoreError

STDIO = "-"
EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2
# A batch is assessed this many lines at a time: one WHO engine call per chunk, bounded memory.
CHUNK_LINES = 5_000


class _RecordError(Exception):
    """One record could not be assessed; carries its id (when known) and the message."""

    def __init__(self, record_id: object, message: str) -> None:
        super().__init__(message)
        self.record_id = record_id


def assess_files(input_path: str, output_path: str, rules_version: str | None) -> int:
    """Assess the record(s) of `input_path` into `output_path`; return the exit status."""
    try:
        text = sys.stdin.read() if input_path == STDIO else Path(input_path).read_text("utf-8")
        if rules_version is not None:
            rules_for(dt.date.min, rules_version)  # a named version is found by name alone
    except (OSError, UnicodeDecodeError) as exc:
        _warn(f"cannot read {input_path}: {exc}")
        return EXIT_UNREADABLE
    except CoreError as exc:
        _warn(str(exc))
        return EXIT_UNREADABLE
    if _is_batch(input_path, text):
        lines, failed = _assess_batch(text, rules_version)
    else:
        lines, failed = _assess_single(text, rules_version)
    try:
        _write(output_path, lines)
    except OSError as exc:
        _warn(f"cannot write {output_path}: {exc}")
        return EXIT_UNREADABLE
    return EXIT_FAILED if failed else EXIT_OK


def _is_batch(path: str, text: str) -> bool:
    """Return whether the input is JSON Lines rather than one JSON object."""
    if path.lower().endswith(".jsonl"):
        return True
    try:
        json.loads(text)
    except ValueError:
        # A pretty-printed object indents its inner objects; JSON Lines starts them at column 0.
        return sum(1 for line in text.splitlines() if line.startswith("{")) >= 2
    return False


def _assess_single(text: str, rules_version: str | None) -> tuple[list[str], bool]:
    try:
        result = _assess_text(text, rules_version)
    except _RecordError as exc:
        _warn(str(exc))
        return [], True
    return [json.dumps(result, ensure_ascii=False, indent=2)], False


def _assess_batch(text: str, rules_version: str | None) -> tuple[list[str], bool]:
    lines: list[str] = []
    failures = 0
    records = list(_records(text))
    for start in range(0, len(records), CHUNK_LINES):
        chunk_lines, failed = _assess_chunk(records[start : start + CHUNK_LINES], rules_version)
        failures += failed
        lines += chunk_lines
    if failures:
        _warn(f"{failures} of {len(lines)} records could not be assessed")
    return lines, failures > 0


def _assess_chunk(
    chunk: Sequence[tuple[int, str]], rules_version: str | None
) -> tuple[list[str], int]:
    """Return the output line of each (line number, line), in order, and how many failed.

    Every line is parsed on its own; the records that parse are assessed together with
    `assess_many`, and a line that fails at either step gets its error object.
    """
    outputs: list[str] = []
    pending: list[tuple[int, int, object]] = []  # (output index, line number, id)
    records: list[AssessmentInput] = []
    with collector_paused():  # the parsed inputs hold no reference cycles
        for number, line in chunk:
            try:
                record_id, record = _parse_text(line)
            except _RecordError as exc:
                outputs.append(_error(exc.record_id, number, str(exc)))
                continue
            pending.append((len(outputs), number, record_id))
            records.append(record)
            outputs.append("")  # the assessment's place, filled in below
    failed = len(outputs) - len(records)
    results = assess_many(records, rules_version=rules_version)
    for (index, number, record_id), result in zip(pending, results, strict=True):
        if isinstance(result, CoreError):
            outputs[index] = _error(record_id, number, str(result))
            failed += 1
        else:
            outputs[index] = assessment_to_json(result)
    return outputs, failed


def _error(record_id: object, number: int, message: str) -> str:
    error = {"id": record_id, "error": f"line {number}: {message}"}
    return json.dumps(error, ensure_ascii=False)


def _records(text: str) -> Iterator[tuple[int, str]]:
    """Yield (line number, line) for every non-blank line."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield number, line


def _assess_text(text: str, rules_version: str | None) -> dict[str, Any]:
    """Return the assessment JSON of one JSON object; raise _RecordError on bad input."""
    record_id, record = _parse_text(text)
    try:
        return assessment_to_dict(assess(record, rules_version=rules_version))
    except CoreError as exc:
        raise _RecordError(record_id, str(exc)) from exc


def _parse_text(text: str) -> tuple[object, AssessmentInput]:
    """Return the id and the parsed input of one JSON object; raise _RecordError if bad."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _RecordError(None, f"not valid JSON: {exc.msg} at column {exc.colno}") from exc
    record_id = obj.get("id") if isinstance(obj, dict) else None
    try:
        return record_id, parse_input(obj)
    except CoreError as exc:
        raise _RecordError(record_id, str(exc)) from exc


def _write(path: str, lines: list[str]) -> None:
    text = "".join(line + "\n" for line in lines)
    if path == STDIO:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")


def _warn(message: str) -> None:
    sys.stderr.write(f"posyandu assess: {message}\n")
