import pytest
import sqlalchemy as sa

from tracker.audit.models import AuditLog
from tracker.audit.services import AuditImmutable


def test_admin_filters_the_audit_log(login_as, world):
    client = login_as("admin")
    html = client.get("/audit/?entity=engagement").get_data(as_text=True)
    assert "engagement" in html and "staff member" not in html.split("<tbody>")[1]
    html = client.get("/audit/?who=nobody-matches").get_data(as_text=True)
    assert "Nothing matches." in html
    html = client.get("/audit/?action=status&start=2000-01-01&end=2100-01-01").get_data(as_text=True)
    assert "&#34;status&#34;: &#34;active&#34;" in html or '"status": "active"' in html


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
