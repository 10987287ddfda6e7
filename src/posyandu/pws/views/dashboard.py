"""The PWS dashboard of the user's area: key indicators with trends, and the league table."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from posyandu.accounts.scope import membership_of
from posyandu.core.indicators import Definition
from posyandu.pws import labels, present
from posyandu.pws.selectors import (
    Area,
    Group,
    Reading,
    area_breakdown,
    area_trend,
    rank,
    rules_for_month,
    trend_months,
)
from posyandu.pws.views.common import (
    area_or_403,
    csv_response,
    level_choices,
    level_of,
    month_choices,
    parse_month,
    query,
)
from posyandu.regions.services import estimate_place, estimates_for

# The values shown beside each place of the league table.
LEAGUE_CODES = ["d_s", "n_d", "prev_stunting", "cov_idl"]
DEFAULT_RANK = "d_s"


def _rank_by(request: HttpRequest, month: dt.date) -> str:
    code = request.GET.get("urut", "")
    return code if code in rules_for_month(month).key_codes else DEFAULT_RANK


def _sections(
    area: Area, month: dt.date, level: str
) -> tuple[list[dict[str, object]], list[Reading]]:
    """Return the key cards by group, and every indicator's reading for the month."""
    rules = rules_for_month(month)
    months = trend_months(month)
    # Twelve months of the key indicators only; every indicator for the month itself.
    trend = area_trend(area, months, rules.key_codes)
    now = area_trend(area, [month], [d.code for d in rules.definitions])
    sections = []
    for group, title in labels.GROUPS.items():
        cards = [
            present.card(code, [trend.get((m, code)) for m in months], query(month, level))
            for code in rules.key_codes
            if rules.by_code[code].group == group
        ]
        if cards:
            sections.append({"title": title, "cards": cards})
    return sections, [now[month, d.code] for d in rules.definitions]


def _league(area: Area, month: dt.date, level: str, rank_by: str) -> list[dict[str, object]]:
    codes = list(dict.fromkeys([rank_by, *LEAGUE_CODES]))
    groups = rank(area_breakdown(area, month, codes, level), rank_by)
    return [
        {
            "rank": present.rank_text(position, len(groups)),
            "name": group.name,
            "value": present.value_text(group.readings[rank_by]),
            "look": present.status_look(group.readings[rank_by]),
            "others": present.group_line(group, [c for c in LEAGUE_CODES if c != rank_by]),
        }
        for position, group in enumerate(groups, start=1)
    ]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Show the key indicators of the user's area for a month, and the league table."""
    area = area_or_403(request)
    month, month_error = parse_month(request.GET.get("bulan"))
    level = level_of(request, area)
    rank_by = _rank_by(request, month)
    sections, everything = _sections(area, month, level)
    rules = rules_for_month(month)
    membership = membership_of(request.user)
    estimates = {} if membership is None else estimates_for(membership, month.year)
    kept = query(month, level)
    context = {
        "area": area,
        "month": month,
        "month_label": present.month_label(month),
        "in_progress": month == timezone.localdate().replace(day=1),
        "month_error": month_error,
        "month_choices": month_choices(month),
        "level": level,
        "level_label": labels.LEVELS[level],
        "level_choices": level_choices(level),
        "rank_choices": [
            {"value": c, "label": labels.indicator_label(c), "selected": c == rank_by}
            for c in rules.key_codes
        ],
        "rank_label": labels.indicator_label(rank_by),
        "sections": sections,
        "table": [_row(r, kept) for r in everything],
        "spm": present.spm_rows({r.definition.code: r for r in everything}, month, estimates, kept),
        "spm_edit": estimate_place(request.user) is not None,
        "league": _league(area, month, level, rank_by),
        "query": kept,
        "league_query": query(month, level, urut=rank_by),
    }
    return render(request, "pws/dashboard.html", context)


def _row(reading: Reading, kept: str) -> dict[str, object]:
    code = reading.definition.code
    return {
        "url": present.indicator_url(code, kept),
        "label": labels.indicator_label(code),
        "value": present.value_text(reading),
        "fraction": present.fraction_text(reading),
        "look": present.status_look(reading),
    }


@login_required
def summary_csv(request: HttpRequest) -> HttpResponse:
    """Download every indicator of the area for the month."""
    area = area_or_403(request)
    month, _error = parse_month(request.GET.get("bulan"))
    codes = [d.code for d in rules_for_month(month).definitions]
    readings = area_trend(area, [month], codes)
    everything = [readings[month, code] for code in codes]
    header = [
        _("Code"),
        _("Indicator"),
        _("Group"),
        _("Month"),
        _("Numerator"),
        _("Denominator"),
        _("Value"),
        _("Target"),
        _("Status"),
        _("Basis"),
    ]
    rows = [_summary_row(r, month) for r in everything]
    return csv_response(f"pws-ringkasan-{month:%Y-%m}.csv", header, rows)


def _summary_row(reading: Reading, month: dt.date) -> list[object]:
    d: Definition = reading.definition
    return [
        d.code,
        labels.indicator_label(d.code),
        labels.GROUPS[d.group],
        f"{month:%Y-%m}",
        reading.tally.numerator,
        reading.tally.denominator if d.kind != "count" else "",
        present.number_text(reading.value, d.kind),
        present.target_text(d, month),
        present.status_look(reading).label,
        d.basis,
    ]


@login_required
def trend_csv(request: HttpRequest) -> HttpResponse:
    """Download the key indicators of the area over the last 12 months."""
    area = area_or_403(request)
    month, _error = parse_month(request.GET.get("bulan"))
    rules = rules_for_month(month)
    months = trend_months(month)
    readings = area_trend(area, months, rules.key_codes)
    header = [_("Code"), _("Indicator"), _("Month"), _("Numerator"), _("Denominator"), _("Value")]
    rows = [
        [
            code,
            labels.indicator_label(code),
            f"{m:%Y-%m}",
            r.tally.numerator,
            r.tally.denominator if r.definition.kind != "count" else "",
            present.number_text(r.value, r.definition.kind),
        ]
        for code in rules.key_codes
        for m in months
        if (r := readings.get((m, code))) is not None
    ]
    return csv_response(f"pws-tren-{month:%Y-%m}.csv", header, rows)


@login_required
def league_csv(request: HttpRequest) -> HttpResponse:
    """Download the league table (every key indicator per place, ranked)."""
    area = area_or_403(request)
    month, _error = parse_month(request.GET.get("bulan"))
    level = level_of(request, area)
    rank_by = _rank_by(request, month)
    codes = list(rules_for_month(month).key_codes)
    groups: list[Group] = rank(area_breakdown(area, month, codes, level), rank_by)
    header = [_("Rank"), labels.LEVELS[level], *(labels.indicator_label(c) for c in codes)]
    rows = [
        [
            i,
            g.name,
            *(
                present.number_text(g.readings[c].value, g.readings[c].definition.kind)
                for c in codes
            ),
        ]
        for i, g in enumerate(groups, start=1)
    ]
    return csv_response(f"pws-peringkat-{month:%Y-%m}.csv", header, rows)
