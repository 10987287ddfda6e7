"""Generate and write everything of one posyandu: people, kader, service days and their facts.

Each posyandu has its own random generator (seeded from the demo seed and its UUID), so one
posyandu's data does not depend on how much was drawn for the others.
"""

from __future__ import annotations

import datetime as dt
import random

from posyandu.core.dates import DAYS_PER_MONTH
from posyandu.demo import names
from posyandu.demo.context import Site, Window
from posyandu.demo.families import DAYS_PER_YEAR, Resident, build_people
from posyandu.demo.health import body, child_path, screening_group, screening_months
from posyandu.demo.identity import Registry
from posyandu.demo.immunisation import immunise, plan_doses, schedule
from posyandu.demo.kaders import build_kaders
from posyandu.demo.outreach import classes, home_visits
from posyandu.demo.pregnancies import add_pregnancies
from posyandu.demo.problems import adult_findings, child_findings
from posyandu.demo.records import Records
from posyandu.demo.referrals import make_referrals
from posyandu.demo.schedule import local_time, service_days, stamp
from posyandu.demo.supplements import pmt_recovery, postpartum_vitamin_a
from posyandu.demo.visits import hold_days
from posyandu.demo.writer import BulkWriter
from posyandu.registry.models import Household


def _add_traits(rng: random.Random, window: Window, residents: list[Resident]) -> None:
    """Give growth paths to the children under five during the window, bodies from 10 years."""
    for person in residents:
        if person.age_days(window.start) < 60 * DAYS_PER_MONTH:
            person.child = child_path(rng, window.months)
        years = person.age_days(window.as_of) / DAYS_PER_YEAR
        if years >= 10:
            person.body = body(rng, person.sex, years)
            group = screening_group(person.sex, years)
            person.body.screening_months = screening_months(rng, group, window.months)


def _register(rng: random.Random, window: Window, residents: list[Resident]) -> None:
    """Date each person's registration (before the window, or days after birth in it), and
    each household's by its first member: the PWS counts a person from her registration.
    """
    households: dict[int, tuple[dt.datetime, Household]] = {}
    for person in residents:
        if person.birth >= window.start:
            day = min(window.as_of, person.birth + dt.timedelta(days=rng.randint(0, 14)))
        else:
            day = window.start - dt.timedelta(days=rng.randint(1, 400))
        at = local_time(day, 9, rng.randint(0, 59))
        stamp(person.person, at)
        household = person.person.household
        if household is not None and (
            id(household) not in households or at < households[id(household)][0]
        ):
            households[id(household)] = (at, household)
    for at, household in households.values():
        stamp(household, at)


def _generations(residents: list[Resident]) -> list[list[Resident]]:
    """Return residents in waves, mothers before their children (bulk inserts need the key)."""
    waves: list[list[Resident]] = []
    placed: set[int] = set()
    left = residents
    while left:
        wave = [r for r in left if r.mother is None or id(r.mother) in placed]
        waves.append(wave)
        placed.update(id(r) for r in wave)
        left = [r for r in left if id(r) not in placed]
    return waves


def build_site(
    site: Site, rng: random.Random, ids: Registry, window: Window, writer: BulkWriter
) -> None:
    """Generate one posyandu and write its rows."""
    people = build_people(site, rng, ids, window.as_of)
    residents = people.residents
    _add_traits(rng, window, residents)
    _register(rng, window, residents)
    pregnancies = add_pregnancies(site, rng, window, residents)
    writer.save(people.households)
    for wave in _generations(residents):
        writer.save([r.person for r in wave])
    writer.save(pregnancies)
    kaders, competencies = build_kaders(site, rng, window.as_of)
    writer.save(kaders)
    writer.save(competencies)
    days = service_days(site, rng, window)
    writer.save([day.row for day in days])
    records = Records()
    hold_days(site, rng, days, residents, records)
    _immunise(site, rng, window, residents, records)
    findings = child_findings(records.child_measures, window.as_of)
    findings += adult_findings(records.adult_measures)
    records.services += pmt_recovery(site, rng, window, findings)
    records.services += postpartum_vitamin_a(site, rng, residents)
    records.referrals = make_referrals(site, rng, window, findings)
    home_visits(site, rng, window, residents, findings, records)
    classes(site, rng, window, residents, records)
    _write(records, writer)


def _home_birth(child: Resident) -> bool:
    """Return True when the child was born at home (recorded on the mother's pregnancy)."""
    mother = child.mother
    births = mother.pregnancies if mother is not None else []
    return any(p.delivery_date == child.birth and p.delivery_place == "Rumah" for p in births)


def _immunise(
    site: Site, rng: random.Random, window: Window, residents: list[Resident], records: Records
) -> None:
    """Give every child her doses, at the service days where she reached step 4."""
    doses = schedule(window.as_of, names.PROVINCE[0])
    for child in residents:
        if child.child is None:
            continue
        plan = plan_doses(child, rng, doses, _home_birth(child))
        served = [v for v in records.attended.get(id(child), []) if v.served_at is not None]
        records.doses.extend(immunise(plan, child, site, served, window, rng))


def _write(records: Records, writer: BulkWriter) -> None:
    writer.save(records.visits)
    writer.save(records.measurements)
    writer.save(records.doses)
    writer.save(records.services)
    writer.save(records.referrals)
    writer.save(records.home_visits)
    writer.save(records.classes)
    writer.save(records.attendance)
