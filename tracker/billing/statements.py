"""Statement of account for one client: every issued document (invoices and
credit notes), payment and refund in date order with a running balance. The
closing balance is the sum of the client's document balances (what aged debt
shows for the client). Client users may read their own authority's only;
any other authority answers 404."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.orm import Session, object_session

from tracker.authorities.models import Authority
from tracker.authorities.services import lead_authority
from tracker.billing import logo, specs
from tracker.billing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, Refund
from tracker.billing.pdf import STYLESHEET
from tracker.billing.queries import is_client
from tracker.errors import NotFound
from tracker.money import ZERO
from tracker.pdf import html_to_pdf

ORDER = {"invoice": 0, "credit_note": 1, "payment": 2, "refund": 3}


@dataclass(frozen=True)
class Entry:
    on: date
    kind: str  # invoice, credit_note, payment, refund
    reference: str
    description: str
    amount: Decimal  # what it adds to the balance owed (credit notes and payments negative)
    balance: Decimal  # running balance after this entry
    invoice_id: int


@dataclass
class Statement:
    client: Authority
    today: date
    entries: list[Entry] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        return self.entries[-1].balance if self.entries else ZERO

    @property
    def invoiced(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.kind == "invoice"), ZERO)

    @property
    def credited(self) -> Decimal:
        return -sum((e.amount for e in self.entries if e.kind == "credit_note"), ZERO)

    @property
    def received(self) -> Decimal:
        return -sum((e.amount for e in self.entries if e.kind == "payment"), ZERO)

    @property
    def refunded(self) -> Decimal:
        return sum((e.amount for e in self.entries if e.kind == "refund"), ZERO)


def get_client(session: Session, user, authority_id: int) -> Authority:
    """The client authority a user may read a statement of, or 404."""
    client = session.get(Authority, authority_id)
    if client is None or client.is_lead or (is_client(user) and user.authority_id != client.id):
        raise NotFound("No such client authority.")
    return client


def statement(session: Session, client: Authority, today: date) -> Statement:
    docs = session.scalars(
        sa.select(Invoice).where(Invoice.client_id == client.id, Invoice.status != InvoiceStatus.DRAFT)
    ).all()
    numbers = {d.id: d.number for d in docs}
    raw = []
    for d in docs:
        if d.kind == InvoiceKind.INVOICE:
            due = f", due {d.due_on:%-d %b %Y}" if d.due_on else ""
            raw.append((d.issued_on, "invoice", d.number, f"{d.title}{due}", d.gross, d.id))
        else:
            raw.append((d.issued_on, "credit_note", d.number, f"Credit note against {numbers.get(d.credits_id, '')}",
                        d.gross, d.credits_id))
    ids = list(numbers)
    if ids:
        for p in session.scalars(sa.select(Payment).where(Payment.invoice_id.in_(ids))):
            raw.append((p.paid_on, "payment", p.reference or "Payment", f"Payment received for {numbers[p.invoice_id]}",
                        -p.amount, p.invoice_id))
        for r in session.scalars(sa.select(Refund).where(Refund.invoice_id.in_(ids))):
            raw.append((r.paid_on, "refund", r.reference or "Refund", f"Refund paid on {numbers[r.invoice_id]}",
                        r.amount, r.invoice_id))
    raw.sort(key=lambda e: (e[0], ORDER[e[1]], e[2] or ""))
    result = Statement(client, today)
    running = ZERO
    for on, kind, reference, description, amount, invoice_id in raw:
        running += amount
        result.entries.append(Entry(on, kind, reference, description, amount, running, invoice_id))
    return result


def render_html(session: Session, st: Statement) -> str:
    return render_template("billing/statement_pdf.html", statement=st, lead=lead_authority(session),
                           remittance=specs.remittance(session, st.today), logo=logo.data_uri(session, st.today))


def render_pdf(st: Statement, session: Session | None = None) -> bytes:
    """The statement as a tagged PDF/UA A4 document."""
    session = session or object_session(st.client)
    return html_to_pdf(render_html(session, st), [STYLESHEET])


def filename(st: Statement) -> str:
    return f"statement-{st.client.id}-{st.today:%Y-%m-%d}.pdf"
