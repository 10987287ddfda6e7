"""Parsing the assessment input: every bad value is refused with a message naming its field.

Rule (ASSESS.md, "Input" and the opening): "Bad input (unknown key, impossible date, weight 0,
text in a number) gives a clear error naming the field". "Every field but as_of, person.sex and
person.birth_date may be missing or null. Sex: M/F. measure is l (lying) or h (standing);
length_cm/height_cm may be given either way."
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from typing import Any

import pytest

from posyandu.core.assess import parse_input
from posyandu.core.assess.model import Dose, MeasurementRecord, Person
from posyandu.core.errors import InputError

D = dt.date

# The example input of ASSESS.md.
EXAMPLE = json.loads(
    """{
  "id": "any string, echoed back",
  "as_of": "2026-11-23",
  "person": {
    "sex": "F", "birth_date": "2025-03-02", "pregnant": false, "gestational_weeks": null,
    "delivery_date": null, "smoker": false, "province_code": "51"
  },
  "measurements": [
    {"date": "2026-10-20", "weight_kg": 8.1, "length_cm": 70.2, "measure": "l",
     "headc_cm": 44.0, "muac_cm": 13.1, "oedema": false},
    {"date": "2026-11-23", "weight_kg": 8.1, "height_cm": null, "waist_cm": null,
     "sbp_mmhg": null, "dbp_mmhg": null, "glucose_mg_dl": null, "glucose_kind": "random",
     "hb_g_dl": null}
  ],
  "immunizations": [{"vaccine": "bcg", "date": "2025-04-01"}],
  "symptoms": []
}"""
)


def with_(path: str, value: Any) -> dict[str, Any]:
    """Return a copy of EXAMPLE with the value at a dotted path ("measurements.1.weight_kg")."""
    obj = copy.deepcopy(EXAMPLE)
    *parents, last = path.split(".")
    target: Any = obj
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    return obj


def without(path: str) -> dict[str, Any]:
    obj = copy.deepcopy(EXAMPLE)
    *parents, last = path.split(".")
    target: Any = obj
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    del target[last]
    return obj


def error_of(obj: Any) -> str:
    with pytest.raises(InputError) as raised:
        parse_input(obj)
    return str(raised.value)


def test_parse_the_contract_example():
    record = parse_input(EXAMPLE)
    assert record.id == "any string, echoed back"
    assert record.as_of == D(2026, 11, 23)
    assert record.person == Person(
        sex="F", birth_date=D(2025, 3, 2), pregnant=False, smoker=False, province_code="51"
    )
    assert record.measurements[0] == MeasurementRecord(
        date=D(2026, 10, 20),
        weight_kg=8.1,
        length_cm=70.2,
        measure="l",
        headc_cm=44.0,
        muac_cm=13.1,
        oedema=False,
    )
    assert record.measurements[1].glucose_kind == "random"
    assert record.measurements[1].hb_g_dl is None
    assert record.immunizations == (Dose("bcg", D(2025, 4, 1)),)


def test_parse_only_as_of_sex_and_birth_date_are_needed():
    record = parse_input(
        {"as_of": "2026-01-01", "person": {"sex": "M", "birth_date": "1990-05-05"}}
    )
    assert (record.id, record.measurements, record.immunizations) == (None, (), ())
    assert record.person.pregnant is None


def test_parse_integers_are_numbers():
    record = parse_input(with_("measurements.1.weight_kg", 8))
    assert record.measurements[1].weight_kg == 8.0
    assert type(record.measurements[1].weight_kg) is float
    big = parse_input(with_("measurements.1.weight_kg", 2**1000)).measurements[1].weight_kg
    assert big == float(2**1000)


def test_parse_a_huge_whole_number_says_too_large():
    message = error_of(with_("measurements.0.weight_kg", 10**400))
    assert message.startswith("measurements[0].weight_kg: 1000")
    assert message.endswith("... is too large")


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        (
            with_("measurements.1.weight_kg", "abc"),
            "measurements[1].weight_kg: 'abc' is not a number",
        ),
        (
            with_("measurements.0.weight_kg", "8.1"),
            "measurements[0].weight_kg: '8.1' is not a number",
        ),
        (with_("measurements.0.muac_cm", True), "measurements[0].muac_cm: True is not a number"),
        (
            with_("measurements.0.headc_cm", math.nan),
            "measurements[0].headc_cm: nan is not a number",
        ),
        (with_("measurements.0.weight_kg", 0), "measurements[0].weight_kg: must be above 0, got 0"),
        (with_("measurements.0.weight_kg", -3.5), "measurements[0].weight_kg: must be above 0"),
        (with_("measurements.1.hb_g_dl", 0.0), "measurements[1].hb_g_dl: must be above 0"),
        (with_("measurements.0.sbp_mmhg", math.inf), "measurements[0].sbp_mmhg: inf is not a"),
        (with_("measurements.0.sbp_mmhg", -math.inf), "measurements[0].sbp_mmhg: -inf is not"),
        # A JSON whole number too large for a float: refused by name, not a crash.
        (with_("measurements.0.weight_kg", 10**400), "measurements[0].weight_kg: 1000"),
        (with_("measurements.0.weight_kg", -(10**400)), "measurements[0].weight_kg: must be"),
    ],
)
def test_parse_rejects_a_bad_number(obj, message):
    assert error_of(obj).startswith(message)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("person.birth_date", "2025-02-30", "person.birth_date: '2025-02-30' is not a valid date"),
        ("person.birth_date", "2025-2-3", "person.birth_date: '2025-2-3' is not a valid date"),
        ("as_of", "23/11/2026", "as_of: '23/11/2026' is not a valid date"),
        ("as_of", 20261123, "as_of: 20261123 is not a valid date"),
        ("measurements.0.date", "2026-13-01", "measurements[0].date: '2026-13-01' is not a valid"),
        ("immunizations.0.date", "yesterday", "immunizations[0].date: 'yesterday' is not a valid"),
        ("person.delivery_date", "2026-02-29", "person.delivery_date: '2026-02-29' is not a valid"),
    ],
)
def test_parse_rejects_an_impossible_date(path, value, message):
    assert error_of(with_(path, value)).startswith(message)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ({**EXAMPLE, "weight": 3}, "weight: unknown field"),
        (with_("person.foo", 1), "person.foo: unknown field"),
        (with_("measurements.0.temp_c", 37.0), "measurements[0].temp_c: unknown field"),
        (with_("immunizations.0.lot", "A1"), "immunizations[0].lot: unknown field"),
    ],
)
def test_parse_rejects_an_unknown_key(obj, message):
    assert error_of(obj) == message


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("as_of", "as_of: is required"),
        ("person", "person: is required"),
        ("person.sex", "person.sex: is required"),
        ("person.birth_date", "person.birth_date: is required"),
        ("measurements.0.date", "measurements[0].date: is required"),
        ("immunizations.0.vaccine", "immunizations[0].vaccine: is required"),
    ],
)
def test_parse_rejects_a_missing_required_field(path, message):
    assert error_of(without(path)) == message


def test_parse_null_required_field_is_missing():
    assert error_of(with_("person.sex", None)) == "person.sex: is required"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("person.sex", "X", "person.sex: 'X' is not 'M' or 'F'"),
        ("person.sex", "f", "person.sex: 'f' is not 'M' or 'F'"),
        ("measurements.0.measure", "s", "measurements[0].measure: 's' is not 'l' or 'h'"),
        ("measurements.1.glucose_kind", "2h", "measurements[1].glucose_kind: '2h' is not"),
        ("person.pregnant", "no", "person.pregnant: 'no' is not true or false"),
        ("measurements.0.oedema", 1, "measurements[0].oedema: 1 is not true or false"),
        ("person.sex", True, "person.sex: True is not 'M' or 'F'"),
        ("person.smoker", 0, "person.smoker: 0 is not true or false"),
        ("measurements.0.measure", True, "measurements[0].measure: True is not 'l' or 'h'"),
        ("immunizations.0.vaccine", 1, "immunizations[0].vaccine: 1 is not a string"),
        ("person.province_code", 51, "person.province_code: 51 is not a 2-digit province code"),
        ("person.province_code", "5", "person.province_code: '5' is not a 2-digit"),
        ("person.gestational_weeks", 20.5, "person.gestational_weeks: 20.5 is not a whole number"),
        ("person.gestational_weeks", 50, "person.gestational_weeks: must be 0 to 45, got 50"),
        ("id", 7, "id: 7 is not a string"),
        ("symptoms", ["cough", 3], "symptoms[1]: 3 is not a string"),
        (
            "measurements",
            {"date": "2026-01-01"},
            "measurements: {'date': '2026-01-01'} is not a list",
        ),
        ("measurements.0", "8.1 kg", "measurements[0]: '8.1 kg' is not an object"),
    ],
)
def test_parse_rejects_a_value_of_the_wrong_kind(path, value, message):
    assert error_of(with_(path, value)).startswith(message)


def test_parse_rejects_a_non_object():
    assert error_of([EXAMPLE]).startswith("input: [{")


def test_parse_rejects_a_birth_after_as_of():
    message = error_of(with_("person.birth_date", "2026-11-24"))
    assert message == "person.birth_date: 2026-11-24 is after as_of"


def test_parse_rejects_a_measurement_before_birth():
    message = error_of(with_("measurements.0.date", "2025-03-01"))
    assert message == "measurements[0].date: 2025-03-01 is before person.birth_date"


def test_parse_keeps_a_measurement_after_as_of_for_the_rules_to_ignore():
    record = parse_input(with_("measurements.0.date", "2027-01-01"))
    assert record.measurements[0].date == D(2027, 1, 1)


def test_parse_rejects_length_and_height_in_one_record():
    message = error_of(with_("measurements.0.height_cm", 70.0))
    assert message == "measurements[0].height_cm: give length_cm or height_cm, not both"


def test_parse_length_or_height_either_field():
    record = parse_input(with_("measurements.1.height_cm", 71.0))
    assert (record.measurements[0].lenhei_cm, record.measurements[1].lenhei_cm) == (70.2, 71.0)


def test_parse_rejects_diastolic_not_below_systolic():
    obj = with_("measurements.1.sbp_mmhg", 80)
    obj["measurements"][1]["dbp_mmhg"] = 80
    assert error_of(obj) == "measurements[1].dbp_mmhg: must be below sbp_mmhg (80), got 80"


@pytest.mark.parametrize("field", ["pregnant", "delivery_date"])
def test_parse_rejects_pregnancy_fields_for_a_man(field):
    obj = with_("person.sex", "M")
    obj["person"][field] = True if field == "pregnant" else "2026-10-01"
    assert error_of(obj) == f"person.{field}: is given for a person of sex 'M'"


def test_parse_rejects_a_delivery_before_birth():
    message = error_of(with_("person.delivery_date", "2024-01-01"))
    assert message == "person.delivery_date: is before person.birth_date"


def test_parse_shortens_a_long_bad_value_in_the_message():
    message = error_of(with_("measurements.0.weight_kg", "x" * 200))
    assert message == "measurements[0].weight_kg: '" + "x" * 36 + "... is not a number"
