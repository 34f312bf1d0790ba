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
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # noqa: PLC0415  (heavy; only when a spreadsheet is read or written)
    from openpyxl.utils import get_column_letter  # noqa: PLC0415  (heavy; only when a spreadsheet is read or written)

    df = frame(columns, rows, totals)
    buffer = io.BytesIO()
    sheet_name = re.sub(r"[\[\]:*?/\\]", "-", title[:28]) or "Report"  # characters Excel refuses in a sheet name
    header_row = 4 if subtitle else 3
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name=sheet_name, index=False, startrow=header_row - 1)
        sheet = writer.sheets[sheet_name]
        sheet["A1"] = escape_formula(title)
        sheet["A1"].font = Font(bold=True, size=14)
        if subtitle:
            sheet["A2"] = escape_formula(subtitle)
            sheet["A2"].font = Font(italic=True, color="555555")
        head_fill = PatternFill("solid", fgColor="0B5563")
        for index, column in enumerate(columns, start=1):
            cell = sheet.cell(row=header_row, column=index)
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = head_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            letter = get_column_letter(index)
            width = max([len(column.header)] + [len(str(r.get(column.key) or "")) for r in rows[:200]]) + 2
            sheet.column_dimensions[letter].width = min(max(width, 10), 60)
            fmt = FORMATS.get(column.kind)
            if fmt:
                for row in range(header_row + 1, header_row + 1 + len(df)):
                    sheet.cell(row=row, column=index).number_format = fmt
        if totals is not None:
            last = header_row + len(df)
            for index in range(1, len(columns) + 1):
                cell = sheet.cell(row=last, column=index)
                cell.font = Font(bold=True)
                cell.border = Border(top=Side(style="thin"))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return buffer.getvalue()


def export(fmt: str, title: str, columns: list[Column], rows: list[dict], totals: dict | None = None,
           subtitle: str = "") -> tuple[bytes, str, str]:
    """(content, mimetype, file extension) for fmt "csv" or "xlsx"."""
    if fmt == "xlsx":
        return to_xlsx(title, columns, rows, totals, subtitle), XLSX_MIME, "xlsx"
    return to_csv(columns, rows, totals), CSV_MIME, "csv"
