"""`posyandu zscore` end to end: columns, errors, stdin/stdout, exit codes, WHO's golden rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from posyandu.cli import main
from posyandu.zscore_csv import OUTPUT_COLUMNS, score_frame
from tests.core.growth import golden

HEADER = "id,sex,age_days,age_months,weight,lenhei,measure,oedema,headc,armc,triskin,subskin"


def run(tmp_path: Path, text: str) -> tuple[int, list[dict[str, str]], list[str]]:
    """Run the CLI on a CSV text; return the exit status, the output rows and header."""
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(text, encoding="utf-8")
    status = main(["zscore", str(source), "-o", str(target)])
    with target.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    return status, rows, list(reader.fieldnames or [])


def test_zscore_csv_keeps_input_columns_then_appends_outputs_in_order(tmp_path: Path) -> None:
    status, rows, header = run(tmp_path, f"{HEADER},note\na,1,400,,9.5,76,l,n,45,14.5,8,6,x\n")
    assert status == 0
    assert header == [*HEADER.split(","), "note", *OUTPUT_COLUMNS]
    assert rows[0]["note"] == "x"
    assert rows[0]["zwei"] == "-0.38"
    assert rows[0]["fwei"] == "0"
    assert rows[0]["wfa_class"] == "normal"
    assert rows[0]["error"] == ""
    assert rows[0]["zhfa"] == ""


def test_zscore_csv_z_has_two_decimals_and_no_negative_zero(tmp_path: Path) -> None:
    _, rows, _ = run(tmp_path, "sex,age_days,weight\n1,0,3.35\n2,0,3.2322\n")
    assert rows[0]["zwei"] == "0.01"
    assert rows[1]["zwei"] == "0.00"


def test_zscore_csv_absurd_values_still_print_two_decimals(tmp_path: Path) -> None:
    _, rows, _ = run(tmp_path, "sex,age_days,weight\n1,400,1e20\n")
    assert rows[0]["zwei"] == "71261348022773784576.00"
    assert rows[0]["fwei"] == "1"


def test_zscore_csv_error_column_names_field_and_value(tmp_path: Path) -> None:
    text = f"{HEADER}\nd,x,abc,,-3,0,z,maybe,,,,\n"
    _, rows, _ = run(tmp_path, text)
    assert rows[0]["error"] == (
        "sex: 'x' is not 1/2, m/f or l/p; age_days: 'abc' is not a number; "
        "weight: '-3' must be greater than 0; lenhei: '0' must be greater than 0; "
        "measure: 'z' is not l or h; oedema: 'maybe' is not y or n"
    )
    assert all(rows[0][c] == "" for c in OUTPUT_COLUMNS if c != "error")


def test_zscore_csv_bad_cell_blanks_only_what_depends_on_it(tmp_path: Path) -> None:
    _, rows, _ = run(tmp_path, "sex,age_days,weight,lenhei,measure\n1,400,abc,76,l\n")
    assert rows[0]["error"] == "weight: 'abc' is not a number"
    assert rows[0]["zwei"] == ""
    assert rows[0]["zlen"] == "-0.44"


def test_zscore_csv_reads_sex_codes_decimal_comma_and_blank_cells(tmp_path: Path) -> None:
    text = (
        'sex,age_days,weight\n1,400,9.5\nM,400,9.5\nl,400,"9,5"\nL,400, 9.5 \n'
        "2,400,9\nf,400,9\nP,400,9\n"
    )
    _, rows, _ = run(tmp_path, text)
    assert {r["zwei"] for r in rows[:4]} == {"-0.38"}
    assert len({r["zwei"] for r in rows[4:]}) == 1
    assert all(r["error"] == "" for r in rows)
    _, rows, _ = run(tmp_path, "sex,age_days,weight\n,400,9.5\n1,,\n")
    assert rows[0]["error"] == "sex: missing"
    assert rows[1]["error"] == ""


def test_zscore_csv_routes_rows_to_who2006_or_who2007_by_age(tmp_path: Path) -> None:
    text = (
        "id,sex,age_days,age_months,weight,lenhei\n"
        "days,1,1826,,18,110\n"  # 2006
        "days60,1,1827,70,18,110\n"  # age_days wins: 2006, which scores nothing here
        "m59,1,,59.99,18,110\n"  # 2006 from months
        "m60,1,,60,18,110\n"  # 2007
        "m228,1,,228,60,175\n"  # 2007, no weight-for-age
        "m229,1,,228.01,60,175\n"  # past 2007
        "none,1,,,9,75\n"  # no age: weight-for-length only
    )
    _, rows, _ = run(tmp_path, text)
    by_id = {r["id"]: r for r in rows}
    assert by_id["days"]["zlen"] != ""
    assert all(by_id["days60"][c] == "" for c in OUTPUT_COLUMNS if c != "error")
    assert by_id["m59"]["zlen"] != ""
    assert by_id["m59"]["zhfa"] == ""
    assert by_id["m60"]["zlen"] == ""
    assert (by_id["m60"]["zhfa"] != "", by_id["m60"]["zwfa"] != "") == (True, True)
    assert (by_id["m228"]["zhfa"] != "", by_id["m228"]["zwfa"]) == (True, "")
    assert by_id["m229"]["zhfa"] == ""
    assert by_id["none"]["zwfl"] != ""
    assert by_id["none"]["zwei"] == ""


def test_zscore_csv_classes_use_the_age_group_of_the_reference(tmp_path: Path) -> None:
    text = "sex,age_months,weight,lenhei,headc\n1,24,6,70,40\n1,120,80,130,\n"
    _, rows, _ = run(tmp_path, text)
    young, old = rows
    assert young["wfa_class"] == "severely_underweight"
    assert young["hfa_class"] == "severely_stunted"
    assert young["hcfa_class"] == "microcephaly"
    assert old["bfa_class"] == "obese"  # 5-18 y bands: no "possible risk" band
    assert old["wfa_class"] == ""  # no weight-for-age class from 60 months
    assert old["wfh_class"] == ""


def test_zscore_csv_replaces_input_columns_named_like_outputs(tmp_path: Path) -> None:
    _, rows, header = run(tmp_path, "sex,zwei,age_days,weight,error\n1,old,400,9.5,old\n")
    assert header == ["sex", "age_days", "weight", *OUTPUT_COLUMNS]
    assert rows[0]["zwei"] == "-0.38"
    assert rows[0]["error"] == ""


def test_zscore_csv_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = b"sex,age_days,weight\n1,400,9.5\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["zscore", "-"]) == 0
    out = capsysbinary.readouterr().out.decode()
    lines = out.splitlines()
    assert lines[0] == "sex,age_days,weight," + ",".join(OUTPUT_COLUMNS)
    assert lines[1].startswith("1,400,9.5,,,-0.38,0,")


@pytest.mark.parametrize(
    ("text", "message"),
    [("id,age_days\n1,3\n", "missing column sex"),
     ("sex,weight\n1,3\n", "missing column age_days or age_months"),
     ("", "is empty")],
)  # fmt: skip
def test_zscore_csv_exits_2_without_required_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(text, encoding="utf-8")
    assert main(["zscore", str(source), "-o", str(tmp_path / "out.csv")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_zscore_csv_exits_2_on_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["zscore", str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_zscore_csv_header_only_gives_header_only(tmp_path: Path) -> None:
    status, rows, header = run(tmp_path, "sex,age_days\n")
    assert status == 0
    assert rows == []
    assert header == ["sex", "age_days", *OUTPUT_COLUMNS]


def _golden_through_csv(name: str, renames: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    who = golden.read(name)
    # WHO's own z and flag columns are in the frame too: the CSV path replaces them.
    return who, score_frame(who.rename(renames), dt.date(2024, 1, 1))


def test_zscore_csv_golden_2006_every_row_matches() -> None:
    who, ours = _golden_through_csv("golden_2006.csv", {})
    ids = who["id"].to_list()
    problems = []
    for z in golden.Z_2006:
        for column in (z, "f" + z[1:]):
            problems += golden.mismatches(ids, column, ours[column].to_list(), who[column])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "renames"),
    [("golden_2007.csv", {}),
     ("survey_who2007_z.csv", {"agemons": "age_months", "height": "lenhei"})],
)  # fmt: skip
def test_zscore_csv_golden_2007_every_row_matches(name: str, renames: dict[str, str]) -> None:
    who, ours = _golden_through_csv(name, renames)
    ids = who["id"].to_list()
    problems = []
    for z in golden.Z_2007:
        for column in (z, "f" + z[1:]):
            expected = (
                golden.survey_expected(who, column)[0] if name.startswith("survey") else who[column]
            )
            problems += golden.mismatches(ids, column, ours[column].to_list(), expected)
    assert not problems, "\n".join(problems)


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "1", "2", "m", "F", "l", "h", "y", "n", "nan", "inf", "-1", "0",
                     "1e308", "-0", "12,5", "1.2.3", "\x00", '"', "\n"]),
    st.floats().map(str),
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cells, min_size=12, max_size=12), min_size=1, max_size=6))
def test_zscore_csv_any_strings_in_any_cell_never_raise(
    tmp_path: Path, rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    status, out, header = run(tmp_path, buffer.getvalue())
    assert status == 0
    assert len(out) == len(rows)
    assert header[-len(OUTPUT_COLUMNS) :] == list(OUTPUT_COLUMNS)
