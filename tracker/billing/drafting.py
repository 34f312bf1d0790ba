"""Drafts: every delivered billable day of a client not yet on an invoice, up
to a date, priced into lines; and deleting a draft, which frees its days.

A draft claims its days (``invoice_day_claims``, keyed by the day): no other
draft can take them and the days services refuse to change them. On
PostgreSQL the candidate days are read ``FOR UPDATE`` so a day cannot be
changed between being priced and being claimed; if two runs still race for
the same days, the second claim fails on the primary key and that run gets
409 DoubleClaim, with nothing saved.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from tracker.audit import services as audit
from tracker.authorities.models import Authority
from tracker.billing import queries
from tracker.billing.models import (
    Invoice,
    InvoiceDayClaim,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineDay,
    InvoiceStatus,
)
from tracker.billing.pricing import line_key, month_of, price_line, total
from tracker.database import dsum, utcnow
from tracker.dates import check_fields
from tracker.days.models import Activity, SupportDay
from tracker.engagements.models import Engagement
from tracker.errors import Conflict, ValidationFailed
from tracker.staff.models import StaffMember

ACTIVITY_ORDER = {activity: index for index, activity in enumerate(Activity)}


class NothingToInvoice(Conflict):
    code = "nothing_billable"


class DoubleClaim(Conflict):
    code = "double_claim"


class InvoiceIssued(Conflict):
    code = "invoice_issued"


def _clean(session: Session, client_id, up_to, engagement_id) -> tuple[Authority, date, Engagement | None]:
    fields: dict[str, str] = {}
    client = None
    try:
        client = session.get(Authority, int(client_id))
    except (TypeError, ValueError):
        pass
    if client is None or client.is_lead:
        fields["client_id"] = "Choose the client authority to invoice."
    if not isinstance(up_to, date):
        fields["up_to"] = "Give the date to invoice up to (YYYY-MM-DD)."
    check_fields(fields, up_to=up_to)
    engagement = None
    if engagement_id not in (None, "", 0):
        try:
            engagement = session.get(Engagement, int(engagement_id))
        except (TypeError, ValueError):
            engagement = None
        if engagement is None or (client is not None and engagement.client_id != client.id):
            fields["engagement_id"] = "Choose one of this client's engagements, or leave it empty for all of them."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return client, up_to, engagement


def _line_order(engagements: dict, staff: dict):
    def key(group_key):
        engagement_id, staff_id, activity, month = group_key
        engagement = engagements[engagement_id]
        return (engagement.start_date, engagement.id, staff[staff_id].name, staff_id, ACTIVITY_ORDER[activity], month)

    return key


def describe(invoice: Invoice) -> dict:
    """An audit snapshot: the document's fields, its lines and the days they cover
    (the days read in one query, not one lazy load per line)."""
    session = object_session(invoice)
    day_ids: dict[int, list[int]] = defaultdict(list)
    line_ids = [line.id for line in invoice.lines]
    if session is not None and line_ids:
        session.flush()
        rows = session.execute(
            sa.select(InvoiceLineDay.line_id, InvoiceLineDay.support_day_id)
            .where(InvoiceLineDay.line_id.in_(line_ids), InvoiceLineDay.support_day_id.is_not(None))
            .order_by(InvoiceLineDay.line_id, InvoiceLineDay.worked_on, InvoiceLineDay.id)
        )
        for line_id, day_id in rows:
            day_ids[line_id].append(day_id)
    return audit.snapshot(invoice) | {
        "lines": [
            {"position": line.position, "engagement_id": line.engagement_id, "staff_id": line.staff_id,
             "activity": line.activity, "days": line.days, "rate": line.rate, "net": line.net,
             "vat_rate": line.vat_rate, "vat": line.vat, "gross": line.gross,
             "credits_line_id": line.credits_line_id, "support_day_ids": day_ids[line.id]}
            for line in invoice.lines
        ],
    }


def check_totals(session: Session, invoice: Invoice) -> None:
    """The stored totals must be the SQL sums of the stored lines."""
    session.flush()
    sums = session.execute(
        sa.select(dsum(InvoiceLine.net), dsum(InvoiceLine.vat), dsum(InvoiceLine.gross))
        .where(InvoiceLine.invoice_id == invoice.id)
    ).one()
    if tuple(sums) != (invoice.net, invoice.vat, invoice.gross):
        raise RuntimeError(f"invoice {invoice.id}: totals {invoice.net}/{invoice.vat}/{invoice.gross} != lines {tuple(sums)}")


def build_invoice(session: Session, actor, client_id, up_to, today: date, engagement_id=None) -> Invoice:
    """A draft for a client: its delivered billable days up to a date, not yet invoiced."""
    client, up_to, engagement = _clean(session, client_id, up_to, engagement_id)
    stmt = queries.billable_days(client.id, up_to, engagement.id if engagement else None)
    # Lock in the order the days services do (staff member, then day), so a
    # draft and a day edit queue instead of deadlocking: the edit holds the
    # staff row while it changes a day; the draft's lines need that row too.
    staff_ids = sorted(set(session.scalars(stmt.with_only_columns(SupportDay.staff_id))))
    if staff_ids:
        session.execute(sa.select(StaffMember.id).where(StaffMember.id.in_(staff_ids))
                        .order_by(StaffMember.id).with_for_update())
    rows = session.execute(stmt.order_by(SupportDay.id).with_for_update(of=SupportDay)).all()
    if not rows:
        scope = f"“{engagement.title}”" if engagement else client.name
        raise NothingToInvoice.for_field(
            "up_to", f"Nothing to invoice for {scope} up to {up_to:%-d %b %Y}: every delivered billable day is "
                     "already on an invoice, or none has been recorded.",
        )

    # One line per pricing line (docs/finance.md): engagement, staff member, activity, month.
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[line_key(row)].append(row)
    engagements = {e.id: e for e in session.scalars(sa.select(Engagement).where(Engagement.id.in_({k[0] for k in groups})))}
    staff = {s.id: s for s in session.scalars(sa.select(StaffMember).where(StaffMember.id.in_({k[1] for k in groups})))}

    invoice = Invoice(
        kind=InvoiceKind.INVOICE, status=InvoiceStatus.DRAFT, client_id=client.id,
        engagement_id=engagement.id if engagement else None, up_to=up_to, created_by_id=getattr(actor, "id", None),
    )
    session.add(invoice)
    purchase_orders: list[str] = []
    for position, key in enumerate(sorted(groups, key=_line_order(engagements, staff)), start=1):
        engagement_id_, staff_id, activity, _month = key
        days_rows = groups[key]
        eng, person = engagements[engagement_id_], staff[staff_id]
        days = sum((r.days for r in days_rows), Decimal("0.00"))
        figures = price_line(days, eng.day_rate, eng.vat_rate)
        who = f"{person.name}, {person.job_title}" if person.job_title else person.name
        line = InvoiceLine(
            position=position, engagement_id=eng.id, staff_id=person.id, activity=activity,
            description=f"{activity.label} — {who}"[:400], engagement_title=eng.title, staff_name=person.name[:240],
            purchase_order=eng.purchase_order, first_day=min(r.worked_on for r in days_rows),
            last_day=max(r.worked_on for r in days_rows), days=days, rate=eng.day_rate, net=figures.net,
            vat_rate=eng.vat_rate, vat_note=eng.vat_note if eng.vat_rate is None else "", vat=figures.vat,
            gross=figures.gross,
        )
        invoice.lines.append(line)
        if eng.purchase_order and eng.purchase_order not in purchase_orders:
            purchase_orders.append(eng.purchase_order)
    sums = total(invoice.lines)
    invoice.net, invoice.vat, invoice.gross = sums.net, sums.vat, sums.gross
    invoice.purchase_order = ", ".join(purchase_orders)[:200]
    session.flush()

    # Thousands of days: link and claim them with two bulk INSERTs, not one ORM object each.
    links, claims, now = [], [], utcnow()
    for line in invoice.lines:
        for r in groups[(line.engagement_id, line.staff_id, line.activity, month_of(line.first_day))]:
            links.append({"line_id": line.id, "support_day_id": r.id, "worked_on": r.worked_on, "days": r.days})
            claims.append({"support_day_id": r.id, "invoice_id": invoice.id, "line_id": line.id, "claimed_at": now})
    conn = session.connection()  # Core executemany: no ORM bookkeeping per row
    conn.execute(sa.insert(InvoiceLineDay.__table__), links)
    try:
        conn.execute(sa.insert(InvoiceDayClaim.__table__), claims)
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DoubleClaim(
            "Another invoice run has just claimed some of these days; nothing was saved. "
            "Open the invoice list to find that draft.", {"client_id": "Some days were claimed by another draft."},
        ) from None
    check_totals(session, invoice)
    audit.record(session, actor, "draft", "invoice", invoice.id, None, describe(invoice))
    session.commit()
    return invoice


def delete_draft(session: Session, actor, invoice: Invoice) -> None:
    """Delete a draft and free its days; an issued invoice is credited, never deleted."""
    queries.lock_invoice(session, invoice)
    if not invoice.is_draft:
        raise InvoiceIssued(f"{invoice.label} has been issued and cannot be deleted; credit it instead.")
    before = describe(invoice)
    session.execute(sa.delete(InvoiceDayClaim).where(InvoiceDayClaim.invoice_id == invoice.id))
    session.delete(invoice)
    audit.record(session, actor, "delete", "invoice", invoice.id, before, None)
    session.commit()

