"""CSV and XLSX for every report: the same stored/aggregated figures the page
shows, a header row, the rows and a totals row; text cells that a
spreadsheet would run as a formula are escaped.

pandas only shapes already-aggregated rows here (never sums a table).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIME = "text/csv"  # Flask adds "; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"money": "#,##0.00", "days": "0.00", "share": "0.0%", "int": "0", "date": "yyyy-mm-dd"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, money, days, share, int, date


def escape_formula(value):
    """Prefix text that a spreadsheet would treat as a formula with a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value, kind: str):
    if value is None:
        return ""
    if kind in ("money", "days"):
        return Decimal(value).quantize(Decimal("0.01"))
    if kind == "share":
        return Decimal(value)
    if isinstance(value, date):
        return value
    if kind == "int":
        return int(value)
    return escape_formula(str(value))


def frame(columns: list[Column], rows: list[dict], totals: dict | None = None) -> pd.DataFrame:
    records = [{c.header: _cell(r.get(c.key), c.kind) for c in columns} for r in rows]
    if totals is not None:
        records.append({c.header: _cell(totals.get(c.key), c.kind) if c.key in totals else "" for c in columns})
    return pd.DataFrame.from_records(records, columns=[c.header for c in columns]).astype(object)


def to_csv(columns: list[Column], rows: list[dict], totals: dict | None = None) -> bytes:
    df = frame(columns, rows, totals)
    for c in columns:
        if c.kind in ("money", "days"):
            df[c.header] = df[c.header].map(lambda v: f"{v:.2f}" if isinstance(v, Decimal) else v)
        elif c.kind == "share":
            df[c.header] = df[c.header].map(lambda v: f"{v:.4f}" if isinstance(v, Decimal) else v)
        elif c.kind == "date":
            df[c.header] = df[c.header].map(lambda v: v.isoformat() if isinstance(v, date) else v)
    return df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx(title: str, columns: list[Column], rows: list[dict], totals: dict | None = None,
            subtitle: str = "") -> bytes:
    """One sheet: the title (and subtitle), a styled header row, the rows with each
    column's number format, a bold totals row; panes frozen below the header.
    Written row by row (openpyxl's write-only mode): no sheet of cells is built."""
    from openpyxl import Workbook  # noqa: PLC0415  (heavy; only when a spreadsheet is read or written)
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    book = Workbook(write_only=True)
    sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "-", title[:28]) or "Report")  # characters Excel refuses
    header_row = 4 if subtitle else 3
    for index, column in enumerate(columns, start=1):
        width = max([len(column.header)] + [len(str(r.get(column.key) or "")) for r in rows[:200]]) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 60)
    sheet.freeze_panes = f"A{header_row + 1}"

    def styled(value, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([styled(escape_formula(title), font=Font(bold=True, size=14))])
    if subtitle:
        sheet.append([styled(escape_formula(subtitle), font=Font(italic=True, color="555555"))])
    sheet.append([])
    head = {"font": Font(bold=True, color="FFFFFF"), "fill": PatternFill("solid", fgColor="0B5563"),
            "alignment": Alignment(wrap_text=True, vertical="top")}
    sheet.append([styled(column.header, **head) for column in columns])
    formats = [FORMATS.get(column.kind) for column in columns]
    for row in rows:
        sheet.append([styled(_cell(row.get(c.key), c.kind), number_format=fmt) if fmt else _cell(row.get(c.key), c.kind)
                      for c, fmt in zip(columns, formats, strict=True)])
    if totals is not None:
        bold, rule = Font(bold=True), Border(top=Side(style="thin"))
        sheet.append([styled(_cell(totals.get(c.key), c.kind) if c.key in totals else "", font=bold, border=rule,
                             **({"number_format": fmt} if fmt else {}))
                      for c, fmt in zip(columns, formats, strict=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(fmt: str, title: str, columns: list[Column], rows: list[dict], totals: dict | None = None,
           subtitle: str = "") -> tuple[bytes, str, str]:
    """(content, mimetype, file extension) for fmt "csv" or "xlsx"."""
    if fmt == "xlsx":
        return to_xlsx(title, columns, rows, totals, subtitle), XLSX_MIME, "xlsx"
    return to_csv(columns, rows, totals), CSV_MIME, "csv"
