"""Imports: all rows or none, every bad row listed by line and field."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.factories import TODAY, day
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.days import importer
from tracker.days.models import SupportDay

HEADER = "engagement_id,staff_email,worked_on,activity,days,billable,notes\n"


def _count(session):
    return session.scalar(sa.select(sa.func.count()).select_from(SupportDay))


def _csv(world, lines):
    e = world.engagement_a.id
    return (HEADER + "".join(line.format(e=e) + "\n" for line in lines)).encode()


def test_a_good_file_imports_every_row_with_an_audit_row_each(session, world):
    data = _csv(world, [
        "{e},sam.one@lead.example.org,2026-11-02,scoping,1,true,Kick-off",
        "{e},sam.one@lead.example.org,2026-11-03,mentoring,0.5,,",
        "{e},kim.two@lead.example.org,2026-11-03,training,0.75,false,",
    ])
    assert importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY) == 3
    days = session.scalars(sa.select(SupportDay).order_by(SupportDay.id)).all()
    assert [(d.worked_on, d.days, d.billable) for d in days] == [
        (date(2026, 11, 2), Decimal("1.00"), True), (date(2026, 11, 3), Decimal("0.50"), True),
        (date(2026, 11, 3), Decimal("0.75"), False)]
    audited = session.scalars(sa.select(AuditLog.entity_id).where(AuditLog.action == "import")).all()
    assert sorted(int(i) for i in audited) == [d.id for d in days]


def test_one_bad_row_saves_nothing_and_every_bad_row_is_listed(session, world):
    data = _csv(world, [
        "{e},sam.one@lead.example.org,2026-11-02,scoping,1,true,",
        "{e},nobody@lead.example.org,2026-11-02,scoping,1,true,",
        "{e},sam.one@lead.example.org,02/11/2026,scoping,1,true,",
        "{e},sam.one@lead.example.org,2026-11-04,juggling,0.3,maybe,",
        "999,sam.one@lead.example.org,2026-11-05,scoping,1,,",
    ])
    with pytest.raises(importer.ImportInvalid) as err:
        importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY)
    rows = {r["row"]: r["fields"] for r in err.value.rows}
    assert set(rows) == {3, 4, 5, 6}
    assert "staff_email" in rows[3]
    assert "worked_on" in rows[4]
    assert {"activity", "days", "billable"} <= set(rows[5])
    assert "engagement_id" in rows[6]
    assert _count(session) == 0


def test_limits_within_the_file_and_against_existing_bookings(session, world):
    day(session, world.engagement_b, world.staff["s1"], date(2026, 11, 2), "0.5")
    data = _csv(world, [
        "{e},sam.one@lead.example.org,2026-11-02,scoping,0.75,,",   # 0.5 already booked elsewhere
        "{e},sam.one@lead.example.org,2026-11-03,scoping,0.5,,",
        "{e},sam.one@lead.example.org,2026-11-03,mentoring,0.75,,",  # 1.25 within the file
        "{e},sam.one@lead.example.org,2026-11-04,scoping,0.25,,",
        "{e},sam.one@lead.example.org,2026-11-04,scoping,0.25,,",    # the same cell twice
    ])
    with pytest.raises(importer.ImportInvalid) as err:
        importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY)
    assert {r["row"]: set(r["fields"]) for r in err.value.rows} == {2: {"days"}, 4: {"days"}, 6: {"activity"}}
    assert _count(session) == 1


def test_delivered_rows_follow_the_engagement_rules(session, world):
    future = (TODAY + timedelta(days=3)).isoformat()
    data = _csv(world, ["{e},sam.one@lead.example.org," + future + ",scoping,1,,",
                        "{e},sam.one@lead.example.org,2026-01-05,scoping,1,,"])
    with pytest.raises(importer.ImportInvalid) as err:
        importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY)
    assert [set(r["fields"]) for r in err.value.rows] == [{"worked_on"}, {"worked_on"}]


def test_a_consultant_imports_only_their_own_days(session, world):
    data = _csv(world, ["{e},kim.two@lead.example.org,2026-11-02,scoping,1,,"])
    with pytest.raises(importer.ImportInvalid) as err:
        importer.import_file(session, world.users["consultant"], "days.csv", data, TODAY)
    assert "staff_id" in err.value.rows[0]["fields"] or "staff_email" in err.value.rows[0]["fields"]


@pytest.mark.parametrize("content,expect", [
    (b"", "empty"),
    (b"date,hours\n2026-11-02,7\n", "columns"),
    ("engagement_id,staff_email,worked_on,activity,days\n1,é@x,2026-11-02,scoping,1\n".encode("latin-1"), "UTF-8"),
    (b"\x00\x01\x02binary", "not"),
])
def test_malformed_files_get_a_clear_error(session, world, content, expect):
    with pytest.raises(importer.BadFile) as err:
        importer.import_file(session, SystemActor("test"), "days.csv", content, TODAY)
    assert expect.lower() in err.value.message.lower()
    assert "file" in err.value.fields


def test_a_million_blank_lines_are_ignored_quickly(session, world):
    data = _csv(world, ["{e},sam.one@lead.example.org,2026-11-02,scoping,1,,"]) + b",,,,,,\n" * 1_000_000
    assert importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY) == 1


def test_formula_cells_are_data_not_formulas(session, world):
    data = _csv(world, ['{e},sam.one@lead.example.org,2026-11-02,scoping,1,,"=HYPERLINK(""http://evil"")"'])
    importer.import_file(session, SystemActor("test"), "days.csv", data, TODAY)
    assert session.scalar(sa.select(SupportDay.notes)) == '=HYPERLINK("http://evil")'


def test_excel_files_import_too(session, world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Engagement ID", "Staff Email", "Worked On", "Activity", "Days", "Billable", "Notes"])
    sheet.append([world.engagement_a.id, "sam.one@lead.example.org", date(2026, 11, 2), "scoping", 0.5, True, "From Excel"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([world.engagement_a.id, "kim.two@lead.example.org", "2026-11-02", "Mentoring", 1, "no", None])
    buffer = io.BytesIO()
    book.save(buffer)
    assert importer.import_file(session, SystemActor("test"), "days.xlsx", buffer.getvalue(), TODAY) == 2
    assert {(d.days, d.billable) for d in session.scalars(sa.select(SupportDay))} == {(Decimal("0.50"), True), (Decimal("1.00"), False)}


def test_a_broken_excel_file_is_refused(session, world):
    with pytest.raises(importer.BadFile):
        importer.import_file(session, SystemActor("test"), "days.xlsx", b"PK\x03\x04 not really a zip", TODAY)


def test_five_thousand_rows_import_in_one_go(session, world):
    """5,000 rows (50 staff × 100 dates) go in one transaction; the timing is reported by the CLI."""
    from tests.factories import staff_member

    people = [staff_member(session, f"Bulk Person {i:02d}") for i in range(50)]
    dates = [date(2026, 6, 1) + timedelta(days=i) for i in range(100)]
    lines = [f"{world.engagement_a.id},{p.email},{d.isoformat()},scoping,1,," for p in people for d in dates]
    data = (HEADER + "\n".join(lines) + "\n").encode()
    ticks = []
    assert importer.import_file(session, SystemActor("test"), "big.csv", data, TODAY, progress=ticks.append) == 5000
    assert sum(ticks) == 5000
    assert _count(session) == 5000
