"""tracker/exports.py: what a finance officer opens in a spreadsheet — numbers as
numbers in their formats, a styled header, a bold totals row, frozen panes, and no
text that a spreadsheet would run as a formula."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from tracker.exports import Column, to_csv, to_xlsx

COLUMNS = [Column("name", "Client"), Column("days", "Days", "days"), Column("net", "£ net", "money"),
           Column("share", "Share", "share"), Column("count", "Invoices", "int"), Column("on", "Issued", "date")]
ROWS = [
    {"name": "=HYPERLINK(\"http://x\")", "days": Decimal("1.25"), "net": Decimal("625"), "share": Decimal("0.25"),
     "count": 3, "on": date(2026, 11, 2)},
    {"name": "Barnet", "days": Decimal("0.5"), "net": None, "share": Decimal("0.75"), "count": 1, "on": None},
]
TOTALS = {"name": "Total", "days": Decimal("1.75"), "net": Decimal("625")}


def sheet_of(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_xlsx_cells_keep_their_types_and_formats():
    sheet = sheet_of(to_xlsx("Income: 2026/27", COLUMNS, ROWS, TOTALS, subtitle="by client"))
    assert sheet.title == "Income- 2026-27"  # characters Excel refuses in a sheet name
    assert sheet["A1"].value == "Income: 2026/27" and sheet["A1"].font.b
    assert sheet["A2"].value == "by client" and sheet["A2"].font.i
    assert [c.value for c in sheet[4]] == [c.header for c in COLUMNS]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("0B5563") for c in sheet[4])
    first = sheet[5]
    assert first[0].value == "'=HYPERLINK(\"http://x\")"  # escaped, so never a formula
    assert first[1].value == 1.25 and first[1].number_format == "0.00"
    assert first[2].value == 625 and first[2].number_format == "#,##0.00"
    assert first[3].value == 0.25 and first[3].number_format == "0.0%"
    assert first[4].value == 3 and first[4].number_format == "0"
    assert first[5].value.date() == date(2026, 11, 2) and first[5].number_format == "yyyy-mm-dd"
    assert sheet["C6"].value in (None, "")  # no figure is not zero
    totals = sheet[7]
    assert [totals[0].value, totals[1].value, totals[2].value] == ["Total", 1.75, 625]
    assert all(c.font.b and c.border.top.style == "thin" for c in totals)
    assert sheet.max_row == 7
    assert sheet.freeze_panes == "A5"  # the header stays in view
    assert sheet.column_dimensions["A"].width >= len(ROWS[0]["name"])


def test_xlsx_without_subtitle_or_totals_starts_its_header_on_row_three():
    sheet = sheet_of(to_xlsx("Plain", COLUMNS, ROWS))
    assert [c.value for c in sheet[3]] == [c.header for c in COLUMNS]
    assert sheet.max_row == 5 and sheet.freeze_panes == "A4"


def test_csv_has_the_same_cells_as_text():
    text = to_csv(COLUMNS, ROWS, TOTALS).decode("utf-8-sig").splitlines()
    assert text[0] == "Client,Days,£ net,Share,Invoices,Issued"
    assert text[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",1.25,625.00,0.2500,3,2026-11-02"
    assert text[-1].startswith("Total,1.75,625.00")
