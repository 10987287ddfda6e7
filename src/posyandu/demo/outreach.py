"""Home visits (kunjungan rumah) and classes (kelas ibu hamil, kelas ibu balita) of the demo.

Kader visit some of the under-fives and pregnant women who missed a service day, children with
a growth problem, newborns and their mothers in the first week, and some housebound elderly
(reason codes as in the home-visit worklist). Part of the children met at home are weighed
there (a visit at home with its measurement). Each posyandu holds a series of pregnancy classes
and a few classes for mothers of under-fives, with attendance.
"""

from __future__ import annotations

import datetime as dt
import random

from posyandu.demo import names
from posyandu.demo.context import Site, Window
from posyandu.demo.families import DAYS_PER_YEAR, Resident
from posyandu.demo.identity import new_uuid
from posyandu.demo.measures import child_values
from posyandu.demo.problems import Finding
from posyandu.demo.records import Records
from posyandu.demo.schedule import local_time, stamp
from posyandu.demo.visits import active_pregnancy, new_measurement
from posyandu.outreach.models import ClassAttendance, ClassSession, HomeVisit
from posyandu.visits.models import Visit

# Findings that send a kader to the home, most pressing first (the worklist's order).
PROBLEM_REASONS = (
    "muac.severe_acute_malnutrition",
    "wfh.severely_wasted",
    "weight.not_increasing_twice",
    "muac.chronic_energy_deficiency",
    "bp.high",
    "wfh.wasted",
    "muac.moderate_acute_malnutrition",
    "wfa.severely_underweight",
    "hfa.severely_stunted",
)
_FINDINGS_TEXT = {
    "absent": (
        "Ibu lupa jadwal posyandu, diingatkan untuk datang bulan depan.",
        "Anak sedang batuk pilek, disarankan ke Pustu bila tidak membaik.",
        "Keluarga baru pulang dari luar kota, sudah diingatkan jadwal posyandu.",
    ),
    "problem": (
        "Konseling pemberian makan; ibu diberi contoh menu pangan lokal.",
        "Anak mau makan, ibu diingatkan memberi PMT sampai habis.",
        "Diingatkan kontrol ke Pustu sesuai surat rujukan.",
    ),
    "newborn": ("Bayi menyusu kuat, tali pusat kering, tidak ada tanda bahaya.",),
    "postpartum": ("Ibu sehat, ASI lancar, sudah mendapat vitamin A nifas.",),
    "elderly_homebound": ("Lansia di rumah saja, tekanan darah diukur, obat diminum teratur.",),
}


def _outcome(rng: random.Random) -> str:
    return rng.choices(
        (HomeVisit.Outcome.MET, HomeVisit.Outcome.NOT_HOME, HomeVisit.Outcome.MOVED),
        weights=(78, 20, 2),
    )[0]


def _home_visit(
    site: Site,
    rng: random.Random,
    window: Window,
    person: Resident,
    on: dt.date,
    reasons: list[str],
) -> HomeVisit | None:
    if on > window.as_of:
        return None
    outcome = _outcome(rng)
    text_key = reasons[0] if reasons[0] in _FINDINGS_TEXT else "problem"
    home = HomeVisit(
        uuid=new_uuid(rng),
        person=person.person,
        kader=site.kader_user,
        visited_on=on,
        reasons=reasons,
        findings=rng.choice(_FINDINGS_TEXT[text_key]) if outcome == HomeVisit.Outcome.MET else "",
        outcome=outcome,
    )
    return stamp(home, local_time(on, 16, rng.randint(0, 59)))


def _weigh_at_home(
    site: Site,
    rng: random.Random,
    window: Window,
    child: Resident,
    home: HomeVisit,
    records: Records,
) -> None:
    """Weigh a child met at home: a home visit with its measurement."""
    at = local_time(home.visited_on, 15, rng.randint(0, 59))
    visit = Visit(
        uuid=new_uuid(rng),
        person=child.person,
        posyandu=site.posyandu,
        date=home.visited_on,
        place=Visit.Place.HOME,
        registered_at=at,
        measured_at=at + dt.timedelta(minutes=5),
        recorded_at=at + dt.timedelta(minutes=8),
        created_by=site.kader_user,
    )
    stamp(visit, at, at + dt.timedelta(minutes=8))
    values = child_values(child, home.visited_on, window.month_index(home.visited_on), rng)
    records.visits.append(visit)
    records.measurements.append(
        new_measurement(site, rng, child, visit, {"weight_kg": values["weight_kg"]})
    )
    home.visit = visit


