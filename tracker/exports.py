"""CSV and XLSX for every report: the same stored/aggregated figures the page
shows, a header row, the rows and a totals row; text cells that a
spreadsheet would run as a formula are escaped.

pandas only shapes already-aggregated rows here (never sums a table).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from tracker import xlsx

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
    Written straight as SpreadsheetML (tracker/xlsx.py), a row at a time."""
    header_row = 4 if subtitle else 3
    widths = []
    for column in columns:
        width = max([len(column.header)] + [len(str(r.get(column.key) or "")) for r in rows[:200]]) + 2
        widths.append(min(max(width, 10), 60))
    book = xlsx.Workbook(title[:28] or "Report", widths, frozen_rows=header_row)
    book.append([(escape_formula(title), book.style(xlsx.Style(bold=True, size=14)))])
    if subtitle:
        book.append([(escape_formula(subtitle), book.style(xlsx.Style(italic=True, color="555555")))])
    book.append([])
    head = book.style(xlsx.Style(bold=True, color="FFFFFF", fill="0B5563", wrap=True))
    book.append([(column.header, head) for column in columns])
    styles = [book.style(xlsx.Style(number_format=FORMATS.get(column.kind, ""))) for column in columns]
    for row in rows:
        book.append([(_cell(row.get(c.key), c.kind), style) for c, style in zip(columns, styles, strict=True)])
    if totals is not None:
        book.append([(_cell(totals.get(c.key), c.kind) if c.key in totals else "",
                      book.style(xlsx.Style(bold=True, top_rule=True, number_format=FORMATS.get(c.kind, ""))))
                     for c in columns])
    return book.save()


def export(fmt: str, title: str, columns: list[Column], rows: list[dict], totals: dict | None = None,
           subtitle: str = "") -> tuple[bytes, str, str]:
    """(content, mimetype, file extension) for fmt "csv" or "xlsx"."""
    if fmt == "xlsx":
        return to_xlsx(title, columns, rows, totals, subtitle), XLSX_MIME, "xlsx"
    return to_csv(columns, rows, totals), CSV_MIME, "csv"
