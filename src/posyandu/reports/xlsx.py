"""Write a report `Document` as an .xlsx workbook (openpyxl): one sheet per `Sheet`, real
numbers with number formats (percentages as 0.0 %), frozen header rows, A4 landscape."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from posyandu.reports.tables import Cell, Document, Kg, Pct, Table

_THIN = Side(style="thin", color="999999")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_BOLD = Font(bold=True)


def write_xlsx(document: Document) -> bytes:
    """Return the workbook's bytes."""
    book = Workbook()
    book.remove(book.active)
    for sheet in document.sheets:
        ws = book.create_sheet(sheet.name)
        row = _write_header(ws, document)
        widths: dict[int, int] = {}
        freeze_at: int | None = None
        titles: list[str] = []
        for table in sheet.tables:
            row, body_start, title_rows = _write_table(ws, table, row)
            freeze_at = freeze_at or body_start
            titles.append(title_rows)
            for i, w in enumerate(table.widths, start=1):
                widths[i] = max(widths.get(i, 0), w)
        widths[1] = max(widths.get(1, 0), max(len(label) for label, _v in document.header))
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width + 2
        if freeze_at is not None and len(sheet.tables) == 1:
            # Header rows stay on screen and on every printed page; the names too when wide.
            wide = len(sheet.tables[0].widths) > 4
            ws.freeze_panes = ws.cell(row=freeze_at, column=3 if wide else 1)
            ws.print_title_rows = titles[0]
        _page_setup(ws, document)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _write_header(ws: Worksheet, document: Document) -> int:
    ws.cell(row=1, column=1, value=document.title).font = Font(bold=True, size=13)
    row = 2
    for label, text in document.header:
        ws.cell(row=row, column=1, value=label).font = _BOLD
        ws.cell(row=row, column=2, value=text)
        row += 1
    return row + 1


def _write_table(ws: Worksheet, table: Table, row: int) -> tuple[int, int, str]:
    """Write one table from `row`; return the next free row, the first body row and the
    header rows (as print titles, e.g. '13:14')."""
    ws.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
    row += 1
    head_start = row
    for head in table.head:
        col = 1
        for text, span in head:
            cell = ws.cell(row=row, column=col, value=text or None)
            for c in range(col, col + span):
                target = ws.cell(row=row, column=c)
                target.font = _BOLD
                target.fill = _HEAD_FILL
                target.border = _BOX
                target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if span > 1:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row, end_column=col + span - 1
                )
            cell.value = text or None
            col += span
        row += 1
    body_start = row
    for index, values in enumerate(table.rows):
        style = table.styles[index] if index < len(table.styles) else ""
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col)
            _put(cell, value)
            cell.border = _BOX
            if style:
                cell.font = _BOLD
                cell.fill = _TOTAL_FILL
        row += 1
    if table.note:
        ws.cell(row=row, column=1, value=table.note).font = Font(italic=True, size=9)
        row += 1
    return row + 1, body_start, f"{head_start}:{body_start - 1}"


def _put(cell: object, value: Cell) -> None:
    if isinstance(value, Pct):
        cell.value = float(value) / 100  # type: ignore[attr-defined]
        cell.number_format = "0.0%"  # type: ignore[attr-defined]
    elif isinstance(value, Kg):
        cell.value = float(value)  # type: ignore[attr-defined]
        cell.number_format = "0.0"  # type: ignore[attr-defined]
    elif isinstance(value, bool):
        cell.value = str(value)  # type: ignore[attr-defined]
    elif isinstance(value, int):
        cell.value = value  # type: ignore[attr-defined]
        cell.number_format = "0"  # type: ignore[attr-defined]
    elif isinstance(value, float):
        cell.value = value  # type: ignore[attr-defined]
        cell.number_format = "0.0"  # type: ignore[attr-defined]
    elif isinstance(value, dt.date):
        cell.value = value  # type: ignore[attr-defined]
        cell.number_format = "DD-MM-YYYY"  # type: ignore[attr-defined]
    else:
        cell.value = value  # type: ignore[attr-defined]


def _page_setup(ws: Worksheet, document: Document) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "&P / &N"
    ws.oddHeader.left.text = document.title
