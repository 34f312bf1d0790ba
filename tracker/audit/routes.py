"""The audit log for administrators: who changed what, when, before and after."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from tracker.access import Role, roles
from tracker.audit import readable
from tracker.audit.models import AuditLog
from tracker.dates import in_range
from tracker.extensions import db
from tracker.pagination import page_args, paginate
from tracker.web import LONDON

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _date(raw: str | None) -> date | None:
    """A filter date; malformed or out of range (tracker.dates) is no filter."""
    try:
        value = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and in_range(value) else None


def audit_query(who: str = "", entity: str = "", action: str = "", entity_id: str = "",
                start: date | None = None, end: date | None = None) -> sa.Select:
    stmt = sa.select(AuditLog)
    if who:
        stmt = stmt.where(AuditLog.actor_label.ilike(f"%{who.strip()}%"))
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if action:
        stmt = stmt.where(AuditLog.action == action)
    if entity_id:
        stmt = stmt.where(AuditLog.entity_id == entity_id.strip())
    # Dates are London's days (midnight to midnight, GMT or BST), as the page shows times.
    if start:
        stmt = stmt.where(AuditLog.at >= datetime.combine(start, time.min, tzinfo=LONDON))
    if end:
        stmt = stmt.where(AuditLog.at < datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON))
    return stmt.order_by(AuditLog.id.desc())


@roles(Role.ADMIN)
@bp.get("/")
def list_audit():
    args = request.args
    filters = {"who": args.get("who", "")[:100], "entity": args.get("entity", "")[:60],
               "action": args.get("action", "")[:40], "entity_id": args.get("entity_id", "")[:40],
               "start": _date(args.get("start")), "end": _date(args.get("end"))}
    page, per_page = page_args(args)
    result = paginate(db.session, audit_query(**filters), page, per_page)
    entities = db.session.scalars(sa.select(AuditLog.entity).distinct().order_by(AuditLog.entity)).all()
    actions = db.session.scalars(sa.select(AuditLog.action).distinct().order_by(AuditLog.action)).all()
    return render_template("audit/list.html", page=result, filters=filters, entities=entities, actions=actions,
                           action_label=readable.action_label, changes=readable.changes)
