"""A one-sheet XLSX workbook written straight as SpreadsheetML (ECMA-376): the
package openpyxl writes for the same sheet, less its theme and document
properties, at a tenth of the cost — openpyxl builds and serialises an object
per cell, which at the capacity review's 3,000 staff was most of an export's
time. Reading spreadsheets (imports) stays with openpyxl.

Cells are text (inline strings), numbers (Decimal, int, float) or dates (Excel
serial days); None and "" are empty cells that keep their style. Styles are
described by `Style` values; each distinct one becomes one cell format, which
`Workbook.style()` numbers for the rows.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EXCEL_EPOCH = date(1899, 12, 30)  # serial day 0, counting Lotus's 29 Feb 1900 as Excel does
#: Characters XML 1.0 cannot carry at all (a spreadsheet cell cannot hold them either).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Characters Excel refuses in a sheet name.
NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
MAX_TEXT = 32_767  # characters in a cell
FIRST_CUSTOM_FORMAT = 164  # ids below are Excel's built-in formats


@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: int = 11
    color: str = ""  # font colour, RRGGBB
    fill: str = ""  # solid background, RRGGBB
    top_rule: bool = False  # a thin line above
    wrap: bool = False  # wrapped text, aligned to the top
    number_format: str = ""


PLAIN = Style()


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(NOT_XML.sub("", value)[:MAX_TEXT])


def _number(value) -> str | None:
    """The number as SpreadsheetML writes it; None for what a cell cannot hold
    (NaN, infinities, beyond a double's range). -0 is written as 0."""
    if isinstance(value, Decimal):
        if not value.is_finite() or (value and abs(value.adjusted()) > 300):
            return None
        return f"{value if value else abs(value):f}"
    if not math.isfinite(value) or (value and abs(math.log10(abs(value))) > 300):
        return None
    return repr(value if value else abs(value))


def _serial(value: date) -> float | int:
    """Excel's day number: it counts a 29 Feb 1900 that never was, so days
    before 1 Mar 1900 are one less than the days since 30 Dec 1899."""
    if isinstance(value, datetime):
        days = (value.replace(tzinfo=None) - datetime(1899, 12, 30)).total_seconds() / 86400
    else:
        days = (value - EXCEL_EPOCH).days
    return days - 1 if 0 < days < 61 else days


class Workbook:
    """Rows appended in order; `save()` gives the .xlsx bytes."""

    def __init__(self, sheet_name: str, widths: list[float], frozen_rows: int = 0):
        self.sheet_name = NOT_IN_SHEET_NAME.sub("-", NOT_XML.sub("", sheet_name))[:31].strip("'") or "Sheet1"
        self.widths = widths
        self.frozen_rows = frozen_rows
        self.styles: dict[Style, int] = {PLAIN: 0}
        self.rows: list[str] = []
        self.letters = [column_letter(i) for i in range(1, max(len(widths), 1) + 1)]

    def style(self, style: Style) -> int:
        """The cell format's number, for append(): one per distinct style."""
        return self.styles.setdefault(style, len(self.styles))

    def _cell(self, ref: str, value, style: int) -> str:
        s = f' s="{style}"' if style else ""
        if value is None or value == "":
            return f'<c r="{ref}"{s}/>' if style else ""
        if isinstance(value, str):
            return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}"{s}><v>{value}</v></c>'
        if isinstance(value, (Decimal, float)):
            number = _number(value)
            return f'<c r="{ref}"{s}/>' if number is None else f'<c r="{ref}"{s}><v>{number}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}"{s}><v>{_serial(value)!r}</v></c>'
        return self._cell(ref, str(value), style)  # anything else as its text

    def append(self, cells: list[tuple[object, int]]) -> None:
        """One row: (value, style number from style()) per column from A; an empty
        list leaves a blank row."""
        number = len(self.rows) + 1
        while len(self.letters) < len(cells):
            self.letters.append(column_letter(len(self.letters) + 1))
        body = "".join(self._cell(f"{letter}{number}", value, style)
                       for letter, (value, style) in zip(self.letters, cells, strict=False))
        self.rows.append(f'<row r="{number}">{body}</row>' if body else "")

    # --- the package ------------------------------------------------------------

    def _sheet(self) -> str:
        view = ""
        if self.frozen_rows:
            first = f"A{self.frozen_rows + 1}"
            view = (f'<pane ySplit="{self.frozen_rows}" topLeftCell="{first}" activePane="bottomLeft" state="frozen"/>'
                    f'<selection pane="bottomLeft" activeCell="{first}" sqref="{first}"/>')
        cols = "".join(f'<col min="{i}" max="{i}" width="{width}" customWidth="1"/>'
                       for i, width in enumerate(self.widths, start=1))
        return (f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
                f'<sheetViews><sheetView workbookViewId="0">{view}</sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "")
                + "<sheetData>" + "".join(self.rows) + "</sheetData>"
                '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')

    def _styles(self) -> str:
        formats: dict[str, int] = {}
        fonts: dict[tuple, int] = {}
        fills: dict[str, int] = {}  # after the two fills Excel expects first (none, gray125)
        borders: dict[bool, int] = {False: 0}
        xfs = []
        for style in self.styles:  # in id order (insertion order)
            fmt = formats.setdefault(style.number_format, FIRST_CUSTOM_FORMAT + len(formats)) if style.number_format else 0
            font = fonts.setdefault((style.bold, style.italic, style.size, style.color), len(fonts))
            fill = fills.setdefault(style.fill, 2 + len(fills)) if style.fill else 0
            border = borders.setdefault(style.top_rule, len(borders))
            align = '<alignment vertical="top" wrapText="1"/>' if style.wrap else ""
            xfs.append(f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
                       + (' applyNumberFormat="1"' if fmt else "") + (' applyFont="1"' if font else "")
                       + (' applyFill="1"' if fill else "") + (' applyBorder="1"' if border else "")
                       + (f' applyAlignment="1">{align}</xf>' if align else "/>"))
        num_fmts = "".join(f'<numFmt numFmtId="{i}" formatCode={quoteattr(code)}/>' for code, i in formats.items())
        font_xml = "".join(
            "<font>" + ("<b/>" if bold else "") + ("<i/>" if italic else "") + f'<sz val="{size}"/>'
            + (f'<color rgb="FF{color}"/>' if color else "") + '<name val="Calibri"/><family val="2"/></font>'
            for bold, italic, size, color in fonts)
        fill_xml = '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>' + "".join(
            f'<fill><patternFill patternType="solid"><fgColor rgb="FF{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
            for rgb in fills)
        border_xml = "".join(
            '<border><left/><right/><top style="thin"><color auto="1"/></top><bottom/><diagonal/></border>' if rule else
            "<border><left/><right/><top/><bottom/><diagonal/></border>" for rule in borders)
        return (f'{HEAD}<styleSheet xmlns="{MAIN}">'
                + (f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>' if formats else "")
                + f'<fonts count="{len(fonts)}">{font_xml}</fonts><fills count="{2 + len(fills)}">{fill_xml}</fills>'
                f'<borders count="{len(borders)}">{border_xml}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')

    def save(self) -> bytes:
        parts = {
            "[Content_Types].xml": (
                f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
            "_rels/.rels": (
                f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"),
            "xl/workbook.xml": (
                f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView/></bookViews>'
                f'<sheets><sheet name={quoteattr(self.sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'),
            "xl/_rels/workbook.xml.rels": (
                f'{HEAD}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/></Relationships>'),
            "xl/styles.xml": self._styles(),
            "xl/worksheets/sheet1.xml": self._sheet(),
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            for name, text in parts.items():
                package.writestr(name, text.encode("utf-8"))
        return buffer.getvalue()
