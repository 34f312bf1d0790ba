"""Writing the audit log. Every service that changes money, days, scores,
plans or people calls :func:`record` inside its own transaction, so the log
row and the change commit together or not at all."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from tracker.audit.models import AuditLog


def jsonable(value):
    """A JSON-safe copy: Decimal as its exact string, dates as ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return value


def snapshot(obj, fields=None) -> dict:
    """The audited fields of a model object, JSON-safe."""
    names = fields or getattr(obj, "AUDIT_FIELDS", ())
    return {name: jsonable(getattr(obj, name)) for name in names}


def actor_label(actor) -> str:
    if actor is None:
        return "system"
    return actor.email  # a user's, or a SystemActor's name


def record(
    session: Session,
    actor,
    action: str,
    entity: str,
    entity_id,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog | None:
    """Add an audit row to the session (committed with the change).

    For updates, fields that did not change are dropped; an update that changed
    nothing writes no row.
    """
    before = jsonable(before) if before is not None else None
    after = jsonable(after) if after is not None else None
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        if not changed:
            return None
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    row = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_label=actor_label(actor),
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        before=before,
        after=after,
    )
    session.add(row)
    return row


class AuditImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


@event.listens_for(Session, "before_flush")
def _audit_rows_are_append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditImmutable("Audit log rows cannot be changed or deleted.")


def history(session: Session, entity: str, entity_id) -> list[AuditLog]:
    stmt = (
        sa.select(AuditLog)
        .where(AuditLog.entity == entity, AuditLog.entity_id == str(entity_id))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
    return list(session.scalars(stmt))
