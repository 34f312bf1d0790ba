"""Reading an uploaded .xlsx safely: an .xlsx is a zip of XML, so a few
kilobytes can claim 16,384 columns or expand to gigabytes.

Before openpyxl sees the file, the archive's members are checked for their
uncompressed size and compression ratio; then only the sheet's first
``max_columns`` columns are read (the dimension the file claims is ignored),
and blank rows count towards the row limit like any other row.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

#: Total uncompressed size of every member; a 200,000-row sheet is ~60 MB of XML.
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
#: Members bigger than this must not compress better than MAX_RATIO : 1.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
#: Real sheets compress 5-30 times; DEFLATE bombs ~1,000 times.
MAX_RATIO = 100
#: Members an .xlsx may hold (styles, themes, sheets, strings, ...).
MAX_MEMBERS = 1000


class UnsafeWorkbook(ValueError):
    """The file is not a workbook that may be parsed; the message says why."""


def check_archive(data: bytes) -> None:
    """Refuse a zip whose members would expand too far, without expanding them."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook("The file is not an Excel workbook (.xlsx).") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnsafeWorkbook(f"The workbook is too large: more than {MAX_MEMBERS} parts.")
        total = 0
        for item in members:
            total += item.file_size
            if total > MAX_UNCOMPRESSED_BYTES:
                raise UnsafeWorkbook(
                    f"The workbook is too large: it unpacks to more than {MAX_UNCOMPRESSED_BYTES // 2**20} MB. "
                    "Split it, or save it as CSV.")
            if item.file_size > RATIO_CHECKED_FROM_BYTES and item.file_size > MAX_RATIO * max(item.compress_size, 1):
                raise UnsafeWorkbook(
                    f"The workbook is too large for its size: {item.filename} unpacks {item.file_size // item.compress_size}"
                    " times larger than it is stored. Save it again from Excel, or as CSV.")


def sheet_rows(data: bytes, max_columns: int) -> Iterator[tuple[int, tuple]]:
    """(line number, first cells) of the first sheet, blank rows included.

    The first row is read up to ``max_columns`` cells; later rows only up to the
    header's last named column. The caller stops when it has seen enough lines.
    """
    from openpyxl import load_workbook  # noqa: PLC0415  (heavy; only when a spreadsheet is read)

    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or non-Excel file
        raise UnsafeWorkbook("The file is not an Excel workbook (.xlsx).") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the dimension is the file's claim, not a fact
        header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=max_columns, values_only=True), None)
        if header is None:
            return
        header = tuple(header)
        yield 1, header
        width = max((i + 1 for i, c in enumerate(header) if c not in (None, "")), default=1)
        yield from enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2)
    finally:
        book.close()
