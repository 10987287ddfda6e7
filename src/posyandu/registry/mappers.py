"""Rows ↔ core: turn a person and her recorded facts into the core's `AssessmentInput`.

No rule lives here: the mapping only reads what is recorded (a pregnancy not yet delivered,
the last menstrual period, the latest delivery) and hands it to `posyandu.core.assess`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, cast

from posyandu.core.assess import AssessmentInput, Dose, MeasurementRecord
from posyandu.core.assess import Person as CorePerson
from posyandu.core.errors import RulesError
from posyandu.core.indicators.model import PregnancyFacts
from posyandu.core.indicators.person import ongoing_pregnancy
from posyandu.core.indicators.rules import all_indicator_rules, indicator_rules
from posyandu.registry.models import Person, Pregnancy

if TYPE_CHECKING:
    from posyandu.registry.selectors import PersonHistory
    from posyandu.visits.models import ImmunizationGiven, Measurement

# The core accepts gestational weeks 0-45; beyond that the delivery was not recorded.
_MAX_GESTATIONAL_WEEKS = 45


def _number(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def open_pregnancy(pregnancies: Iterable[Pregnancy], as_of: dt.date) -> Pregnancy | None:
    """Return the pregnancy going on at as_of, by the same rule as the PWS counts it.

    Registered on/before as_of and not delivered by then; one with an outcome but no date has
    ended; one never closed ends `pregnancy_max_weeks` after its start (indicator rules).
    """
    rows = list(pregnancies)
    facts = tuple(
        PregnancyFacts(p.registered_on, p.last_menstrual_period, p.delivery_date, p.outcome)
        for p in rows
    )
    ongoing = ongoing_pregnancy(facts, as_of, _pregnancy_max_weeks(as_of))
    return None if ongoing is None else rows[facts.index(ongoing)]


def _pregnancy_max_weeks(as_of: dt.date) -> int:
    try:
        rules = indicator_rules(as_of)
    except RulesError:  # a date before the first version: its earliest reading applies
        rules = all_indicator_rules()[0]
    return rules.params.pregnancy_max_weeks


def _latest_delivery(pregnancies: Iterable[Pregnancy], as_of: dt.date) -> dt.date | None:
    dates = [p.delivery_date for p in pregnancies if p.delivery_date and p.delivery_date <= as_of]
    return max(dates, default=None)


def gestational_weeks(pregnancy: Pregnancy | None, as_of: dt.date) -> int | None:
    """Return the completed weeks since the last menstrual period (None when not plausible)."""
    if pregnancy is None or pregnancy.last_menstrual_period is None:
        return None
    weeks = (as_of - pregnancy.last_menstrual_period).days // 7
    return weeks if 0 <= weeks <= _MAX_GESTATIONAL_WEEKS else None


def person_to_core(person: Person, pregnancies: Sequence[Pregnancy], as_of: dt.date) -> CorePerson:
    """Return the core's Person: sex, birth date, pregnancy, delivery, smoking, province."""
    pregnancy = open_pregnancy(pregnancies, as_of) if person.sex == "F" else None
    region_code = person.posyandu.region.code
    return CorePerson(
        sex=cast(Literal["M", "F"], person.sex),
        birth_date=person.birth_date,
        # No open pregnancy recorded is "not known to be pregnant", never a guess of "no".
        pregnant=True if pregnancy is not None else None,
        gestational_weeks=gestational_weeks(pregnancy, as_of),
        delivery_date=_latest_delivery(pregnancies, as_of) if person.sex == "F" else None,
        smoker=person.smoker,
        province_code=region_code[:2] if region_code else None,
    )


def measurement_to_record(row: Measurement) -> MeasurementRecord:
    """Return the core's record of one measurement row, field by field."""
    lenhei = _number(row.lenhei_cm)
    standing = row.measure == "h"
    return MeasurementRecord(
        date=row.date,
        weight_kg=_number(row.weight_kg),
        length_cm=None if standing else lenhei,
        height_cm=lenhei if standing else None,
        measure=cast(Literal["l", "h"], row.measure) if row.measure else None,
        headc_cm=_number(row.headc_cm),
        muac_cm=_number(row.muac_cm),
        oedema=row.oedema,
        waist_cm=_number(row.waist_cm),
        sbp_mmhg=_number(row.sbp_mmhg),
        dbp_mmhg=_number(row.dbp_mmhg),
        glucose_mg_dl=_number(row.glucose_mg_dl),
        glucose_kind=(
            cast(Literal["random", "fasting"], row.glucose_kind) if row.glucose_kind else None
        ),
        hb_g_dl=_number(row.hb_g_dl),
    )


def immunization_to_dose(row: ImmunizationGiven) -> Dose:
    """Return the core's dose of one immunisation row."""
    return Dose(vaccine=row.vaccine, date=row.date)


def person_to_assessment_input(
    person: Person, history: PersonHistory, as_of: dt.date
) -> AssessmentInput:
    """Return the AssessmentInput of a person on `as_of` from her current recorded facts.

    Facts dated after as_of are left out; same-day rows keep their recorded order, so the
    later one wins as the core expects of a correction.
    """
    measurements = sorted(
        (m for m in history.measurements if m.date <= as_of), key=lambda m: (m.date, m.pk)
    )
    doses = sorted(
        (d for d in history.immunizations if d.date <= as_of), key=lambda d: (d.date, d.pk)
    )
    return AssessmentInput(
        as_of=as_of,
        person=person_to_core(person, history.pregnancies, as_of),
        id=str(person.uuid),
        measurements=tuple(measurement_to_record(m) for m in measurements),
        immunizations=tuple(immunization_to_dose(d) for d in doses),
    )
