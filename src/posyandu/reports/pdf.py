"""Write a report `Document` as a PDF (reportlab, A4 landscape): the header block, every table
with its header rows repeated on each page, "Printed <when> by <whom>" and "page x of y".

The font is Bitstream Vera, shipped inside the reportlab wheel (no system font needed); it
covers the Latin letters and punctuation of Indonesian text.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any

import reportlab
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from posyandu.reports.tables import Cell, Document, Kg, Pct
from posyandu.reports.tables import Table as ReportTable

FONT, BOLD = "ReportVera", "ReportVera-Bold"
_FONTS = Path(reportlab.__file__).parent / "fonts"
_PAGE = landscape(A4)
_MARGIN = 12 * mm
# Characters the font lacks, replaced by their plain forms.
_PLAIN = str.maketrans({"−": "-", "≥": ">=", "≤": "<=", "⚠": "!"})


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))


def _style(size: float, bold: bool = False, **more: Any) -> ParagraphStyle:
    return ParagraphStyle(
        f"r{size}{bold}", fontName=BOLD if bold else FONT, fontSize=size, leading=size * 1.2, **more
    )


def _text(value: object) -> str:
    return str(value).translate(_PLAIN)


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Pct):
        return f"{float(value):.1f}".replace(".", ",")
    if isinstance(value, Kg):
        return f"{float(value):.1f}".replace(".", ",")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return _text(value)


def write_pdf(document: Document, footer: str) -> bytes:
    """Return the PDF's bytes; `footer` is the "printed ... by ..." line of every page."""
    _fonts()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=_PAGE,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN + 4 * mm,
        title=_text(document.title),
        author=_text(footer),
    )
    story: list[Flowable] = [
        Paragraph(_text(document.title), _style(13, bold=True)),
        Spacer(0, 3 * mm),
    ]
    story.append(_header_block(document))
    width = _PAGE[0] - 2 * _MARGIN
    for sheet in document.sheets:
        for table in sheet.tables:
            story.append(Spacer(0, 5 * mm))
            story.extend(_table(table, width))
    page_words = _("Page %(page)s of %(pages)s")

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        return _NumberedCanvas(*args, footer=_text(footer), page_words=page_words, **kwargs)

    doc.build(story, canvasmaker=make_canvas)
    return out.getvalue()


def _header_block(document: Document) -> Flowable:
    label, value = _style(8, bold=True), _style(8)
    pairs = [(Paragraph(_text(k), label), Paragraph(_text(v), value)) for k, v in document.header]
    half = (len(pairs) + 1) // 2
    rows = []
    for i in range(half):
        left = pairs[i]
        right = pairs[i + half] if i + half < len(pairs) else ("", "")
        rows.append([*left, *right])
    table = Table(rows, colWidths=[32 * mm, 95 * mm, 32 * mm, 95 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return table


def _table(table: ReportTable, width: float) -> list[Flowable]:
    columns = len(table.widths)
    size = 7.0 if columns <= 16 else 5.6
    body, head_style = _style(size), _style(size, bold=True, alignment=1)
    data: list[list[object]] = []
    spans = []
    for r, head in enumerate(table.head):
        row: list[object] = []
        col = 0
        for text, span in head:
            row.append(Paragraph(_text(text), head_style) if text else "")
            row.extend([""] * (span - 1))
            if span > 1:
                spans.append(("SPAN", (col, r), (col + span - 1, r)))
            col += span
        data.append(row)
    for values in table.rows:
        data.append(
            [
                Paragraph(_cell_text(v), body)
                if isinstance(v, str) and len(v) > 12
                else _cell_text(v)
                for v in values
            ]
        )
    total = sum(table.widths)
    widths = [width * w / total for w in table.widths]
    heads = len(table.head)
    style = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("FONT", (0, 0), (-1, heads - 1), BOLD, size),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, heads - 1), colors.HexColor("#DDE6F0")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, heads), (-1, -1), "RIGHT"),
        ("ALIGN", (0, heads), (0, -1), "LEFT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        *spans,
    ]
    for index, values in enumerate(table.rows):
        for col, value in enumerate(values):
            if isinstance(value, str) and not _is_mark(value):
                style.append(("ALIGN", (col, heads + index), (col, heads + index), "LEFT"))
        kind = table.styles[index] if index < len(table.styles) else ""
        if kind:
            style.append(("FONT", (0, heads + index), (-1, heads + index), BOLD, size))
            style.append(
                ("BACKGROUND", (0, heads + index), (-1, heads + index), colors.HexColor("#F2F2F2"))
            )
    grid = Table(data, colWidths=widths, repeatRows=heads, hAlign="LEFT")
    grid.setStyle(TableStyle(style))
    title = Paragraph(_text(table.title), _style(10, bold=True, spaceAfter=2))
    out: list[Flowable] = [KeepTogether([title, Spacer(0, 1 * mm)]), grid]
    if table.note:
        out.append(
            Paragraph(
                _text(table.note), _style(6.5, textColor=colors.HexColor("#444444"), spaceBefore=2)
            )
        )
    return out


def _is_mark(value: str) -> bool:
    return value in {"N", "T", "O", "B"}


class _NumberedCanvas(Canvas):
    """A canvas that writes "page x of y" once the number of pages is known."""

    def __init__(self, *args: Any, footer: str, page_words: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._footer = footer
        self._page_words = page_words

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        count = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(_MARGIN, 7 * mm, self._footer)
            words = self._page_words % {"page": self._pageNumber, "pages": count}
            self.drawRightString(_PAGE[0] - _MARGIN, 7 * mm, words)
            super().showPage()
        super().save()
