"""Importing support days from CSV or Excel: every row checked with the same
rules as a single day; one bad row and nothing is saved, with every bad row
listed by its line number and field.

Columns (docs/api.md, the import endpoint): engagement_id, staff_email, worked_on, activity, days,
billable, notes. Rows are validated in memory against bulk-loaded engagements,
staff and existing bookings, then written with bulk inserts, so large files
import in seconds.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import Role
from tracker.audit.models import AuditLog
from tracker.audit.services import actor_label, jsonable
from tracker.database import utcnow
from tracker.days import services, spreadsheet
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement, EngagementMember
from tracker.errors import DomainError, ValidationFailed
from tracker.ops import faults
from tracker.staff.models import StaffMember

COLUMNS = ["engagement_id", "staff_email", "worked_on", "activity", "days", "billable", "notes"]
REQUIRED = ["engagement_id", "staff_email", "worked_on", "activity", "days"]
MAX_ROWS = 200_000
#: Columns read from a spreadsheet's header row: the known ones, with room for blanks.
MAX_COLUMNS = 32
MAX_ERRORS_LISTED = 1000
TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f"}


class ImportInvalid(ValidationFailed):
    """``rows`` lists every bad row: [{"row": line, "fields": {...}}]."""

    code = "import_invalid"

    def __init__(self, message: str, rows: list[dict], total_bad: int | None = None):
        super().__init__(message, {}, rows=rows[:MAX_ERRORS_LISTED], bad_rows=total_bad or len(rows))
        self.rows = rows


class BadFile(ValidationFailed):
    code = "bad_file"


@dataclass
class RawRow:
    line: int
    values: dict[str, str]


# --- reading files ---------------------------------------------------------------

def _header(cells: list) -> list[str]:
    return [str(c or "").strip().lower().replace(" ", "_").lstrip("\ufeff") for c in cells]


def _check_header(header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c and c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("missing " + ", ".join(missing))
        if unknown:
            parts.append("unknown " + ", ".join(unknown))
        raise BadFile(
            f"The first row must name the columns {', '.join(COLUMNS)} ({'; '.join(parts)}).",
            {"file": "wrong columns: " + "; ".join(parts)},
        )


def read_csv(data: bytes) -> list[RawRow]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadFile("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.",
                      {"file": "not UTF-8 text"}) from None
    if "\x00" in text:
        raise BadFile("The file is not a CSV text file.", {"file": "binary content"})
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = _header(next(reader))
    except StopIteration:
        raise BadFile("The file is empty.", {"file": "empty"}) from None
    except csv.Error as exc:
        raise BadFile(f"The CSV could not be read: {exc}.", {"file": "unreadable CSV"}) from None
    _check_header(header)
    rows = []
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # blank lines are ignored, however many there are
            if len(rows) >= MAX_ROWS:
                raise BadFile(f"The file has more than {MAX_ROWS:,} rows; split it.", {"file": "too many rows"})
            rows.append(RawRow(line, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}))
    except csv.Error as exc:
        raise BadFile(f"The CSV could not be read near line {reader.line_num}: {exc}.", {"file": "unreadable CSV"}) from None
    return rows


def read_xlsx(data: bytes) -> list[RawRow]:
    """The first sheet's rows. Blank rows are skipped but count towards
    MAX_ROWS, so a sheet of a million empty rows stops early."""
    try:
        rows_iter = spreadsheet.sheet_rows(data, max_columns=MAX_COLUMNS)
        first = next(rows_iter, None)
        if first is None:
            raise BadFile("The workbook's first sheet is empty.", {"file": "empty"})
        header = _header(list(first[1]))
        _check_header(header)
        rows = []
        for line, cells in rows_iter:
            if line > MAX_ROWS + 1:
                raise BadFile(f"The file has more than {MAX_ROWS:,} rows (blank rows included); split it.",
                              {"file": "too many rows"})
            if not any(c not in (None, "") for c in cells):
                continue
            rows.append(RawRow(line, {h: _cell_text(cells[i] if i < len(cells) else None)
                                      for i, h in enumerate(header) if h}))
    except spreadsheet.UnsafeWorkbook as exc:
        raise BadFile(str(exc), {"file": str(exc)}) from None
    return rows


def _cell_text(cell) -> str:
    if isinstance(cell, datetime):
        cell = cell.date().isoformat()
    elif isinstance(cell, date):
        cell = cell.isoformat()
    elif isinstance(cell, float):
        cell = repr(cell)
    return "" if cell is None else str(cell).strip()


def read_file(filename: str, data: bytes) -> list[RawRow]:
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        return read_csv(data)
    raise BadFile("Upload a .csv or .xlsx file.", {"file": "must be .csv or .xlsx"})


# --- validating and saving -------------------------------------------------------

def _billable(raw: str) -> bool | None:
    text = raw.strip().lower()
    if not text:
        return None
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError


def import_rows(session: Session, actor, rows: list[RawRow], today: date,
                progress: Callable[[int], None] | None = None) -> int:
    """Validate every row, then insert them all in one transaction (or none)."""
    if not rows:
        raise BadFile("The file has no rows of days.", {"file": "no data rows"})
    progress = progress or (lambda n: None)
    emails = {r.values.get("staff_email", "").strip().lower() for r in rows}
    staff_by_email = {s.email: s for s in session.scalars(sa.select(StaffMember).where(StaffMember.email.in_(emails)))}
    engagement_ids = set()
    for r in rows:
        try:
            engagement_ids.add(int(r.values.get("engagement_id", "")))
        except ValueError:
            pass
    engagements = {e.id: e for e in session.scalars(sa.select(Engagement).where(Engagement.id.in_(engagement_ids)))}
    staff_cache = {s.id: s for s in staff_by_email.values()}
    team = {tuple(r) for r in session.execute(sa.select(EngagementMember.engagement_id, EngagementMember.staff_id)
                               .where(EngagementMember.engagement_id.in_(engagement_ids))).all()}

    bad: list[dict] = []
    clean_rows: list[tuple[int, services.CleanDay, dict]] = []
    for index, row in enumerate(rows, start=1):
        fields: dict[str, str] = {}
        values = row.values
        staff = staff_by_email.get(values.get("staff_email", "").strip().lower())
        if staff is None:
            fields["staff_email"] = "No staff member has this e-mail."
        try:
            billable = _billable(values.get("billable", ""))
        except ValueError:
            billable = None
            fields["billable"] = "Use true or false."
        data = services.DayInput(
            engagement_id=values.get("engagement_id"), staff_id=staff.id if staff else None,
            worked_on=values.get("worked_on", ""), activity=values.get("activity", "").strip().lower(),
            days=values.get("days", ""), billable=billable, notes=values.get("notes", ""),
        )
        try:
            clean, extra = services.clean_day(session, data, today, engagement_cache=engagements, staff_cache=staff_cache)
        except ValidationFailed as exc:
            fields.update({k: v for k, v in exc.fields.items() if not (k == "staff_id" and "staff_email" in fields)})
            if "staff_id" in fields:
                fields["staff_email"] = fields.pop("staff_id")
        else:
            try:
                services.check_may_change_days(actor, clean.staff.id)
                if getattr(actor, "role", None) == Role.CONSULTANT and (clean.engagement.id, clean.staff.id) not in team:
                    raise ValidationFailed.for_field("engagement_id", "You are not on this engagement's team.")
            except DomainError as exc:
                fields.update(exc.fields or {"staff_email": exc.message})
            if not fields:
                clean_rows.append((row.line, clean, extra))
        if fields:
            bad.append({"row": row.line, "fields": fields})
        if index % 1000 == 0:
            progress(1000)
    progress(len(rows) % 1000)

    bad.extend(_check_bookings(session, clean_rows))
    if bad:
        bad.sort(key=lambda b: b["row"])
        raise ImportInvalid(f"Nothing was imported: {len(bad)} row{'s' if len(bad) != 1 else ''} "
                            f"{'have' if len(bad) != 1 else 'has'} problems.", bad)
    return _insert(session, actor, clean_rows)


def _check_bookings(session: Session, clean_rows) -> list[dict]:
    """The one-day-per-date rule and one record per cell, within the file and
    against what is already booked."""
    bad = []
    if not clean_rows:
        return bad
    booked: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    cells: set[tuple] = set()
    for staff_id, worked_on, engagement_id, activity, amount in _existing_bookings(session, clean_rows):
        booked[(staff_id, worked_on)] += amount
        cells.add((staff_id, engagement_id, worked_on, activity))
    for line, c, _ in clean_rows:
        key = (c.staff.id, c.worked_on)
        cell = (c.staff.id, c.engagement.id, c.worked_on, c.activity)
        if cell in cells:
            bad.append({"row": line, "fields": {"activity": "This person already has this activity on this engagement "
                                                            "on this date (in the file or already recorded)."}})
            continue
        if booked[key] + c.days > services.ONE_DAY:
            bad.append({"row": line, "fields": {"days": f"{c.staff.name} would have {booked[key] + c.days} days on "
                                                        f"{c.worked_on:%-d %b %Y}; at most 1 a date."}})
            continue
        booked[key] += c.days
        cells.add(cell)
    return bad


def _existing_bookings(session: Session, clean_rows):
    """What is already booked on exactly the (person, date) pairs the file
    touches: the pairs go into a temporary table and the database joins, so a
    large history is never loaded."""
    pairs = sorted({(c.staff.id, c.worked_on) for _, c, _ in clean_rows})
    table = sa.Table("tmp_import_pairs", sa.MetaData(), sa.Column("staff_id", sa.Integer),
                     sa.Column("worked_on", sa.Date), prefixes=["TEMPORARY"])
    conn = session.connection()
    table.drop(conn, checkfirst=True)
    table.create(conn)
    for start in range(0, len(pairs), 10_000):
        conn.execute(table.insert(), [{"staff_id": s, "worked_on": d} for s, d in pairs[start:start + 10_000]])
    rows = conn.execute(
        sa.select(SupportDay.staff_id, SupportDay.worked_on, SupportDay.engagement_id, SupportDay.activity,
                  SupportDay.days)
        .join(table, sa.and_(table.c.staff_id == SupportDay.staff_id, table.c.worked_on == SupportDay.worked_on))
    ).all()
    table.drop(conn)
    return rows


def _insert(session: Session, actor, clean_rows) -> int:
    now = utcnow()
    records = []
    for _, c, extra in clean_rows:
        record = {"engagement_id": c.engagement.id, "staff_id": c.staff.id, "worked_on": c.worked_on,
                  "activity": c.activity, "days": c.days, "billable": c.billable, "state": c.state,
                  "notes": c.notes, "created_at": now, "updated_at": now}
        record.update(extra)
        records.append(record)
    ids: list[int] = []
    for start in range(0, len(records), 5000):
        chunk = records[start:start + 5000]
        result = session.execute(sa.insert(SupportDay).returning(SupportDay.id, sort_by_parameter_order=True), chunk)
        ids.extend(result.scalars().all())
    label = actor_label(actor)
    actor_id = getattr(actor, "id", None)
    audit_rows = [
        {"at": now, "actor_id": actor_id, "actor_label": label, "action": "import", "entity": "support_day",
         "entity_id": str(day_id), "before": None,
         "after": jsonable({k: rec[k] for k in ("engagement_id", "staff_id", "worked_on", "activity", "days",
                                                 "billable", "state", "notes")})}
        for day_id, rec in zip(ids, records, strict=True)
    ]
    for start in range(0, len(audit_rows), 5000):
        session.execute(sa.insert(AuditLog), audit_rows[start:start + 5000])
    faults.point("import.before_commit")
    session.commit()
    return len(records)


def import_file(session: Session, actor, filename: str, data: bytes, today: date,
                progress: Callable[[int], None] | None = None) -> int:
    """Parse the file outside any transaction, then check and save its rows.

    A request has usually begun a transaction by now (signing the user in); on
    SQLite a writing request's transaction holds the database's write lock
    (BEGIN IMMEDIATE, see tracker/database.py), so it is ended before parsing
    and the rows are checked and saved in a new one.
    """
    session.commit()  # nothing is pending here; a no-op without a transaction
    rows = read_file(filename, data)
    return import_rows(session, actor, rows, today, progress)


def template_csv() -> str:
    return ",".join(COLUMNS) + "\n"
