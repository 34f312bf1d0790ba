"""Issuing: the next number of a gap-free series, the dates, both parties'
details frozen onto the document, its days marked invoiced and the
engagements' day rates fixed — all in one transaction.

The series row is read ``FOR UPDATE`` on PostgreSQL (SQLite writers already
hold the database lock from BEGIN IMMEDIATE), so two finance officers issuing
at once queue for it and get consecutive numbers; a failed issue rolls the
increment back with everything else, so no number is lost.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.authorities.services import lead_authority
from tracker.billing import queries, specs
from tracker.billing.drafting import check_totals
from tracker.billing.models import (
    Invoice,
    InvoiceDayClaim,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineDay,
    InvoiceStatus,
    NumberSeries,
    due_date,
)
from tracker.database import utcnow
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement
from tracker.errors import Conflict
from tracker.ops import faults


class AlreadyIssued(Conflict):
    code = "already_issued"


class NotReadyToIssue(Conflict):
    code = "not_ready"


def series_key(kind: InvoiceKind, prefix: str, year: int) -> str:
    return f"{kind.value}:{prefix}:{year}"


def format_number(prefix: str, year: int, value: int) -> str:
    return f"{prefix}-{year}-{value:04d}"


def next_number(session: Session, kind: InvoiceKind, prefix: str, year: int) -> str:
    """Take the next number of a series inside the caller's transaction."""
    key = series_key(kind, prefix, year)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(NumberSeries).values(key=key, next_value=1).on_conflict_do_nothing(index_elements=["key"]))
    value = session.scalar(sa.select(NumberSeries.next_value).where(NumberSeries.key == key).with_for_update())
    session.execute(
        sa.update(NumberSeries).where(NumberSeries.key == key).values(next_value=value + 1),
        execution_options={"synchronize_session": False},
    )
    return format_number(prefix, year, value)


def freeze_parties(invoice: Invoice, lead) -> None:
    client = invoice.client
    invoice.supplier_name = lead.name
    invoice.supplier_address = lead.address
    invoice.supplier_vat_number = lead.vat_number
    invoice.supplier_contact = " · ".join(filter(None, (lead.finance_contact, lead.finance_email)))[:400]
    invoice.customer_name = client.name
    invoice.customer_address = client.address
    invoice.customer_contact = " · ".join(filter(None, (client.finance_contact, client.finance_email)))[:400]


def _readiness(session: Session, invoice: Invoice, today: date):
    lead = lead_authority(session)
    if lead is None or not lead.address.strip():
        raise NotReadyToIssue("Record the lead authority and its address (Authorities) before issuing invoices.")
    if invoice.charges_vat and not lead.vat_number:
        raise NotReadyToIssue(
            f"Record {lead.name}'s VAT registration number before issuing a VAT invoice: HMRC requires it."
        )
    if not invoice.client.address.strip():
        raise NotReadyToIssue(f"Record {invoice.client.name}'s address before issuing: it is printed on the invoice.")
    remittance = specs.remittance(session, today).strip()
    if not remittance:
        raise NotReadyToIssue("Set the remittance details (Settings) before issuing: the client needs them to pay.")
    for line in invoice.lines:
        engagement = session.get(Engagement, line.engagement_id)
        if engagement.day_rate != line.rate:
            raise NotReadyToIssue(
                f"The day rate of “{engagement.title}” changed after this draft was made; "
                "delete the draft and make a new one."
            )
    claimed = session.scalar(
        sa.select(sa.func.count()).select_from(InvoiceDayClaim).where(InvoiceDayClaim.invoice_id == invoice.id)
    )
    linked = session.scalar(
        sa.select(sa.func.count()).select_from(InvoiceLineDay).join(InvoiceLine, InvoiceLine.id == InvoiceLineDay.line_id)
        .where(InvoiceLine.invoice_id == invoice.id, InvoiceLineDay.support_day_id.is_not(None))
    )
    if not linked or claimed != linked:
        raise NotReadyToIssue("This draft no longer holds all its days; delete it and make a new one.")
    return lead, remittance


def issue_invoice(session: Session, actor, invoice: Invoice, today: date) -> Invoice:
    """Number, date and freeze a draft; its days become invoiced."""
    queries.lock_invoice(session, invoice)
    if not invoice.is_draft:
        raise AlreadyIssued(f"{invoice.label} has already been issued.")
    lead, remittance = _readiness(session, invoice, today)
    check_totals(session, invoice)
    terms = specs.payment_terms(session, today)
    number = next_number(session, InvoiceKind.INVOICE, specs.invoice_prefix(session, today), today.year)
    # One UPDATE: the guards allow changes only while the stored status is draft.
    with session.no_autoflush:
        invoice.number = number
        invoice.status = InvoiceStatus.ISSUED
        invoice.issued_on = today
        invoice.due_on = due_date(today, terms)
        invoice.payment_terms_days = terms
        invoice.remittance_details = remittance
        invoice.issued_at = utcnow()
        invoice.issued_by_id = getattr(actor, "id", None)
        freeze_parties(invoice, lead)
    session.flush()

    day_ids = sa.select(InvoiceDayClaim.support_day_id).where(InvoiceDayClaim.invoice_id == invoice.id)
    session.execute(
        sa.update(SupportDay).where(SupportDay.id.in_(day_ids)).values(state=DayState.INVOICED, updated_at=utcnow()),
        execution_options={"synchronize_session": False},  # the commit below expires every loaded day
    )
    locked = []
    for engagement_id in sorted({line.engagement_id for line in invoice.lines}):
        engagement = session.get(Engagement, engagement_id)
        if engagement.rate_locked_at is None:
            engagement.rate_locked_at = invoice.issued_at
            locked.append(engagement_id)
    audit.record(
        session, actor, "issue", "invoice", invoice.id, {"status": InvoiceStatus.DRAFT.value},
        audit.snapshot(invoice) | {"rate_locked_engagement_ids": locked,
                                   "support_day_ids": sorted(session.scalars(day_ids))},
    )
    session.flush()
    faults.point("invoice.issue.before_commit")  # number taken, rows updated, not yet committed
    session.commit()
    return invoice


def covered_day_ids(session: Session, line_ids) -> list[int]:
    stmt = sa.select(InvoiceLineDay.support_day_id).where(
        InvoiceLineDay.line_id.in_(list(line_ids)), InvoiceLineDay.support_day_id.is_not(None)
    )
    return sorted(session.scalars(stmt))
