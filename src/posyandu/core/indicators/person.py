"""One person seen on one month's last day: age, pregnancy, measurements, and her assessment.

The assessment is `posyandu.core.assess` on the month's last day, made only when a counting
rule asks for a class, a trend or a finding (most persons of a month need none), and at most
once per person and month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from posyandu.core.assess import Assessment, AssessmentInput, MeasurementRecord, Person, assess
from posyandu.core.dates import Age
from posyandu.core.errors import CoreError
from posyandu.core.indicators.model import Month, PersonFacts, PregnancyFacts

Holds = Callable[[MeasurementRecord], bool]
# assess checks a gestational age up to 45 weeks; a longer count is a data slip, capped.
_MAX_GESTATIONAL_WEEKS = 45


class PersonMonth:
    """A person's facts read on `month.last`, with her assessment made on demand."""

    def __init__(self, facts: PersonFacts, month: Month, pregnancy_max_weeks: int) -> None:
        self.facts = facts
        self.month = month
        self.age = Age.between(facts.birth_date, month.last)
        self.pregnancy = ongoing_pregnancy(facts.pregnancies, month.last, pregnancy_max_weeks)
        self._assessment: Assessment | None = None
        self._assessed = False

    @cached_property
    def counted(self) -> bool:
        """Return whether the person belongs to the month: born and known by its last day."""
        return self.facts.birth_date <= self.month.last and self.facts.known_from <= self.month.last

    def measured(self, holds: Holds, since: dt.date | None = None) -> bool:
        """Return whether a measurement from `since` (default: the month's first day) to the
        month's last day holds what `holds` asks for."""
        start = self.month.first if since is None else since
        return any(start <= m.date <= self.month.last and holds(m) for m in self.facts.measurements)

    def wants_assessment(self, adult_min_years: int) -> bool:
        """Return whether a counting rule is likely to ask for the assessment this month.

        Only a hint for assessing persons in one batch: a person left out is still assessed
        on demand, so the hint may be wrong without changing any number.
        """
        if not self.counted:
            return False
        if self.age.years < adult_min_years:
            # This month's measurements, or an Hb of the year (adolescent anaemia screening).
            return self.measured(lambda m: True) or self.measured(
                lambda m: m.hb_g_dl is not None, since=self.month.year_start
            )
        since = self.month.year_start
        if self.pregnancy is not None:
            since = min(since, self.pregnancy.start)
        return self.measured(lambda m: True, since=since)

    def prime(self, assessment: Assessment | None) -> None:
        """Set the assessment made in a batch (None: it could not be made)."""
        self._assessment, self._assessed = assessment, True

    def assessment_input(self) -> AssessmentInput:
        """Return the assess input of this person on the month's last day."""
        return self._input()

    def assessment(self) -> Assessment | None:
        """Return the assessment on the month's last day, or None when the facts cannot be
        assessed (an input error): such a person counts only where no assessment is needed."""
        if not self._assessed:
            self._assessed = True
            try:
                self._assessment = assess(self._input())
            except CoreError:
                self._assessment = None
        return self._assessment

    def findings(self) -> frozenset[str]:
        """Return the assessment's findings (empty when it could not be made)."""
        found = self.assessment()
        return frozenset() if found is None else frozenset(found.findings)

    def growth_class(self, indicator: str) -> str | None:
        """Return the class of a growth indicator, or None when it was not computed."""
        found = self.assessment()
        status = None if found is None else found.growth.get(indicator)
        return None if status is None else status.class_code

    def _input(self) -> AssessmentInput:
        facts, as_of = self.facts, self.month.last
        delivered = [
            p.delivery_date
            for p in facts.pregnancies
            if p.delivery_date is not None and p.delivery_date <= as_of
        ]
        weeks = None
        if self.pregnancy is not None and self.pregnancy.last_menstrual_period is not None:
            days = (as_of - self.pregnancy.last_menstrual_period).days
            weeks = min(max(days // 7, 0), _MAX_GESTATIONAL_WEEKS)
        person = Person(
            sex=facts.sex,
            birth_date=facts.birth_date,
            pregnant=self.pregnancy is not None,
            gestational_weeks=weeks,
            delivery_date=max(delivered) if delivered and facts.sex == "F" else None,
            smoker=facts.smoker,
            province_code=facts.province_code,
        )
        # Records before birth are impossible (assess rejects them); the schedule is not used
        # by any indicator (coverage counts the doses themselves), so doses are left out.
        records = tuple(m for m in facts.measurements if facts.birth_date <= m.date <= as_of)
        return AssessmentInput(as_of=as_of, person=person, id=facts.id, measurements=records)


def ongoing_pregnancy(
    pregnancies: tuple[PregnancyFacts, ...], as_of: dt.date, max_weeks: int
) -> PregnancyFacts | None:
    """Return the pregnancy going on at `as_of` (the latest registered), or None.

    It runs from registration to the delivery date; without one it ends `max_weeks` after its
    start; one with an outcome but no date has ended at an unknown time and is not counted.
    """
    for pregnancy in sorted(pregnancies, key=lambda p: p.registered_on, reverse=True):
        if pregnancy.registered_on > as_of:
            continue
        if pregnancy.delivery_date is not None:
            if pregnancy.delivery_date > as_of:
                return pregnancy
            continue
        if pregnancy.outcome:
            continue
        if as_of < pregnancy.start + dt.timedelta(weeks=max_weeks):
            return pregnancy
    return None
