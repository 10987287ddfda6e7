"""Turn a person, her history and her assessment into what the pages show (words, tones).

No clinical decision is taken here: stages, classes, trend, findings, doses, services and
referral all come from the core's assessment; this module only finds their words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from posyandu.core.assess import Assessment
from posyandu.core.assess.assess import rules_for
from posyandu.core.assess.stages import life_stages
from posyandu.core.dates import DAYS_PER_MONTH, Age
from posyandu.core.growth.classify import growth_class_rules
from posyandu.registry.chart import growth_chart
from posyandu.registry.mappers import gestational_weeks, open_pregnancy, person_to_core
from posyandu.registry.models import Person, Pregnancy
from posyandu.registry.selectors import PersonHistory
from posyandu.web.labels import (
    DOSE_STATUSES,
    INDICATORS,
    TRENDS,
    age_text,
    class_look,
    finding_look,
    stage_words,
    vaccine_label,
)

BY = {"kader": _("by the kader"), "nakes": _("by the midwife or nurse")}
CHART_TITLES = {
    "wfa": _("Weight-for-age"),
    "hfa": _("Length/height-for-age"),
}
CHART_AXES = {"wfa": _("Weight (kg)"), "hfa": _("Length/height (cm)")}
# The growth standards the chart draws (WHO 2006) cover the first 60 months.
CHART_MAX_MONTHS = 60


@dataclass(frozen=True)
class Row:
    """One person in a list: name, age and stage badges."""

    person: Person
    age: str
    stages: list[str]


def person_row(person: Person, pregnancies: list[Pregnancy], today: dt.date) -> Row:
    """Return a list row of the person, her age and stages today."""
    core = person_to_core(person, pregnancies, today)
    stages = life_stages(core, today, rules_for(today).family("stages"))
    return Row(person, age_text(Age.between(person.birth_date, today)), stage_words(stages))


def growth_rows(assessment: Assessment) -> list[dict[str, Any]]:
    """Return each growth indicator with its class in words, tone and icon."""
    rows = []
    for indicator, label in INDICATORS.items():
        status = assessment.growth.get(indicator)
        if status is not None:
            rows.append(
                {
                    "indicator": label,
                    "look": class_look(status.class_code),
                    "value": status.value,
                    "is_muac": indicator == "muac",
                }
            )
    return rows


def card_context(
    person: Person, history: PersonHistory, assessment: Assessment, today: dt.date
) -> dict[str, Any]:
    """Return the person card's context: identity, stages, growth, findings, what is due."""
    reasons = set(assessment.referral_reasons)
    pregnancy = open_pregnancy(history.pregnancies, today)
    return {
        "person": person,
        "age": age_text(assessment.age),
        "stages": stage_words(assessment.stages),
        "stage_codes": assessment.stages,
        "pregnancy": pregnancy,
        "gestational_weeks": gestational_weeks(pregnancy, today),
        "growth": growth_rows(assessment),
        "trend": TRENDS.get(assessment.weight_trend or ""),
        "findings": [
            {"look": finding_look(code, refers=code in reasons), "basis": assessment.basis[code]}
            for code in assessment.findings
        ],
        "doses": [
            {"label": vaccine_label(d.vaccine), "look": DOSE_STATUSES[d.status], "due": d.due_date}
            for d in sorted(assessment.immunizations_due, key=lambda d: (d.due_date, d.vaccine))
        ],
        "services": [{"label": s.label, "by": BY.get(s.by, s.by)} for s in assessment.services_due],
        "refer": assessment.refer,
        "reasons": [finding_look(code, refers=True).label for code in assessment.referral_reasons],
        "rules_version": assessment.rules_version,
        "charts": charts(person, history, today),
        "measurements": list(reversed(history.measurements))[:12],
        "history": history,
    }


def charts(person: Person, history: PersonHistory, today: dt.date) -> list[dict[str, Any]]:
    """Return the weight- and length/height-for-age charts of a child (none for adults)."""
    age_days = [(m.date - person.birth_date).days for m in history.measurements]
    if Age.between(person.birth_date, today).months >= CHART_MAX_MONTHS and not any(
        d / DAYS_PER_MONTH <= CHART_MAX_MONTHS for d in age_days
    ):
        return []
    classes = growth_class_rules(today).z_bands
    out = []
    for indicator, attribute in (("wfa", "weight_kg"), ("hfa", "lenhei_cm")):
        bands = classes[("0-59m", indicator)]
        chart = growth_chart(
            indicator=indicator,
            sex=person.sex,
            bands=_bands(bands.codes, bands.bounds),
            measurements=[
                (m.date.strftime("%d/%m/%Y"), (m.date - person.birth_date).days, float(value))
                for m in history.measurements
                if (value := getattr(m, attribute)) is not None
            ],
        )
        out.append(
            {
                "chart": chart,
                "title": CHART_TITLES[indicator],
                "axis": CHART_AXES[indicator],
                "bands": [(band, class_look(band.class_code)) for band in chart.bands],
                "unit": "kg" if indicator == "wfa" else "cm",
            }
        )
    return out


def _bands(
    codes: tuple[str, ...], bounds: tuple[float, ...]
) -> list[tuple[str, float | None, float | None]]:
    edges: list[float | None] = [None, *bounds, None]
    return [(code, edges[i], edges[i + 1]) for i, code in enumerate(codes)]
