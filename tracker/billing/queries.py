"""Reading invoices: who may see which, filters and totals, the work waiting
to be invoiced, aged debt, and income invoiced per engagement. Sums are
taken in SQL with ``dsum`` (exact on SQLite too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import Role
from tracker.authorities.models import Authority
from tracker.billing import rule
from tracker.billing.models import (
    OPEN_STATUSES,
    Invoice,
    InvoiceDayClaim,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
)
from tracker.database import dsum
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind
from tracker.errors import NotFound
from tracker.money import ZERO, line_net
from tracker.pagination import Page, paginate

#: status filter values: the stored statuses plus "overdue" (open, past due, owing).
STATUS_FILTERS = [*(s.value for s in InvoiceStatus), "overdue"]


def is_client(user) -> bool:
    return getattr(user, "role", None) == Role.CLIENT


def may_see(user, invoice: Invoice) -> bool:
    """Lead finance roles see everything; a client user only their own issued documents."""
    if is_client(user):
        return invoice.client_id == user.authority_id and not invoice.is_draft
    return True


def get_invoice(session: Session, user, invoice_id: int) -> Invoice:
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or not may_see(user, invoice):
        raise NotFound("No such invoice.")
    return invoice


def lock_invoice(session: Session, invoice: Invoice) -> Invoice:
    """Take the invoice's row lock (PostgreSQL; SQLite writers already hold the
    database lock) and reload it, so concurrent issues, credits, payments and
    deletions of one document queue up and each sees the last one's result.

    A draft deleted by another request after this one loaded it answers 404
    (found by bench/load_without_loss.py: it used to be a 500)."""
    stmt = sa.select(Invoice.id).where(Invoice.id == sa.inspect(invoice).identity[0])
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    if session.scalar(stmt) is None:
        raise NotFound("No such invoice: it was deleted a moment ago.")
    session.refresh(invoice)
    return invoice


def balance_expr():
    return Invoice.gross - Invoice.credited - Invoice.paid + Invoice.refunded


@dataclass
class InvoiceFilters:
    client_id: int | None = None
    status: str | None = None
    kind: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    engagement_id: int | None = None


def filtered(user, filters: InvoiceFilters, today: date) -> sa.Select:
    stmt = sa.select(Invoice)
    if is_client(user):
        stmt = stmt.where(Invoice.client_id == user.authority_id, Invoice.status != InvoiceStatus.DRAFT)
    if filters.client_id:
        stmt = stmt.where(Invoice.client_id == filters.client_id)
    if filters.kind:
        stmt = stmt.where(Invoice.kind == InvoiceKind(filters.kind))
    if filters.status == "overdue":
        stmt = stmt.where(
            Invoice.kind == InvoiceKind.INVOICE, Invoice.status.in_(OPEN_STATUSES),
            Invoice.due_on < today, balance_expr() > 0,
        )
    elif filters.status:
        stmt = stmt.where(Invoice.status == InvoiceStatus(filters.status))
    if filters.issued_from:
        stmt = stmt.where(Invoice.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Invoice.issued_on <= filters.issued_to)
    if filters.engagement_id:
        stmt = stmt.where(Invoice.id.in_(
            sa.select(InvoiceLine.invoice_id).where(InvoiceLine.engagement_id == filters.engagement_id)
        ))
    return stmt


def ordered(stmt: sa.Select) -> sa.Select:
    """Drafts first, then the newest issued."""
    return stmt.order_by(Invoice.issued_on.is_not(None), Invoice.issued_on.desc(), Invoice.id.desc())


def list_invoices(session: Session, user, filters: InvoiceFilters, today: date, page: int, per_page: int, *,
                  by_id: bool = False, options: tuple = ()) -> Page:
    """One page of the invoices and credit notes this user may see, for the page and the
    API alike: drafts first then the newest issued, or by id (``by_id``: the API's stable
    order for walking pages); ``options`` are the caller's loader options."""
    stmt = filtered(user, filters, today)
    stmt = stmt.order_by(Invoice.id) if by_id else ordered(stmt)
    return paginate(session, stmt.options(*options), page, per_page)


