"""What keeps issued invoices and invoiced days read-only, whatever the path.

Three layers, from the friendliest to the last word:

1. ``lock_reason``, declared as a day lock by billing's init_app: every
   page, API call, import and CLI command changes days through those
   services, which answer 409 Locked for a day on a draft or issued invoice.
2. An ORM ``before_flush`` guard (works on SQLite too): raw ORM code cannot
   change or delete an issued invoice, its lines, the days they cover, a
   payment, or a claimed support day's billable figures.
3. PostgreSQL triggers (migration 0004) refuse the same at the database,
   whatever the client; their errors carry SQLSTATE ``TRK01`` and are turned
   into the same 409 by :func:`translate_database_error`.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

from tracker.billing.models import (
    Invoice,
    InvoiceDayClaim,
    InvoiceLine,
    InvoiceLineDay,
    InvoiceStatus,
    Payment,
    Refund,
)
from tracker.days.models import DayState, SupportDay
from tracker.errors import Locked

#: The only columns of an issued invoice that may still change.
MUTABLE_ONCE_ISSUED = frozenset({"status", "paid", "credited", "refunded"})
#: A claimed day's columns that feed the invoice's figures.
BILLED_DAY_COLUMNS = ("engagement_id", "staff_id", "worked_on", "activity", "days", "billable")
#: The SQLSTATE the PostgreSQL triggers raise.
LOCKED_SQLSTATE = "TRK01"


class InvoiceLocked(Locked):
    code = "invoice_locked"


def claim_of(session: Session, day_id: int):
    stmt = (
        sa.select(Invoice.id, Invoice.status, Invoice.number)
        .join(InvoiceDayClaim, InvoiceDayClaim.invoice_id == Invoice.id)
        .where(InvoiceDayClaim.support_day_id == day_id)
    )
    return session.execute(stmt).first()


def lock_reason(day: SupportDay) -> str | None:
    """Why a day cannot change because of billing, or None."""
    session = object_session(day)
    if session is None or day.id is None:
        return None
    with session.no_autoflush:
        claim = claim_of(session, day.id)
    if claim is None:
        return None
    if claim.status == InvoiceStatus.DRAFT:
        return (f"This day is reserved by draft invoice {claim.id}; delete the draft to change the day, "
                "or issue it and credit the line.")
    return f"This day is on invoice {claim.number} and cannot be changed; a credit note releases it."


def _committed(obj, name: str):
    """The value an attribute has in the database (before this flush's changes)."""
    state = sa.inspect(obj)
    history = state.attrs[name].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    # Not loaded (e.g. expired by a commit) or set without loading: ask the database.
    model = type(obj)
    column = getattr(model, name)
    key = sa.inspect(model).primary_key[0]
    return state.session.scalar(sa.select(column).where(key == state.identity[0]))


def _changed(obj) -> set[str]:
    state = sa.inspect(obj)
    return {attr.key for attr in state.attrs if attr.history.has_changes()}


def _invoice_status(session: Session, invoice_id: int | None):
    if invoice_id is None:
        return InvoiceStatus.DRAFT
    for obj in session.identity_map.values():
        if isinstance(obj, Invoice) and obj.id == invoice_id:
            return _committed(obj, "status")
    return session.scalar(sa.select(Invoice.status).where(Invoice.id == invoice_id))


def _check_invoice(session: Session, invoice: Invoice, deleting: bool) -> None:
    if sa.inspect(invoice).pending:
        return
    was = _committed(invoice, "status")
    if was == InvoiceStatus.DRAFT:
        return
    if deleting:
        raise InvoiceLocked(f"{invoice.label} has been issued and cannot be deleted; credit it instead.")
    frozen = _changed(invoice) - MUTABLE_ONCE_ISSUED
    # Relationship attributes (lines, payments) report changes when children are added.
    frozen &= set(Invoice.__table__.columns.keys())
    if frozen:
        raise InvoiceLocked(
            f"{invoice.label} has been issued and cannot be changed ({', '.join(sorted(frozen))}); "
            "corrections are credit notes."
        )
    if invoice.status == InvoiceStatus.DRAFT:
        raise InvoiceLocked(f"{invoice.label} has been issued and cannot go back to draft.")


def _check_line(session: Session, line: InvoiceLine) -> None:
    if sa.inspect(line).pending:
        return
    if _invoice_status(session, _committed(line, "invoice_id")) != InvoiceStatus.DRAFT:
        raise InvoiceLocked("The lines of an issued invoice cannot be changed or deleted.")


def _check_line_day(session: Session, link: InvoiceLineDay, deleting: bool) -> None:
    if sa.inspect(link).pending:
        return
    if not deleting and _changed(link) == {"support_day_id"} and link.support_day_id is None:
        return  # the day itself was deleted after a credit released it
    line_id = _committed(link, "line_id")
    invoice_id = session.scalar(sa.select(InvoiceLine.invoice_id).where(InvoiceLine.id == line_id))
    if _invoice_status(session, invoice_id) != InvoiceStatus.DRAFT:
        raise InvoiceLocked("The days recorded against an issued invoice line cannot be changed.")


def _check_claim_release(session: Session, claim: InvoiceDayClaim) -> None:
    """An issued invoice's days stay claimed until a credit note credits their line."""
    if sa.inspect(claim).pending or _invoice_status(session, _committed(claim, "invoice_id")) == InvoiceStatus.DRAFT:
        return
    credited = session.scalar(sa.select(InvoiceLine.id).where(InvoiceLine.credits_line_id == _committed(claim, "line_id")))
    if credited is None:
        raise InvoiceLocked("The days of an issued invoice stay claimed until a credit note releases them.")


def _check_day(session: Session, day: SupportDay, deleting: bool) -> None:
    if sa.inspect(day).pending:
        return
    if not deleting:
        changed = _changed(day)
        moves_billed = bool(changed & set(BILLED_DAY_COLUMNS))
        to_planned = "state" in changed and day.state == DayState.PLANNED
        if not (moves_billed or to_planned):
            return
    claim = claim_of(session, day.id)
    if claim is not None:
        raise Locked(lock_reason(day) or "This day is on an invoice.")


def _issued_invoices_are_read_only(session, flush_context, instances):
    with session.no_autoflush:
        for obj in list(session.dirty):
            if isinstance(obj, Invoice):
                _check_invoice(session, obj, deleting=False)
            elif isinstance(obj, InvoiceLine) and session.is_modified(obj):
                _check_line(session, obj)
            elif isinstance(obj, InvoiceLineDay) and session.is_modified(obj):
                _check_line_day(session, obj, deleting=False)
            elif isinstance(obj, Payment) and session.is_modified(obj):
                raise InvoiceLocked("Payments cannot be changed once recorded.")
            elif isinstance(obj, Refund) and session.is_modified(obj):
                raise InvoiceLocked("Refunds cannot be changed once recorded.")
            elif isinstance(obj, InvoiceDayClaim) and session.is_modified(obj):
                _check_claim_release(session, obj)
            elif isinstance(obj, SupportDay) and session.is_modified(obj):
                _check_day(session, obj, deleting=False)
        for obj in list(session.deleted):
            if isinstance(obj, Invoice):
                _check_invoice(session, obj, deleting=True)
            elif isinstance(obj, InvoiceLine):
                _check_line(session, obj)
            elif isinstance(obj, InvoiceLineDay):
                _check_line_day(session, obj, deleting=True)
            elif isinstance(obj, Payment):
                raise InvoiceLocked("Payments cannot be deleted once recorded.")
            elif isinstance(obj, Refund):
                raise InvoiceLocked("Refunds cannot be deleted once recorded.")
            elif isinstance(obj, InvoiceDayClaim):
                _check_claim_release(session, obj)
            elif isinstance(obj, SupportDay):
                _check_day(session, obj, deleting=True)


def translate_database_error(error: Exception) -> Locked | None:
    """A PostgreSQL trigger's refusal (SQLSTATE TRK01) as a 409 Locked."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) != LOCKED_SQLSTATE:
        return None
    diag = getattr(orig, "diag", None)
    message = getattr(diag, "message_primary", None) or "That record is on an issued invoice and cannot change."
    return InvoiceLocked(message)


def install_orm_guard() -> None:
    """Listen to every ORM flush (idempotent: one listener however many apps)."""
    if not event.contains(Session, "before_flush", _issued_invoices_are_read_only):
        event.listen(Session, "before_flush", _issued_invoices_are_read_only)