def _newborn_visits(
    rng: random.Random, window: Window, residents: list[Resident]
) -> list[tuple[Resident, dt.date, list[str]]]:
    """Return first-week visits to newborns (KN) and their mothers (KF)."""
    planned = []
    for child in residents:
        if child.mother is None or child.birth < window.start:
            continue
        on = child.birth + dt.timedelta(days=rng.randint(1, 7))
        if rng.random() < 0.65:
            planned.append((child, on, ["newborn"]))
        if rng.random() < 0.55:
            planned.append((child.mother, on, ["postpartum"]))
    return planned


def _elderly_visits(
    rng: random.Random, window: Window, residents: list[Resident]
) -> list[tuple[Resident, dt.date, list[str]]]:
    """Return quarterly visits to some of the oldest, who can no longer come."""
    planned = []
    starts = window.month_starts[-12::3]
    for person in residents:
        if person.age_days(window.as_of) >= 75 * DAYS_PER_YEAR and rng.random() < 0.2:
            for first in starts:
                on = first + dt.timedelta(days=rng.randint(9, 24))
                planned.append((person, on, ["elderly_homebound"]))
    return planned


def home_visits(
    site: Site,
    rng: random.Random,
    window: Window,
    residents: list[Resident],
    findings: list[Finding],
    records: Records,
) -> None:
    """Add the home visits of a posyandu (and the weighings done there) to `records`."""
    planned: list[tuple[Resident, dt.date, list[str]]] = []
    for person, day in records.absences:
        if rng.random() < 0.25:
            planned.append((person, day.date + dt.timedelta(days=rng.randint(2, 10)), ["absent"]))
    for finding in findings:
        reasons = [code for code in PROBLEM_REASONS if code in finding.findings]
        if reasons and rng.random() < 0.4:
            on = finding.measurement.date + dt.timedelta(days=rng.randint(3, 14))
            planned.append((finding.resident, on, reasons))
    planned.extend(_newborn_visits(rng, window, residents))
    planned.extend(_elderly_visits(rng, window, residents))
    for person, on, reasons in planned:
        home = _home_visit(site, rng, window, person, on, reasons)
        if home is None:
            continue
        records.home_visits.append(home)
        child_met = person.child is not None and home.outcome == HomeVisit.Outcome.MET
        if child_met and person.age_days(on) < 5 * DAYS_PER_YEAR and rng.random() < 0.5:
            _weigh_at_home(site, rng, window, person, home, records)


def _session(site: Site, rng: random.Random, kind: str, on: dt.date, topic: str) -> ClassSession:
    bidan = site.bidan_user.get_full_name() if site.bidan_user is not None else ""
    session = ClassSession(
        uuid=new_uuid(rng),
        kind=kind,
        posyandu=site.posyandu,
        date=on,
        topic=topic,
        facilitator=f"Bidan {bidan}".strip(),
    )
    return stamp(session, local_time(on, 12, rng.randint(0, 59)))


def classes(
    site: Site, rng: random.Random, window: Window, residents: list[Resident], records: Records
) -> None:
    """Add a series of pregnancy classes and a few under-five classes, with attendance."""
    series_start = window.as_of - dt.timedelta(days=rng.randint(35, 60))
    for week, topic in enumerate(names.CLASS_TOPICS["ibu_hamil"]):
        on = series_start + dt.timedelta(weeks=week)
        if on <= window.as_of:
            session = _session(site, rng, ClassSession.Kind.IBU_HAMIL, on, topic)
            pregnant = [w for w in residents if active_pregnancy(w, on) is not None]
            _attend(rng, session, pregnant, 0.7, records)
    for months_back in range(1, min(window.months, 12), 4):
        on = window.month_starts[-1 - months_back] + dt.timedelta(days=rng.randint(14, 25))
        topic = rng.choice(names.CLASS_TOPICS["ibu_balita"])
        session = _session(site, rng, ClassSession.Kind.IBU_BALITA, on, topic)
        mothers = {
            id(c.mother): c.mother
            for c in residents
            if c.mother is not None and 0 <= c.age_days(on) < 2 * DAYS_PER_YEAR
        }
        _attend(rng, session, list(mothers.values()), 0.4, records)


def _attend(
    rng: random.Random,
    session: ClassSession,
    invited: list[Resident],
    share: float,
    records: Records,
) -> None:
    records.classes.append(session)
    records.attendance.extend(
        ClassAttendance(session=session, person=person.person)
        for person in invited
        if rng.random() < share
    )