@dataclass
class Totals:
    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO
    paid: Decimal = ZERO
    balance: Decimal = ZERO


def totals(session: Session, stmt: sa.Select) -> Totals:
    """Totals of a filtered list, summed in SQL over the stored figures."""
    sub = stmt.order_by(None).with_only_columns(Invoice.id).subquery()
    balance = sa.case((Invoice.kind == InvoiceKind.INVOICE, balance_expr()), else_=0)
    row = session.execute(
        sa.select(sa.func.count(Invoice.id), dsum(Invoice.net), dsum(Invoice.vat), dsum(Invoice.gross),
                  dsum(Invoice.paid), dsum(sa.case((Invoice.status == InvoiceStatus.DRAFT, 0), else_=balance)))
        .where(Invoice.id.in_(sa.select(sub.c.id)))
    ).one()
    return Totals(*row)


# --- work waiting to be invoiced --------------------------------------------------

def billable_days(client_id: int, up_to: date, engagement_id: int | None = None) -> sa.Select:
    """Delivered billable days of a client's support packages, up to a date,
    that no live invoice claims."""
    claimed = sa.select(InvoiceDayClaim.support_day_id).where(InvoiceDayClaim.support_day_id == SupportDay.id)
    stmt = (
        sa.select(SupportDay.id, SupportDay.engagement_id, SupportDay.staff_id, SupportDay.activity,
                  SupportDay.worked_on, SupportDay.days)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .where(
            Engagement.client_id == client_id, Engagement.kind == EngagementKind.SUPPORT_PACKAGE,
            SupportDay.state == DayState.DELIVERED, SupportDay.billable.is_(True), SupportDay.written_off.is_(False),
            SupportDay.worked_on <= up_to, ~sa.exists(claimed),
        )
    )
    if engagement_id:
        stmt = stmt.where(SupportDay.engagement_id == engagement_id)
    return stmt


@dataclass
class WaitingEngagement:
    engagement: Engagement
    days: Decimal = ZERO
    net: Decimal = ZERO
    first_day: date | None = None
    last_day: date | None = None


@dataclass
class WaitingClient:
    client: Authority
    engagements: list[WaitingEngagement] = field(default_factory=list)

    @property
    def days(self) -> Decimal:
        return sum((e.days for e in self.engagements), ZERO)

    @property
    def net(self) -> Decimal:
        return sum((e.net for e in self.engagements), ZERO)


def uninvoiced(session: Session, up_to: date, client_id: int | None = None) -> list[WaitingClient]:
    """Days and £ (net) waiting to be invoiced, by client and engagement.

    £ is priced line by line exactly as a draft would be (engagement, staff,
    activity, month: the pricing rule), so the figure here is the draft's net.
    """
    month = rule.month_number(SupportDay.worked_on)
    claimed = sa.select(InvoiceDayClaim.support_day_id).where(InvoiceDayClaim.support_day_id == SupportDay.id)
    stmt = (
        sa.select(SupportDay.engagement_id, SupportDay.staff_id, SupportDay.activity, dsum(SupportDay.days),
                  sa.func.min(SupportDay.worked_on), sa.func.max(SupportDay.worked_on), month)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .where(
            Engagement.kind == EngagementKind.SUPPORT_PACKAGE, SupportDay.state == DayState.DELIVERED,
            SupportDay.written_off.is_(False),
            SupportDay.billable.is_(True), SupportDay.worked_on <= up_to, ~sa.exists(claimed),
        )
        .group_by(SupportDay.engagement_id, SupportDay.staff_id, SupportDay.activity, month)
    )
    if client_id:
        stmt = stmt.where(Engagement.client_id == client_id)
    by_engagement: dict[int, WaitingEngagement] = {}
    rows = session.execute(stmt).all()
    engagements = {e.id: e for e in session.scalars(
        sa.select(Engagement).where(Engagement.id.in_({r[0] for r in rows}))
    )} if rows else {}
    for engagement_id, _staff_id, _activity, days, first, last, _month in rows:
        engagement = engagements[engagement_id]
        waiting = by_engagement.setdefault(engagement_id, WaitingEngagement(engagement))
        waiting.days += days
        waiting.net += line_net(days, engagement.day_rate)
        waiting.first_day = min(filter(None, (waiting.first_day, first)))
        waiting.last_day = max(filter(None, (waiting.last_day, last)))
    clients: dict[int, WaitingClient] = {}
    for waiting in sorted(by_engagement.values(), key=lambda w: (w.engagement.client.name, w.engagement.start_date)):
        clients.setdefault(waiting.engagement.client_id, WaitingClient(waiting.engagement.client)).engagements.append(waiting)
    return list(clients.values())


