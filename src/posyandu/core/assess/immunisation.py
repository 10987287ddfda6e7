"""List the programme immunisations a child under five is due, overdue or has missed.

The rule (ASSESS.md, "Immunisation"; KMK No. HK.01.07/MENKES/1098/2024 tentang Jenis dan
Jadwal Imunisasi Program, amended by KMK No. HK.01.07/MENKES/35/2025):

    For children under 60 months only (from 60 months nothing is listed). Rules, on as_of:
    - doses dated after as_of are ignored; a dose already given is not listed; in a series
      only the dose after the highest-numbered dose given is considered (later doses wait for
      it; an earlier gap is taken as given but unrecorded);
    - due date = birth date + scheduled months (calendar), but for a series dose never
      earlier than 28 days after the previous dose of that series was given;
    - not listed before its due date; due from the due date up to the day before due date
      + 1 calendar month; overdue from due date + 1 calendar month;
    - hb0 is due on days 0-7 of life and missed from day 8; bcg is missed from the first
      birthday (12 completed months); a missed dose is listed with status missed;
    - immunizations_due is sorted by vaccine code; any overdue dose adds the finding
      immunization.overdue.

Every vaccine, month, series, interval and limit comes from the `immunisation_schedule` rule
version passed in (data/rules/immunisation_schedule.toml); nothing is hard-coded here.

Readings where the text is silent:
- A series' first dose has no previous dose, so only its scheduled month sets its due date.
- Any given dose of a series, the first included, spaces the next one by the interval; the
  spacing counts from the latest recorded date of the highest-numbered dose given.
- Spacing applies within a series only: hb0 does not delay dpt_hb_hib1.
- A dose given late is still given: hb0 given on day 10 is simply not listed.
- A code that some version of the schedule knows but the applied version lacks (pcv1 under
  the 2017 schedule) is accepted and ignored; a code no version knows is an InputError.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from posyandu.core.dates import Age, add_months
from posyandu.core.errors import InputError, RulesError
from posyandu.core.rulebook import RuleVersion, family_versions

DoseStatus = Literal["due", "overdue", "missed"]

_OVERDUE_FINDING = "immunization.overdue"


class DueDose(NamedTuple):
    """One dose to show on the due list: its code, status and the day it fell due.

    A NamedTuple: immutable, and cheaper to make than a frozen dataclass (one per dose listed).
    """

    vaccine: str
    status: DoseStatus
    due_date: dt.date


@dataclass(frozen=True)
class _Dose:
    """One scheduled dose as read from the rule version."""

    vaccine: str
    month: int
    series: str | None
    number: int
    missed_from_day: int | None
    missed_from_month: int | None
    only_in_provinces: frozenset[str] | None


@dataclass(frozen=True)
class _Schedule:
    """The version-wide parameters and doses of one schedule version."""

    doses: tuple[_Dose, ...]
    standalone: tuple[_Dose, ...]  # the doses of no series, in schedule order
    series: tuple[tuple[_Dose, ...], ...]  # each series' doses by number, first seen first
    age_limit_months: int
    min_interval: dt.timedelta
    overdue_after_months: int
    known_codes: frozenset[str]  # every vaccine code of any version of the family


def immunizations_due(
    *,
    birth_date: dt.date,
    doses: Sequence[tuple[str, dt.date]],
    as_of: dt.date,
    province_code: str | None,
    schedule: RuleVersion,
    age: Age | None = None,
) -> list[DueDose]:
    """Return the doses due, overdue or missed on `as_of`, sorted by vaccine code.

    `doses` are the (vaccine, date) doses given, in input order: an unknown code or a dose
    dated before birth raises InputError naming `immunizations[i].vaccine` or `.date`, where
    i is the position in `doses`. `age`, when the caller has it, is the age on as_of.
    """
    rules = schedule.parsed(_read_schedule)
    given = _given(birth_date, doses, as_of, rules.known_codes)
    if age is None:
        age = Age.between(birth_date, as_of)
    if age.months >= rules.age_limit_months:
        return []
    listed: list[DueDose] = []
    for dose, previous in _next_doses(rules, given):
        if dose.only_in_provinces is not None and province_code not in dose.only_in_provinces:
            continue
        due_date = add_months(birth_date, dose.month)
        if previous is not None:
            due_date = max(due_date, previous + rules.min_interval)
        status = _status(dose, due_date, age, as_of, rules)
        if status is not None:
            listed.append(DueDose(dose.vaccine, status, due_date))
    return sorted(listed, key=_vaccine)


_vaccine = operator.attrgetter("vaccine")  # a sort key called in C, not a Python call per dose


def immunization_findings(due: Sequence[DueDose]) -> list[str]:
    """Return ["immunization.overdue"] when any dose is overdue, else []."""
    return [_OVERDUE_FINDING] if any(d.status == "overdue" for d in due) else []


def _given(
    birth_date: dt.date,
    doses: Sequence[tuple[str, dt.date]],
    as_of: dt.date,
    known: frozenset[str],
) -> dict[str, dt.date]:
    """Return the latest date each vaccine was given on or before `as_of`."""
    given: dict[str, dt.date] = {}
    for index, (vaccine, day) in enumerate(doses):
        if vaccine not in known:
            raise InputError(f"immunizations[{index}].vaccine", f"unknown vaccine code {vaccine!r}")
        if day < birth_date:
            raise InputError(f"immunizations[{index}].date", f"{day.isoformat()} is before birth")
        if day <= as_of and (vaccine not in given or day > given[vaccine]):
            given[vaccine] = day
    return given


def _next_doses(
    rules: _Schedule, given: Mapping[str, dt.date]
) -> Iterator[tuple[_Dose, dt.date | None]]:
    """Yield each dose still to give with the date of the series dose before it, if any."""
    for dose in rules.standalone:
        if dose.vaccine not in given:
            yield dose, None
    for members in rules.series:
        last = -1  # the highest-numbered dose given
        for i, dose in enumerate(members):
            if dose.vaccine in given:
                last = i
        if last < 0:
            yield members[0], None
        elif last + 1 < len(members):
            yield members[last + 1], given[members[last].vaccine]


def _status(
    dose: _Dose, due_date: dt.date, age: Age, as_of: dt.date, rules: _Schedule
) -> DoseStatus | None:
    """Return the status of a dose not yet given on as_of (`age`: the age then), or None
    before its due date."""
    if as_of < due_date:
        return None
    if dose.missed_from_day is not None and age.days >= dose.missed_from_day:
        return "missed"
    if dose.missed_from_month is not None and age.months >= dose.missed_from_month:
        return "missed"
    if as_of >= add_months(due_date, rules.overdue_after_months):
        return "overdue"
    return "due"


def _known_codes(schedule: RuleVersion) -> frozenset[str]:
    """Return every vaccine code of any version of the schedule's family."""
    versions = family_versions(schedule.family)
    return frozenset(str(dose["vaccine"]) for version in versions for dose in version.data["doses"])


