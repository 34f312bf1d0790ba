"""Payments against issued invoices: amount, date, reference. The invoice's
paid total and status (issued → part-paid → paid) follow; payments are
append-only (the ORM guard and a PostgreSQL trigger refuse edits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.billing import queries
from tracker.billing.credits import credited_line_ids, settled_status
from tracker.billing.models import Invoice, Payment
from tracker.errors import Conflict, ValidationFailed
from tracker.money import ZERO, money, to_decimal

#: The limit the form and the API schema take from here.
REFERENCE_MAX = 60


class NotPayable(Conflict):
    code = "not_payable"


def clean_money_movement(amount, paid_on, reference, invoice: Invoice, today: date, *, noun: str, example: str,
                         date_prompt: str, ceiling: Decimal, over_ceiling: str):
    """The checks a payment and a refund share: an amount in pounds and pence, more than
    nothing and at most ``ceiling``; a date neither in the future nor before the invoice;
    a short reference. Raises ValidationFailed naming every bad field."""
    fields: dict[str, str] = {}
    value = None
    try:
        value = to_decimal(amount)
        if value != money(value):
            fields["amount"] = f"Give the amount in pounds and pence, e.g. {example}."
        elif value <= ZERO:
            fields["amount"] = "The amount must be more than £0.00."
        elif value > ceiling:
            fields["amount"] = over_ceiling
    except ValueError:
        fields["amount"] = f"Give the amount {'received' if noun == 'payment' else 'refunded'}, e.g. {example}."
    if isinstance(paid_on, str):
        try:
            paid_on = date.fromisoformat(paid_on)
        except ValueError:
            paid_on = None
    if not isinstance(paid_on, date):
        fields["paid_on"] = f"Give the date {date_prompt} (YYYY-MM-DD)."
    elif paid_on > today:
        fields["paid_on"] = f"A {noun} cannot be dated in the future."
    elif paid_on < invoice.issued_on:
        fields["paid_on"] = f"A {noun} cannot come before the invoice date ({invoice.issued_on:%-d %b %Y})."
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX:
        fields["reference"] = f"Keep the reference to {REFERENCE_MAX} characters."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return money(value), paid_on, reference


def _clean(amount, paid_on, reference, invoice: Invoice, today: date):
    return clean_money_movement(
        amount, paid_on, reference, invoice, today, noun="payment", example="6000.00",
        date_prompt="the money arrived", ceiling=invoice.balance,
        over_ceiling=f"That is more than the £{invoice.balance:,.2f} still owed on {invoice.label}.")


def record_payment(session: Session, actor, invoice: Invoice, amount, paid_on, reference: str, today: date) -> Payment:
    queries.lock_invoice(session, invoice)
    if invoice.is_credit_note:
        raise NotPayable("Payments are recorded against invoices, not credit notes.")
    if invoice.is_draft:
        raise NotPayable(f"{invoice.label} is a draft: issue it before recording a payment.")
    if invoice.balance <= ZERO:
        raise NotPayable(f"Nothing is owed on {invoice.label}.")
    value, paid_on, reference = _clean(amount, paid_on, reference, invoice, today)
    payment = Payment(invoice_id=invoice.id, amount=value, paid_on=paid_on, reference=reference,
                      recorded_by_id=getattr(actor, "id", None))
    session.add(payment)
    before = {"status": invoice.status, "paid": invoice.paid}
    invoice.paid = invoice.paid + value
    fully_credited = len(credited_line_ids(session, invoice)) == len(invoice.lines)
    invoice.status = settled_status(invoice, fully_credited)
    session.flush()
    audit.record(session, actor, "create", "payment", payment.id, None, audit.snapshot(payment))
    audit.record(session, actor, "payment", "invoice", invoice.id, before, {"status": invoice.status, "paid": invoice.paid})
    session.commit()
    return payment
