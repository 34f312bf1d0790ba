"""Spreadsheet uploads that would stall the app are refused quickly, before
openpyxl expands them, and without holding SQLite's write lock while parsing."""

import io
import sqlite3
import time
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tracker.days import importer, spreadsheet
from tracker.days.models import SupportDay

HEADER = ["engagement_id", "staff_email", "worked_on", "activity", "days", "billable", "notes"]
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook(rows=()) -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace(data: bytes, name: str, write) -> bytes:
    """The same workbook with member `name` rewritten by write(stream)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item))
        with dst.open(name, "w") as stream:
            write(stream)
    return out.getvalue()


def _dimension_bomb(blank_rows: int = 40_000) -> bytes:
    """A header, then blank rows, under a dimension claiming 16,384 columns."""

    def write(stream):
        cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER))
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="A1:XFD{blank_rows}"/>'
                     f'<sheetData><row r="1">{cells}</row>'.encode())
        for start in range(2, blank_rows + 1, 5000):
            stream.write("".join(f'<row r="{n}"/>' for n in range(start, min(start + 5000, blank_rows + 1))).encode())
        stream.write(b"</sheetData></worksheet>")

    return _replace(_workbook(), SHEET, write)


def _shared_strings_bomb(megabytes: int = 160) -> bytes:
    """A shared-strings table of one string of `megabytes` MB: tiny zipped."""

    def write(stream):
        stream.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="1" uniqueCount="1"><si><t>'.encode())
        chunk = b"A" * (1 << 20)
        for _ in range(megabytes):
            stream.write(chunk)
        stream.write(b"</t></si></sst>")

    book = _workbook([["x"] * len(HEADER)])  # one row of text cells: openpyxl writes sharedStrings.xml
    return _replace(book, "xl/sharedStrings.xml", write)


@pytest.fixture(scope="module")
def strings_bomb() -> bytes:
    return _shared_strings_bomb()


def _post(api, data: bytes):
    started = time.perf_counter()
    r = api.post("/api/v1/days/import", data={"file": (io.BytesIO(data), "days.xlsx")},
                 content_type="multipart/form-data")
    return r, time.perf_counter() - started


def test_a_dimension_claiming_every_column_is_read_only_as_far_as_the_known_columns(api_as, world):
    data = _dimension_bomb()
    assert len(data) < 200_000
    r, elapsed = _post(api_as("manager"), data)
    assert r.status_code == 422 and "file" in r.json["error"]["fields"], r.json
    assert elapsed < 15, f"took {elapsed:.1f} s"  # a guard, not a benchmark: unbounded it took 107 s


def test_blank_rows_count_towards_the_row_limit(session, world, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 1000)
    with pytest.raises(importer.BadFile) as err:
        importer.read_file("days.xlsx", _dimension_bomb(5000))
    assert "rows" in err.value.message


def test_a_shared_strings_zip_bomb_is_refused_before_parsing(api_as, world, monkeypatch, strings_bomb):
    def must_not_parse(*args, **kwargs):
        raise AssertionError("openpyxl opened a zip bomb")

    data = strings_bomb
    assert len(data) < 2_000_000
    monkeypatch.setattr("openpyxl.load_workbook", must_not_parse)
    monkeypatch.setattr("openpyxl.reader.excel.load_workbook", must_not_parse)
    r, elapsed = _post(api_as("manager"), data)
    assert r.status_code in (413, 422), r.json
    assert "file" in r.json["error"]["fields"]
    assert "too large" in r.json["error"]["message"].lower()
    assert elapsed < 15, f"took {elapsed:.1f} s"  # a guard, not a benchmark: unbounded it took 107 s


def test_a_real_workbook_still_imports_after_the_checks(api_as, world, session):
    data = _workbook([[world.engagement_a.id, "sam.one@lead.example.org", "2026-11-02", "scoping", 1, "yes", None]])
    r, _ = _post(api_as("manager"), data)
    assert r.status_code == 201 and r.json == {"imported": 1}


def test_parsing_holds_no_write_lock(api_as, world, session, database_url, monkeypatch):
    """While the file is parsed another connection can write (SQLite's lock is
    taken only once the rows are checked and saved)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the write lock is SQLite's")
    path = sa.engine.make_url(database_url).database
    seen = []
    real_read_file = importer.read_file

    def read_file_and_write_elsewhere(filename, data):
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            seen.append("wrote")
        except sqlite3.OperationalError as exc:
            seen.append(str(exc))
        finally:
            other.close()
        return real_read_file(filename, data)

    monkeypatch.setattr(importer, "read_file", read_file_and_write_elsewhere)
    data = _workbook([[world.engagement_a.id, "sam.one@lead.example.org", "2026-11-02", "scoping", 1, "yes", None]])
    r, _ = _post(api_as("manager"), data)
    assert r.status_code == 201, r.json
    assert seen == ["wrote"]
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 1


def test_the_cli_reads_the_same_guarded_way(world, strings_bomb, monkeypatch):
    with pytest.raises(importer.BadFile):
        importer.read_file("days.xlsx", strings_bomb)
    # a member that is big but compresses like a real sheet is refused by the total only
    monkeypatch.setattr(spreadsheet, "MAX_RATIO", 10_000)
    with pytest.raises(importer.BadFile) as err:
        importer.read_file("days.xlsx", strings_bomb)
    assert "unpacks to more than" in err.value.message
