import pytest
import sqlalchemy as sa

from tracker.access import SystemActor
from tracker.audit import services as audit
from tracker.audit.models import AuditLog
from tracker.audit.services import AuditImmutable


def test_an_update_that_changes_nothing_writes_no_row(session, world):
    assert audit.record(session, SystemActor("test"), "update", "x", 1, {"a": 1}, {"a": 1}) is None


def test_only_changed_fields_are_kept(session, world):
    row = audit.record(session, SystemActor("test"), "update", "x", 1, {"a": 1, "b": 2}, {"a": 1, "b": 3})
    assert row.before == {"b": 2} and row.after == {"b": 3}


def test_audit_rows_cannot_be_changed_or_deleted_through_the_orm(session, world):
    row = session.scalars(sa.select(AuditLog).limit(1)).one()
    row.after = {"tampered": True}
    with pytest.raises(AuditImmutable):
        session.flush()
    session.rollback()
    row = session.scalars(sa.select(AuditLog).limit(1)).one()
    session.delete(row)
    with pytest.raises(AuditImmutable):
        session.flush()
    session.rollback()


def test_the_world_setup_is_fully_audited(session, world):
    entities = set(session.scalars(sa.select(AuditLog.entity).distinct()))
    assert {"authority", "staff_member", "user", "engagement"} <= entities
