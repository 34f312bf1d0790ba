"""tracker/xlsx.py: a workbook that a spreadsheet opens with every cell as written —
well-formed parts, text as text (escaped, never a formula), numbers and dates as
numbers in their formats, styles kept and shared."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tracker import xlsx


def opened(book: xlsx.Workbook):
    return load_workbook(io.BytesIO(book.save())).active


def test_every_part_is_well_formed_and_named_in_the_content_types():
    book = xlsx.Workbook("Sheet", widths=[12])
    book.append([("x", 0)])
    package = zipfile.ZipFile(io.BytesIO(book.save()))
    names = set(package.namelist())
    assert names == {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/worksheets/sheet1.xml"}
    for name in names:
        ElementTree.fromstring(package.read(name))  # noqa: S314 (our own output)  raises if not well-formed
    types = package.read("[Content_Types].xml").decode()
    assert all(f'PartName="/{name}"' in types for name in names if not name.endswith(".rels") and "Content" not in name)


def test_text_is_escaped_kept_whole_and_never_a_formula():
    book = xlsx.Workbook("Notes", widths=[])
    book.append([("<Tom & Jerry's \"plan\">", 0), ("  padded  ", 0), ("=SUM(A1:A2)", 0), ("bell\x07 and\ttab", 0)])
    sheet = opened(book)
    assert [c.value for c in sheet[1]] == ["<Tom & Jerry's \"plan\">", "  padded  ", "=SUM(A1:A2)", "bell and\ttab"]
    assert all(c.data_type == "s" for c in sheet[1])  # the "=" text is a string, not a formula


def test_numbers_and_dates_keep_their_values_and_formats():
    book = xlsx.Workbook("Figures", widths=[])
    money = book.style(xlsx.Style(number_format="#,##0.00"))
    day = book.style(xlsx.Style(number_format="yyyy-mm-dd"))
    book.append([(Decimal("12345678.90"), money), (Decimal("1E+3"), money), (7, 0), (0.25, 0), (True, 0)])
    book.append([(date(2026, 11, 2), day), (date(1900, 3, 1), day), (datetime(2026, 11, 2, 18), day)])
    sheet = opened(book)
    assert [c.value for c in sheet[1]] == [12345678.9, 1000, 7, 0.25, True]
    assert sheet["A1"].number_format == "#,##0.00" and sheet["C1"].number_format == "General"
    assert [c.value for c in sheet[2]][:3] == [datetime(2026, 11, 2), datetime(1900, 3, 1), datetime(2026, 11, 2, 18)]
    assert "<v>46328</v>" in zipfile.ZipFile(io.BytesIO(book.save())).read("xl/worksheets/sheet1.xml").decode()


def test_empty_cells_keep_their_style_and_blank_rows_keep_their_place():
    book = xlsx.Workbook("Gaps", widths=[10, 10], frozen_rows=2)
    rule = book.style(xlsx.Style(bold=True, top_rule=True))
    book.append([("Title", 0)])
    book.append([])
    book.append([("Total", rule), (None, rule), ("", rule)])
    sheet = opened(book)
    assert sheet.max_row == 3 and sheet["A2"].value is None and sheet["A3"].value == "Total"
    assert sheet["B3"].value is None and sheet["B3"].font.b and sheet["C3"].border.top.style == "thin"
    assert sheet.freeze_panes == "A3"


def test_each_distinct_style_is_one_cell_format_shared_by_its_cells():
    book = xlsx.Workbook("Styles", widths=[])
    head = xlsx.Style(bold=True, color="FFFFFF", fill="0B5563", wrap=True)
    assert book.style(head) == book.style(xlsx.Style(bold=True, color="FFFFFF", fill="0B5563", wrap=True))
    italic = book.style(xlsx.Style(italic=True, size=14, color="555555"))
    book.append([("Head", book.style(head)), ("Sub", italic)])
    sheet = opened(book)
    a, b = sheet["A1"], sheet["B1"]
    assert a.font.b and a.font.color.rgb == "FFFFFFFF" and a.fill.fgColor.rgb == "FF0B5563"
    assert a.fill.fill_type == "solid" and a.alignment.wrap_text and a.alignment.vertical == "top"
    assert b.font.i and b.font.sz == 14 and b.font.color.rgb == "FF555555" and not b.font.b
    styles = zipfile.ZipFile(io.BytesIO(book.save())).read("xl/styles.xml").decode()
    assert styles.count("<xf ") == 1 + 3  # the cell-style master, plain, head, italic


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA")])
def test_column_letters(index, letters):
    assert xlsx.column_letter(index) == letters


def test_a_row_wider_than_the_widths_and_an_awkward_sheet_name():
    book = xlsx.Workbook("Tom's \"list\" & more, longer than Excel's thirty-one", widths=[15])
    book.append([(i, 0) for i in range(30)])
    sheet = opened(book)
    assert sheet.title == "Tom's \"list\" & more, longer tha"  # 31 characters
    assert sheet["AD1"].value == 29 and sheet.column_dimensions["A"].width == 15


def test_what_a_cell_cannot_hold_is_left_empty_or_cut_never_a_broken_file():
    book = xlsx.Workbook("Edges", widths=[])
    book.append([(Decimal("NaN"), 0), (Decimal("Infinity"), 0), (float("nan"), 0), (float("-inf"), 0),
                 (Decimal("1E+400"), 0), (Decimal("-0.00"), 0), (-0.0, 0), ("x\ud800y", 0), ("z" * 40_000, 0)])
    sheet = opened(book)
    values = [c.value for c in sheet[1]]
    assert values[:5] == [None] * 5
    assert values[5] == 0 and values[6] == 0
    xml = zipfile.ZipFile(io.BytesIO(book.save())).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>-" not in xml  # a zero credit shows 0.00, not -0.00
    assert values[7] == "xy" and len(values[8]) == 32_767


def test_dates_before_excels_missing_leap_day_and_an_aware_datetime():
    book = xlsx.Workbook("Old dates", widths=[])
    day = book.style(xlsx.Style(number_format="yyyy-mm-dd"))
    book.append([(date(1900, 1, 1), day), (date(1900, 2, 28), day), (datetime(2026, 11, 2, 9, tzinfo=UTC), day)])
    sheet = load_workbook(io.BytesIO(book.save())).active
    xml = zipfile.ZipFile(io.BytesIO(book.save())).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="A1" s="1"><v>1</v></c>' in xml and '<c r="B1" s="1"><v>59</v></c>' in xml  # Excel's own numbers
    assert sheet["C1"].value == datetime(2026, 11, 2, 9)


def test_the_sheet_name_is_made_one_excel_accepts():
    assert xlsx.Workbook("Q3: a/b [draft]?*\\", widths=[]).sheet_name == "Q3- a-b -draft----"
    assert xlsx.Workbook("'" + "x" * 29 + "'s", widths=[]).sheet_name == "x" * 29  # no quote at either end
    assert xlsx.Workbook("\x01", widths=[]).sheet_name == "Sheet1"