# --- aged debt ---------------------------------------------------------------------

AGE_BUCKETS = [
    ("current", "Current"),
    ("days_1_30", "1–30 days"),
    ("days_31_60", "31–60 days"),
    ("days_61_90", "61–90 days"),
    ("days_over_90", "90+ days"),
]


@dataclass
class AgedRow:
    client_id: int
    client_name: str
    buckets: dict[str, Decimal] = field(default_factory=lambda: {key: ZERO for key, _ in AGE_BUCKETS})
    invoices: int = 0
    #: Credit balances (refunds due), as a negative amount; included in "current".
    refund_due: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.buckets.values(), ZERO)


def aged_debt(session: Session, today: date) -> tuple[list[AgedRow], AgedRow]:
    """What each client owes on issued invoices, by how long it is overdue.

    Every issued invoice with a balance other than zero counts, whatever its
    status; a credit balance (a refund due) is shown in "current" as a negative
    amount. So the total equals the sum of document balances in the invoice
    list (credit notes carry none of their own)."""
    balance = balance_expr()
    bucket = sa.case(
        (balance < 0, "current"),
        (Invoice.due_on >= today, "current"),
        (Invoice.due_on >= today - timedelta(days=30), "days_1_30"),
        (Invoice.due_on >= today - timedelta(days=60), "days_31_60"),
        (Invoice.due_on >= today - timedelta(days=90), "days_61_90"),
        else_="days_over_90",
    ).label("bucket")
    stmt = (
        sa.select(Invoice.client_id, Authority.name, bucket, dsum(balance), sa.func.count(Invoice.id),
                  dsum(sa.case((balance < 0, balance), else_=0)))
        .join(Authority, Authority.id == Invoice.client_id)
        .where(Invoice.kind == InvoiceKind.INVOICE, Invoice.status != InvoiceStatus.DRAFT, balance != 0)
        .group_by(Invoice.client_id, Authority.name, bucket)
        .order_by(Authority.name)
    )
    rows: dict[int, AgedRow] = {}
    total = AgedRow(0, "All clients")
    for client_id, name, key, amount, count, credit in session.execute(stmt):
        row = rows.setdefault(client_id, AgedRow(client_id, name))
        for target in (row, total):
            target.buckets[key] += amount
            target.invoices += count
            target.refund_due += credit
    return list(rows.values()), total


def balances_total(session: Session) -> Decimal:
    """The sum of document balances over every issued document (what aged debt must equal)."""
    stmt = sa.select(dsum(balance_expr())).where(Invoice.kind == InvoiceKind.INVOICE, Invoice.status != InvoiceStatus.DRAFT)
    return session.scalar(stmt)


# --- income per engagement (for the engagements API) ------------------------------

def income_invoiced(session: Session, engagement_ids) -> dict[int, Decimal]:
    """Net invoiced per engagement: issued invoice lines less credit-note lines."""
    ids = list(engagement_ids)
    if not ids:
        return {}
    # "Not on a draft" as NOT EXISTS, not a join: PostgreSQL hashed every invoice to join an
    # engagement's few hundred lines (9 ms at national scale); this looks up each line's own.
    on_draft = sa.exists().where(Invoice.id == InvoiceLine.invoice_id, Invoice.status == InvoiceStatus.DRAFT)
    stmt = (
        sa.select(InvoiceLine.engagement_id, dsum(InvoiceLine.net))
        .where(InvoiceLine.engagement_id.in_(ids), ~on_draft)
        .group_by(InvoiceLine.engagement_id)
    )
    found = {row[0]: row[1] for row in session.execute(stmt)}
    return {eid: found.get(eid, ZERO) for eid in ids}
