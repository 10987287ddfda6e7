"""Turn readings into what a page or a CSV shows: words, numbers with a decimal comma, looks.

No rule lives here: the values and statuses come from the core (`value`, `judge`, `goal`);
this only formats them in the active language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from posyandu.core.indicators import Definition, Month, goal, spm_coverage, spm_rules
from posyandu.pws import labels
from posyandu.pws.charts import sparkline
from posyandu.pws.selectors import Group, Reading, movement_of
from posyandu.web.labels import Look


def month_label(month: dt.date) -> str:
    """Return the month as its (localised) name and year, e.g. 'Oktober 2026'."""
    # A dashboard names the same twelve months on every card: formatted once per language.
    return _month_label(month, get_language())


@lru_cache(maxsize=256)
def _month_label(month: dt.date, language: str | None) -> str:
    return dateformat.format(month, "F Y")


def indicator_url(code: str, query: str) -> str:
    """Return the address of an indicator's page, keeping the month and level (`query`)."""
    return f"{_indicator_path(code, get_script_prefix())}?{query}"


@lru_cache(maxsize=1024)
def _indicator_path(code: str, prefix: str) -> str:
    # The prefix is part of the key: the path reversed under one is not reused under another.
    return reverse("pws:indicator", args=[code])


def value_text(reading: Reading) -> str:
    """Return the value with its unit: '82,5 %', '12', '6,5 days', or '–' without a value."""
    v, kind = reading.value, reading.definition.kind
    if v is None:
        return "–"
    if kind == "ratio":
        return f"{_number(v, 1)} %"
    if kind == "median":
        return _("%(days)s days") % {"days": _number(v, 1)}
    return _number(v, 0)


def number_text(v: float | None, kind: str) -> str:
    """Return a bare value for a CSV cell: decimal comma, no unit, empty without a value."""
    if v is None:
        return ""
    return _number(v, 1 if kind != "count" else 0)


def _number(v: float, decimals: int) -> str:
    # number_format cuts digits off; round half up first so 66.66 shows as 66,7.
    return number_format(round(v, decimals), decimals)


def fraction_text(reading: Reading) -> str:
    """Return what the value is made of: '33 / 40', 'of 4 referrals', or ''."""
    tally, kind = reading.tally, reading.definition.kind
    if kind == "ratio":
        return f"{tally.numerator} / {tally.denominator}"
    if kind == "median":
        return _("of %(n)s referrals") % {"n": tally.denominator}
    return ""


def target_text(definition: Definition, month: dt.date) -> str:
    """Return the target in words, e.g. 'Target: at least 80 %', or '' without one."""
    target = definition.target
    if target is None:
        return ""
    aim = _number(float(goal(target, month)), 1 if target.prorate else 0)
    unit = " %" if definition.kind == "ratio" else ""
    text = _("Target: %(direction)s %(value)s") % {
        "direction": labels.DIRECTIONS[target.direction],
        "value": f"{aim}{unit}",
    }
    return f"{text} ⚠" if target.unverified else text


def status_look(reading: Reading) -> Look:
    """Return the word, tone and icon of a reading's status ('no data' without a value)."""
    if reading.value is None:
        return labels.NO_DATA
    return labels.STATUSES[reading.status]


def movement_words(reading: Reading, previous: Reading | None) -> tuple[Promise | None, str]:
    """Return the change since last month in words (better/worse when a target says which)."""
    found = movement_of(reading, previous)
    if found is None:
        return None, ""
    better_up, better_down, neutral, icon = labels.MOVEMENTS[found]
    target = reading.definition.target
    if target is None:
        return neutral, icon
    return (better_up if target.direction == "min" else better_down), icon


@dataclass(frozen=True)
class Card:
    """One key indicator on the dashboard."""

    code: str
    label: Promise | str
    value: str
    fraction: str
    target: str
    look: Look
    move: Promise | None
    move_icon: str
    spark: SafeString
    url: str


def card(code: str, series: list[Reading | None], query: str) -> Card:
    """Return the card of `code` whose last reading in `series` is the selected month."""
    current = series[-1]
    if current is None:
        raise ValueError(f"no reading of {code} for the selected month")
    previous = series[-2] if len(series) > 1 else None
    move, icon = movement_words(current, previous)
    target = current.definition.target
    months = [month_label(r.month) if r else "" for r in series]
    summary = _("%(label)s, last 12 months, now %(value)s") % {
        "label": labels.indicator_label(code),
        "value": value_text(current),
    }
    aim = None if target is None else float(goal(target, current.month))
    return Card(
        code=code,
        label=labels.indicator_label(code),
        value=value_text(current),
        fraction=fraction_text(current),
        target=target_text(current.definition, current.month),
        look=status_look(current),
        move=move,
        move_icon=icon,
        spark=sparkline(
            [r.value if r else None for r in series],
            months=months,
            summary=summary,
            target=aim,
            decimals=0 if current.definition.kind == "count" else 1,
        ),
        url=indicator_url(code, query),
    )


def rank_text(position: int, total: int) -> str:
    """Return 'Rank 2 of 5'."""
    return _("Rank %(position)s of %(total)s") % {"position": position, "total": total}


def group_line(group: Group, codes: list[str]) -> SafeString:
    """Return a short line of secondary values of a group, e.g. 'D/S 80 % · N/D 75 %'."""
    parts = [
        format_html("{} {}", _short(code), value_text(group.readings[code]))
        for code in codes
        if code in group.readings
    ]
    return SafeString(" · ".join(parts))


def _short(code: str) -> str:
    label = str(labels.indicator_label(code))
    return label.split(":")[0] if ":" in label else label


@dataclass(frozen=True)
class SpmRow:
    """One SPM basic service on the dashboard: coverage, target population and its source."""

    number: int
    code: str
    label: Promise | str
    value: str
    fraction: str
    source: Promise
    source_note: str
    target: str
    look: Look
    contribution: str
    served_url: str
    target_url: str


def spm_rows(
    readings: Mapping[str, Reading], month: dt.date, estimates: Mapping[str, Any], query: str
) -> list[SpmRow]:
    """Return the SPM block of the month: each service's served persons (year to date) over
    the area's target population (the entered estimate, else the registered persons).

    `readings` holds every indicator of the month, and the SPM rules are checked, when read,
    to name only counts of the indicator rules in force alongside them: each service has both.
    """
    rows = []
    for service in spm_rules(Month.of(month).last).services:
        served, registered = readings[service.numerator], readings[service.registered]
        estimate = estimates.get(service.code)
        found = spm_coverage(
            service,
            served.tally.numerator,
            registered.tally.numerator,
            month,
            None if estimate is None else estimate.number,
        )
        shown = Reading(service.definition, found.tally, month)
        note = ""
        if estimate is not None:
            note = _("%(source)s; registered: %(registered)s") % {
                "source": estimate.source,
                "registered": found.registered,
            }
        rows.append(
            SpmRow(
                number=service.number,
                code=service.code,
                label=labels.spm_label(service.code),
                value=value_text(shown),
                fraction=fraction_text(shown),
                source=labels.SPM_SOURCES[found.source],
                source_note=note,
                target=target_text(service.definition, month),
                look=status_look(shown),
                contribution=service.contribution,
                served_url=indicator_url(service.numerator, query),
                target_url=indicator_url(service.registered, query),
            )
        )
    return rows