def _read_schedule(schedule: RuleVersion) -> _Schedule:
    """Return the schedule held by a rule version, or raise RulesError if it is malformed."""
    data = schedule.data
    try:
        doses = tuple(_read_dose(raw) for raw in data["doses"])
        series: dict[str, list[_Dose]] = {}
        for dose in doses:
            if dose.series is not None:
                series.setdefault(dose.series, []).append(dose)
        return _Schedule(
            doses=doses,
            standalone=tuple(dose for dose in doses if dose.series is None),
            series=tuple(
                tuple(sorted(members, key=lambda dose: dose.number)) for members in series.values()
            ),
            age_limit_months=int(data["age_limit_months"]),
            min_interval=dt.timedelta(days=int(data["min_series_interval_days"])),
            overdue_after_months=int(data["overdue_after_months"]),
            known_codes=_known_codes(schedule),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise RulesError(
            f"rules {schedule.family} {schedule.version}: malformed schedule ({exc!r})"
        ) from exc


def _read_dose(raw: Mapping[str, Any]) -> _Dose:
    """Return one dose entry of the schedule; keys not given are None (standalone, no limit)."""
    provinces = raw.get("only_in_provinces")
    missed_day, missed_month = raw.get("missed_from_day"), raw.get("missed_from_month")
    return _Dose(
        vaccine=str(raw["vaccine"]),
        month=int(raw["month"]),
        series=None if raw.get("series") is None else str(raw["series"]),
        number=int(raw.get("number", 0)),
        missed_from_day=None if missed_day is None else int(missed_day),
        missed_from_month=None if missed_month is None else int(missed_month),
        only_in_provinces=None if provinces is None else frozenset(map(str, provinces)),
    )
