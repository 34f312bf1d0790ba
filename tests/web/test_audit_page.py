from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tracker.access import SYSTEM
from tracker.audit import services as audit
from tracker.audit.models import AuditLog
from tracker.audit.routes import audit_query
from tracker.audit.services import AuditImmutable
from tracker.web import fmt_datetime


def test_admin_filters_the_audit_log(login_as, world):
    client = login_as("admin")
    html = client.get("/audit/?entity=engagement").get_data(as_text=True)
    assert "engagement" in html and "staff member" not in html.split("<tbody>")[1]
    html = client.get("/audit/?who=nobody-matches").get_data(as_text=True)
    assert "Nothing matches." in html
    html = client.get("/audit/?action=status&start=2000-01-01&end=2100-01-01").get_data(as_text=True)
    assert "Status changed" in html and "Status:</span>" in html and "approved <span aria-hidden=\"true\">→</span>" in html


@pytest.mark.parametrize("role", ["manager", "consultant", "finance", "client"])
def test_only_admins_read_the_audit_log(login_as, world, role):
    assert login_as(role).get("/audit/").status_code == 403


def test_the_database_refuses_changes_to_audit_rows_on_postgresql(session, world, is_postgres):
    """Raw SQL, bypassing the ORM guard: PostgreSQL's trigger refuses it."""
    row_id = session.scalar(sa.select(AuditLog.id).limit(1))
    statement = sa.text("UPDATE audit_log SET actor_label = 'tampered' WHERE id = :id")
    if is_postgres:
        with pytest.raises(sa.exc.DBAPIError, match="cannot be changed"):
            session.execute(statement, {"id": row_id})
        session.rollback()
        with pytest.raises(sa.exc.DBAPIError, match="cannot be changed"):
            session.execute(sa.text("DELETE FROM audit_log WHERE id = :id"), {"id": row_id})
        session.rollback()
        assert session.get(AuditLog, row_id).actor_label != "tampered"
    else:
        # SQLite has no triggers from us: there the app-level guard is the line of defence.
        row = session.get(AuditLog, row_id)
        row.actor_label = "tampered"
        with pytest.raises(AuditImmutable):
            session.flush()
        session.rollback()


def test_the_log_reads_field_by_field_with_sign_ins(login_as, world, session):
    audit.record(session, world.users["manager"], "update", "authority", 7,
                 {"name": "Childrens Trust", "vat_number": None, "day_rate": "450.00"},
                 {"name": "Children's Trust", "vat_number": "GB1", "day_rate": "450.00"})
    # Rows another feature writes (sign-ins and failures), with actions this page may not know.
    audit.record(session, world.users["client"], "auth.sign_in", "user", world.users["client"].id, None,
                 {"ip": "127.0.0.1"})
    audit.record(session, SYSTEM, "auth.sign_in_failed", "user", "", None, {"email": "who@x.org", "reason": "password"})
    audit.record(session, SYSTEM, "auth.mfa_reset", "user", 3, None, {"by": "admin"})
    session.commit()
    html = login_as("admin").get("/audit/?entity=authority").get_data(as_text=True)
    assert "Children&#39;s Trust" in html and "\\u0027" not in html
    assert "Childrens Trust <span aria-hidden=\"true\">→</span>" in html
    assert "Vat number:</span>" in html and "Day rate" not in html.split("<tbody>")[1]  # unchanged fields left out
    html = login_as("admin").get("/audit/?entity=user").get_data(as_text=True)
    assert "Signed in" in html and "Failed sign-in" in html and "Auth: mfa reset" in html
    assert "Reason:</span>" in html


def test_times_are_shown_on_londons_clock():
    assert fmt_datetime(datetime(2026, 7, 1, 14, 30, tzinfo=UTC)) == "1 Jul 2026 15:30 BST"
    assert fmt_datetime(datetime(2026, 12, 1, 14, 30, tzinfo=UTC)) == "1 Dec 2026 14:30 GMT"
    assert fmt_datetime(datetime(2026, 7, 1, 23, 30)) == "2 Jul 2026 00:30 BST"  # naive = UTC


def test_date_filters_are_londons_days(session, world):
    session.add(AuditLog(actor_label="x", action="update", entity="probe", entity_id="1",
                         at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC)))  # 1 Jul 00:30 in London
    session.commit()
    on_first = session.scalars(audit_query(entity="probe", start=date(2026, 7, 1), end=date(2026, 7, 1))).all()
    on_last = session.scalars(audit_query(entity="probe", start=date(2026, 6, 30), end=date(2026, 6, 30))).all()
    assert len(on_first) == 1 and on_last == []
