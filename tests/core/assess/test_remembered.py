"""What the rules remember between people gives what working it out afresh gives.

`life_stages` and `services_due` remember their answer per kind of person (ages only by the
bands they cross, findings only those a condition names), so a village of 100,000 people is
worked out a few hundred times, not 100,000. These tests sweep ages, sexes, pregnancy,
smoking, findings, months and referral and compare each answer with an independent reading
of the same rule tables:

- stages: `life_stages` against `in_stage`, which checks one stage and remembers nothing;
- services: `services_due` against this file's own reading of the `service_packages`
  conditions (ASSESS.md vocabulary; data/rules/service_packages.toml, header comment).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from posyandu.core.assess.model import Person
from posyandu.core.assess.packages import STAGE_CODES, ServiceRule, service_rules, services_due
from posyandu.core.assess.stages import in_stage, life_stages
from posyandu.core.dates import Age, add_months
from posyandu.core.rulebook import rule_in_force

ON = dt.date(2026, 2, 27)
STAGES = rule_in_force("stages", ON)
PACKAGES = rule_in_force("service_packages", ON)


def _people() -> list[Person]:
    # Every 3rd day to 25 years (every day band edge is within 3 days of one), then monthly.
    births = [ON - dt.timedelta(days=d) for d in range(0, 25 * 366, 3)]
    births += [add_months(ON, -m) for m in range(25 * 12, 90 * 12, 7)]
    people = []
    for n, birth in enumerate(births):
        people.append(Person(sex="M", birth_date=birth))
        delivered = ON - dt.timedelta(days=n % 50) if n % 4 == 0 else None
        people.append(
            Person(sex="F", birth_date=birth, pregnant=n % 3 == 0, delivery_date=delivered)
        )
    return people


def test_life_stages_are_those_in_stage_finds_for_every_kind_of_person() -> None:
    for person in _people():
        expected = sorted(code for code in STAGE_CODES if in_stage(code, person, ON, STAGES))
        assert life_stages(person, ON, STAGES) == expected, person


def _meets(rule: ServiceRule, visit: dict[str, Any]) -> bool:
    """This test's reading of a rule's `when` conditions (all must hold, bounds inclusive)."""
    checks = {
        "months_of_year": lambda v: visit["month"] in v,
        "min_age_months": lambda v: visit["age"].months >= v,
        "max_age_months": lambda v: visit["age"].months <= v,
        "min_age_years": lambda v: visit["age"].years >= v,
        "max_age_years": lambda v: visit["age"].years <= v,
        "sex": lambda v: visit["sex"] == v,
        "pregnant": lambda v: visit["pregnant"] is v,
        "smoker": lambda v: visit["smoker"] == v,
        "any_finding": lambda v: bool(set(v) & set(visit["findings"])),
        "refer": lambda v: visit["refer"] is v,
    }
    return all(checks[key](value) for key, value in rule.when.items())


def _expected(visit: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    calling: dict[str, set[str]] = {}
    for rule in service_rules(PACKAGES):
        stages = rule.stages & set(visit["stages"])
        if stages and _meets(rule, visit):
            calling.setdefault(rule.code, set()).update(stages)
    return [(code, tuple(sorted(stages))) for code, stages in sorted(calling.items())]


def test_services_due_are_those_the_conditions_call_for_every_kind_of_person() -> None:
    findings = [(), ("muac.chronic_energy_deficiency",), ("hfa.stunted", "bp.high")]
    people = _people()[::8]
    for person, found, smoker, refer, month in itertools.product(
        people, findings, (None, True, False), (False, True), (2, 3)
    ):
        on = ON.replace(month=month)
        age = Age.between(person.birth_date, on)
        if age.days < 0:
            continue
        stages = life_stages(person, on, STAGES)
        answer = "unknown" if smoker is None else ("yes" if smoker else "no")
        visit = {
            "stages": stages, "age": age, "sex": person.sex, "pregnant": person.is_pregnant,
            "smoker": answer, "findings": found, "month": month, "refer": refer,
        }  # fmt: skip
        listed = services_due(
            stages=stages,
            age=age,
            sex=person.sex,
            pregnant=person.is_pregnant,
            smoker=smoker,
            findings=list(found),
            as_of=on,
            packages=PACKAGES,
            refer=refer,
        )
        assert [(s.code, s.stages) for s in listed] == _expected(visit), visit
