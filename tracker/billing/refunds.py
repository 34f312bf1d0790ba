"""Refunds: money paid back to a client to settle an invoice's credit balance
(an invoice whose balance is below zero after a credit note, because more had
been paid than is now due). A refund is at most the credit balance; refunds
are append-only like payments (ORM guard and a PostgreSQL trigger)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.billing import queries
from tracker.billing.credits import credited_line_ids, settled_status
from tracker.billing.models import Invoice, Refund
from tracker.billing.payments import clean_money_movement
from tracker.errors import Conflict
from tracker.money import ZERO


class NoRefundDue(Conflict):
    code = "no_refund_due"


def _clean(amount, paid_on, reference, invoice: Invoice, today: date):
    due = -invoice.balance
    return clean_money_movement(
        amount, paid_on, reference, invoice, today, noun="refund", example="2000.00",
        date_prompt="the refund was paid", ceiling=due,
        over_ceiling=f"That is more than the £{due:,.2f} credit balance on {invoice.label}.")


def record_refund(session: Session, actor, invoice: Invoice, amount, paid_on, reference, today: date) -> Refund:
    """Pay back (part of) a credit balance; the invoice's balance moves towards zero."""
    queries.lock_invoice(session, invoice)
    if invoice.is_credit_note:
        raise NoRefundDue("Refunds are recorded against the invoice that carries the credit balance, "
                          "not against a credit note.")
    if invoice.is_draft:
        raise NoRefundDue(f"{invoice.label} is a draft: nothing has been paid on it.")
    if invoice.balance >= ZERO:
        raise NoRefundDue(f"No refund is due on {invoice.label}: it has no credit balance.")
    value, paid_on, reference = _clean(amount, paid_on, reference, invoice, today)
    refund = Refund(invoice_id=invoice.id, amount=value, paid_on=paid_on, reference=reference,
                    recorded_by_id=getattr(actor, "id", None))
    session.add(refund)
    before = {"status": invoice.status, "refunded": invoice.refunded}
    invoice.refunded = invoice.refunded + value
    invoice.status = settled_status(invoice, len(credited_line_ids(session, invoice)) == len(invoice.lines))
    session.flush()
    audit.record(session, actor, "create", "refund", refund.id, None, audit.snapshot(refund))
    audit.record(session, actor, "refund", "invoice", invoice.id, before,
                 {"status": invoice.status, "refunded": invoice.refunded})
    session.commit()
    return refund
