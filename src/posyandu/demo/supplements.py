"""Supplements given outside the service-day routine: PMT pemulihan for children with a
growth problem, and the two red vitamin A capsules after delivery.

PMT pemulihan is a ration of local food for about 56 days (the duration rule is background
knowledge ⚠), so a child gets it once per episode, not at every visit.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Set as AbstractSet

from posyandu.core.rulebook import rule_in_force
from posyandu.demo.context import Site, Window
from posyandu.demo.families import Resident
from posyandu.demo.problems import Finding
from posyandu.demo.visits import new_service
from posyandu.registry.models import Pregnancy
from posyandu.visits.models import ServiceGiven

PMT_DAYS = 56


def pmt_findings(on: dt.date) -> frozenset[str]:
    """Return the findings for which the service package calls for PMT pemulihan."""
    rules = rule_in_force("service_packages", on).data["service"]
    return frozenset(
        code
        for rule in rules
        if rule["code"] == "pmt_recovery"
        for code in rule.get("when", {}).get("any_finding", [])
    )


def _pmt_share(reasons: AbstractSet[str]) -> float:
    """Return how often a kader gives PMT: at once for acute malnutrition, less otherwise."""
    if any(code.startswith(("wfh.", "muac.")) for code in reasons):
        return 0.8
    # Weight not increasing once is watched first; underweight or 2T sometimes get PMT.
    return 0.0 if reasons == {"weight.not_increasing"} else 0.3


def pmt_recovery(
    site: Site, rng: random.Random, window: Window, findings: list[Finding]
) -> list[ServiceGiven]:
    """Give PMT pemulihan to most children from 6 months with a finding the package names."""
    wanted = pmt_findings(window.as_of)
    last: dict[int, dt.date] = {}
    rows = []
    for finding in findings:
        visit, child = finding.measurement.visit, finding.resident
        if child.child is None or visit is None or visit.served_at is None:
            continue
        if (
            child.age_days(visit.date) < 183
            or (visit.date - last.get(id(child), dt.date.min)).days < PMT_DAYS
        ):
            continue
        reasons = wanted.intersection(finding.findings)
        if reasons and rng.random() < _pmt_share(reasons):
            rows.append(new_service(site, rng, child, "pmt_recovery", PMT_DAYS, visit=visit))
            last[id(child)] = visit.date
    return rows


def postpartum_vitamin_a(
    site: Site, rng: random.Random, residents: list[Resident]
) -> list[ServiceGiven]:
    """Record the two red vitamin A capsules most mothers get right after delivery."""
    rows = []
    for woman in residents:
        for pregnancy in woman.pregnancies:
            born = pregnancy.delivery_date
            live = pregnancy.outcome == Pregnancy.Outcome.LIVE_BIRTH
            if live and born is not None and rng.random() < 0.8:
                rows.append(new_service(site, rng, woman, "vitamin_a_postpartum", 2, on=born))
    return rows
