"""Lay a report out as sheets of tables, once, for both the xlsx and the PDF writer.

A cell is text, an int (a count), a `Pct` (a percentage, 0-100), a `Kg` (a weight), a date or
None (empty). Header rows are lists of (text, column span).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.text import slugify
from django.utils.translation import gettext as _

from posyandu.pws.present import month_label
from posyandu.pws.selectors import Reading
from posyandu.reports import labels
from posyandu.reports.selectors import PosyanduReport, PuskesmasReport


class Pct(float):
    """A percentage (0-100)."""


class Kg(float):
    """A weight in kilograms."""


Cell = str | int | float | dt.date | None
HeadRow = list[tuple[str, int]]


@dataclass
class Table:
    title: str
    head: list[HeadRow]
    rows: list[list[Cell]]
    widths: list[int]  # in characters
    styles: list[str] = field(default_factory=list)  # per row: "", "subtotal" or "total"
    note: str = ""


@dataclass
class Sheet:
    name: str  # the xlsx sheet name (31 characters at most)
    tables: list[Table]


@dataclass
class Document:
    title: str
    header: list[tuple[str, str]]  # (label, value) lines above the tables
    sheets: list[Sheet]
    filename: str  # a slug, without the extension


def _number(value: float | None, kind: str) -> Cell:
    if value is None:
        return None
    if kind == "ratio":
        return Pct(round(value, 1))
    if kind == "median":
        return float(round(value, 1))
    return int(value)


def reading_cell(reading: Reading | None) -> Cell:
    if reading is None:
        return None
    return _number(reading.value, reading.definition.kind)


def posyandu_document(report: PosyanduReport, printed: str) -> Document:
    """Return the sheets of the posyandu report: SKDN recap, indicators, register (if allowed)."""
    month = month_label(report.month)
    duty = (
        ", ".join(report.kaders_on_duty)
        if report.kaders_on_duty
        else str(report.kaders_on_duty_count)
    )
    days = ", ".join(f"{d:%d}" for d in report.service_days) or "–"
    header = [
        (_("Posyandu"), report.posyandu.name),
        (_("Village"), report.desa),
        (_("Pustu"), report.pustu),
        (_("Puskesmas"), report.puskesmas),
        (_("Month"), month),
        (_("Service days held"), f"{len(report.service_days)} ({days})"),
        (_("Active kader"), str(report.kaders_active)),
        (_("Kader on duty"), duty),
        (_("Printed"), printed),
    ]
    sheets = [
        Sheet(_("SKDN recap")[:31], [_skdn_table(report)]),
        Sheet(_("Indicators")[:31], _indicator_tables(report)),
    ]
    if report.register is not None:
        sheets.append(Sheet(_("Under-five register")[:31], [_register_table(report)]))
    title = _("Monthly report of Posyandu %(name)s, %(month)s") % {
        "name": report.posyandu.name,
        "month": month,
    }
    name = slugify(f"laporan posyandu {report.posyandu.name} {report.month:%Y-%m}")
    return Document(title, header, sheets, name)


def _skdn_table(report: PosyanduReport) -> Table:
    skdn = report.skdn
    bands = skdn.bands
    head: list[HeadRow] = [
        [(_("Code"), 1), (_("Indicator"), 1)]
        + [(labels.band_label(lo, hi), 2) for lo, hi in bands]
        + [(_("All ages"), 2), (_("Total"), 1)],
        [("", 1), ("", 1)]
        + [(labels.sex_short(s), 1) for _b in bands for s in ("M", "F")]
        + [(labels.sex_short("M"), 1), (labels.sex_short("F"), 1), ("", 1)],
    ]
    rows: list[list[Cell]] = []
    for row in skdn.rows:
        name = labels.indicator(row.code)
        code = labels.short(row.code) + (" (%)" if row.kind == "ratio" else "")
        rows.append(
            [
                code,
                name,
                *(_number(c, row.kind) for c in row.cells),
                *(_number(c, row.kind) for c in row.by_sex),
                _number(row.total, row.kind),
            ]
        )
    note = _(
        "Split by age (completed months on the month's last day) and sex computed from the "
        "posyandu's records with the PWS rules; the Total column is the PWS monthly recap."
    )
    if not skdn.reconciles:
        note += " " + _("The split does not add up to the recap: the recap is being updated.")
    widths = [8, 34, *([7] * (2 * len(bands) + 2)), 8]
    return Table(_("SKDN recap"), head, rows, widths, note=note)


def _indicator_tables(report: PosyanduReport) -> list[Table]:
    tables = []
    head: list[HeadRow] = [
        [(_("Indicator"), 1), (_("Numerator"), 1), (_("Denominator"), 1), (_("Value"), 1)]
    ]
    for group, readings in report.sections:
        rows: list[list[Cell]] = []
        for r in readings:
            ratio = r.definition.kind != "count"
            rows.append(
                [
                    labels.indicator(r.definition.code),
                    r.tally.numerator if ratio else None,
                    r.tally.denominator if ratio else None,
                    reading_cell(r),
                ]
            )
        tables.append(Table(labels.group(group), head, rows, [60, 14, 14, 14]))
    dose_rows: list[list[Cell]] = [[labels.vaccine_short(d.vaccine), d.count] for d in report.doses]
    tables.append(
        Table(
            _("Immunisation doses given this month"),
            [[(_("Antigen"), 1), (_("Doses"), 1)]],
            dose_rows or [[_("No doses recorded"), None]],
            [60, 14],
        )
    )
    return tables


def _register_table(report: PosyanduReport) -> Table:
    months = [labels.month_short(m) for m in range(1, 13)]
    head: list[HeadRow] = [
        [
            (_("No."), 1),
            (_("Name"), 1),
            (_("M/F"), 1),
            (_("Date of birth"), 1),
            (_("Mother"), 1),
        ]
        + [(m, 2) for m in months]
        + [(_("Immunisations"), 1)],
        [("", 1)] * 5 + [(_("kg"), 1), ("N/T", 1)] * 12 + [("", 1)],
    ]
    rows: list[list[Cell]] = []
    for i, r in enumerate(report.register or [], start=1):
        cells: list[Cell] = [i, r.name, labels.sex_short(r.sex), r.birth_date, r.mother]
        for weight, mark in zip(r.weights, r.marks, strict=True):
            cells += [None if weight is None else Kg(weight), mark or None]
        cells.append(", ".join(labels.vaccine_short(v) for v in r.vaccines))
        rows.append(cells)
    widths = [4, 22, 3, 10, 18, *([5, 3] * 12), 35]
    note = _("N: up, T: not up, O: not weighed last month, B: first weighing.")
    return Table(_("Register of infants and under-fives"), head, rows, widths, note=note)


def puskesmas_document(report: PuskesmasReport, printed: str) -> Document:
    """Return the sheets of the Puskesmas recap: one line per posyandu, subtotals, total."""
    month = month_label(report.month)
    header = [
        (_("Puskesmas"), report.puskesmas.name),
        (_("Month"), month),
        (_("Posyandu"), str(sum(1 for line in report.lines if line.kind == "posyandu"))),
        (_("Printed"), printed),
    ]
    codes = report.codes
    head: list[HeadRow] = [
        [(_("Posyandu"), 1), (_("Village"), 1)]
        + [(labels.short(c) + (" (%)" if _kind(report, c) == "ratio" else ""), 1) for c in codes]
        + [(_("Doses given"), 1)]
    ]
    rows: list[list[Cell]] = []
    styles = []
    for line in report.lines:
        name = line.name
        if line.kind == "pustu":
            name = _("Subtotal Pustu %(name)s") % {"name": line.name}
        elif line.kind == "total":
            name = _("Total Puskesmas %(name)s") % {"name": line.name}
        rows.append(
            [name, line.desa, *(reading_cell(line.readings.get(c)) for c in codes), line.doses]
        )
        styles.append(
            "" if line.kind == "posyandu" else ("subtotal" if line.kind == "pustu" else "total")
        )
    legend = "; ".join(labels.indicator(c) for c in codes if labels.short(c) != labels.indicator(c))
    recap = Table(
        _("SKDN recap and key indicators per posyandu"),
        head,
        rows,
        [26, 16, *(5 if c in labels.SKDN_SHORT else 9 for c in codes), 8],
        styles,
        note=legend,
    )
    dose_rows: list[list[Cell]] = [[labels.vaccine_short(d.vaccine), d.count] for d in report.doses]
    doses = Table(
        _("Immunisation doses given this month"),
        [[(_("Antigen"), 1), (_("Doses"), 1)]],
        dose_rows or [[_("No doses recorded"), None]],
        [60, 14],
    )
    title = _("Monthly report of Puskesmas %(name)s, %(month)s") % {
        "name": report.puskesmas.name,
        "month": month,
    }
    return Document(
        title,
        header,
        [Sheet(_("SKDN recap")[:31], [recap]), Sheet(_("Indicators")[:31], [doses])],
        slugify(f"laporan puskesmas {report.puskesmas.name} {report.month:%Y-%m}"),
    )


def _kind(report: PuskesmasReport, code: str) -> str:
    for line in report.lines:
        if code in line.readings:
            return line.readings[code].definition.kind
    return "count"
