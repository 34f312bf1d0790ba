"""Synthetic invoicing for ``flask demo generate``: five years of issued
invoices, payments and credit notes over the days the earlier steps made.

Every row is inserted in its final state (PostgreSQL's triggers forbid
changing issued documents), through bulk Core inserts:

- one invoice per engagement per calendar quarter (a month for one engagement
  in ten) of delivered billable days, issued a few days after the period ends
  (the current period stays uninvoiced); lines grouped by staff member and activity, the engagement's
  rate frozen on the line, net = days × rate half-up to the penny, VAT at the
  engagement's rate (or outside the scope), totals the sums of the lines;
- every invoiced day linked (``invoice_line_days``) and claimed
  (``invoice_day_claims``) by its live line, and marked invoiced;
- gap-free numbers ``INV-YYYY-NNNN`` / ``CN-YYYY-NNNN`` in issue order per
  year, with ``number_series`` holding each series' next number;
- payments: most invoices paid, some part-paid, some overdue;
- about 3% of invoices credited (whole or some lines) by a credit note in its
  own series whose negative lines reference the credited lines; the credited
  days are released (no claim, back to delivered) and half of them re-invoiced
  on a later invoice.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.authorities.models import Authority
from tracker.billing import specs
from tracker.billing.issuing import format_number, series_key
from tracker.billing.models import (
    Invoice,
    InvoiceDayClaim,
    InvoiceKind,
    InvoiceLine,
    InvoiceLineDay,
    InvoiceStatus,
    NumberSeries,
    Payment,
)
from tracker.billing.pricing import month_of, price_line
from tracker.days.models import DayState, SupportDay
from tracker.demo.synthetic import CHUNK, Generated, Plan, Progress, step
from tracker.engagements.models import Engagement
from tracker.money import ZERO, money
from tracker.settings.models import Setting
from tracker.staff.models import StaffMember

TERMS = 30
CREDIT_SHARE = 0.03
MONTHLY_SHARE = 0.1
LINK_SQL = "INSERT INTO invoice_line_days (line_id, support_day_id, worked_on, days) VALUES (?, ?, ?, ?)"
REMITTANCE = ("Pay by BACS to Lead Synthetic Borough Council, Income Account.\n"
              "Sort code 00-00-00 · Account 00000000 (synthetic details). Quote the invoice number.")


def _period_end(on: date, months: int) -> date:
    """The last day of the monthly (1) or quarterly (3) billing period holding ``on``."""
    month = ((on.month - 1) // months + 1) * months
    first_next = date(on.year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _contact(*parts: str) -> str:
    return " · ".join(p for p in parts if p)[:400]


class _Doc:
    """An invoice or credit note being planned (numbers are given once all are known)."""

    __slots__ = (
        "client_id",
        "credited",
        "credits",
        "engagement",
        "gross",
        "id",
        "issued_on",
        "kind",
        "lines",
        "net",
        "number",
        "paid",
        "reason",
        "status",
        "up_to",
        "vat",
    )

    def __init__(self, kind, engagement, up_to, issued_on):
        self.kind, self.engagement, self.client_id = kind, engagement, engagement["client_id"]
        self.up_to, self.issued_on = up_to, issued_on
        self.lines: list[dict] = []
        self.credits: _Doc | None = None
        self.number = ""
        self.id = None
        self.paid = self.credited = ZERO
        self.status = InvoiceStatus.ISSUED
        self.reason = ""

    def total(self) -> None:
        self.net = sum((ln["net"] for ln in self.lines), ZERO)
        self.vat = sum((ln["vat"] for ln in self.lines), ZERO)
        self.gross = sum((ln["gross"] for ln in self.lines), ZERO)


def _lines(engagement: dict, rows, titles: dict, staff_names: dict) -> list[dict]:
    """Lines of one invoice from its day rows (id, staff_id, activity, worked_on, days):
    one per pricing line (staff member, activity, month), as drafts make them."""
    groups: dict[tuple, list] = defaultdict(list)
    for row in rows:
        groups[(row[1], row[2], month_of(row[3]))].append(row)
    lines = []
    title, po = titles[engagement["id"]]
    for (staff_id, activity, _month), days in sorted(
            groups.items(), key=lambda kv: (staff_names[kv[0][0]], kv[0][1].value, kv[0][2])):
        total_days = Decimal(sum(int(d[4] * 4) for d in days)) / 4  # quarter days: exact in integers
        figures = price_line(total_days, engagement["rate"], engagement["vat"])
        worked = [d[3] for d in days]
        lines.append({
            "engagement_id": engagement["id"], "staff_id": staff_id, "activity": activity,
            "description": f"{activity.label} — {staff_names[staff_id]}"[:400], "engagement_title": title,
            "staff_name": staff_names[staff_id], "purchase_order": po[:60],
            "first_day": min(worked), "last_day": max(worked),
            "days": total_days, "rate": engagement["rate"], "net": figures.net, "vat_rate": engagement["vat"],
            "vat_note": "" if engagement["vat"] is not None else "Outside the scope of VAT (s.33 body)",
            "vat": figures.vat, "gross": figures.gross, "credits_line_id": None, "write_off": False,
            "_days": [(d[0], d[3], d[4]) for d in days], "_credited": False,
        })
    return lines


@step("invoices")
def invoices(conn: Connection, plan: Plan, out: Generated, rng: random.Random, progress: Progress) -> None:
    today = plan.today
    now = datetime.now(UTC)
    engagements = {e["id"]: e for e in out.engagements}
    titles = {r.id: (r.title, r.purchase_order) for r in conn.execute(
        sa.select(Engagement.id, Engagement.title, Engagement.purchase_order))}
    staff_names = dict(conn.execute(sa.select(StaffMember.id, StaffMember.name)).all())
    parties = {r.id: r for r in conn.execute(sa.select(
        Authority.id, Authority.name, Authority.address, Authority.vat_number, Authority.finance_contact,
        Authority.finance_email))}
    lead = parties[out.lead_id]

    # Delivered billable days, grouped by engagement and billing period (a
    # quarter; a month for one engagement in ten): a period is invoiced a few
    # days after it ends, if that is not after today.
    monthly = {e["id"] for e in out.engagements if rng.random() < MONTHLY_SHARE}
    ends: dict[tuple[date, bool], date] = {}
    stmt = (sa.select(SupportDay.id, SupportDay.staff_id, SupportDay.activity, SupportDay.worked_on, SupportDay.days,
                      SupportDay.engagement_id)
            .where(SupportDay.state == DayState.DELIVERED, SupportDay.billable.is_(True))
            .order_by(SupportDay.engagement_id, SupportDay.worked_on, SupportDay.id))
    quarters: dict[tuple[int, date], list] = defaultdict(list)
    for row in conn.execute(stmt).all():  # fetchall: far cheaper than row by row
        key = (row[3], row[5] in monthly)
        end = ends.get(key)
        if end is None:
            end = ends[key] = _period_end(row[3], 1 if key[1] else 3)
        quarters[(row[5], end)].append(row)
    docs: list[_Doc] = []
    for (engagement_id, up_to), rows in quarters.items():
        issued_on = up_to + timedelta(days=rng.randint(3, 20))
        if issued_on > today:
            continue
        doc = _Doc(InvoiceKind.INVOICE, engagements[engagement_id], up_to, issued_on)
        doc.lines = _lines(doc.engagement, rows, titles, staff_names)
        doc.total()
        docs.append(doc)
    del quarters

    # Credit notes: some whole, some for chosen lines; half the released days re-invoiced.
    notes: list[_Doc] = []
    eligible = [d for d in docs if d.issued_on <= today - timedelta(days=90)]
    for doc in rng.sample(eligible, k=min(len(eligible), round(len(docs) * CREDIT_SHARE))):
        chosen = doc.lines if len(doc.lines) == 1 or rng.random() < 0.6 else \
            rng.sample(doc.lines, k=rng.randint(1, len(doc.lines) - 1))
        note = _Doc(InvoiceKind.CREDIT_NOTE, doc.engagement, doc.up_to,
                    doc.issued_on + timedelta(days=rng.randint(3, 60)))
        note.credits = doc
        note.reason = rng.choice(["Days recorded against the wrong engagement.", "Duplicate entry.",
                                  "Agreed reduction after review.", "Wrong purchase order quoted."])
        for line in chosen:
            line["_credited"] = True
            note.lines.append(line | {"days": -line["days"], "net": -line["net"], "vat": -line["vat"],
                                      "gross": -line["gross"], "_credits": line, "_credited": False})
        note.total()
        doc.credited = -note.gross
        notes.append(note)
        reissue_on = note.issued_on + timedelta(days=rng.randint(1, 30))
        if rng.random() < 0.5 and reissue_on <= today:
            rows = [(day_id, line["staff_id"], line["activity"], on, amount)
                    for line in chosen for day_id, on, amount in line["_days"]]
            again = _Doc(InvoiceKind.INVOICE, doc.engagement, doc.up_to, reissue_on)
            again.lines = _lines(doc.engagement, rows, titles, staff_names)
            again.total()
            docs.append(again)

    # Payments and final statuses.
    payments: list[dict] = []
    for doc in docs:
        fully_credited = doc.lines and all(line["_credited"] for line in doc.lines)
        balance = doc.gross - doc.credited
        due_on = doc.issued_on + timedelta(days=TERMS)
        roll = rng.random()
        if not fully_credited and balance > ZERO:
            if (due_on < today and roll < 0.85) or (due_on >= today and roll < 0.4):
                amounts = [balance]
            elif due_on < today and roll < 0.93:
                amounts = [money(balance * Decimal(rng.randint(20, 80)) / 100)]
            else:
                amounts = []  # overdue, or still within its terms
            for amount in amounts:
                paid_on = min(today, doc.issued_on + timedelta(days=rng.randint(5, 70)))
                payments.append({"_doc": doc, "amount": amount, "paid_on": paid_on,
                                 "reference": f"BACS {rng.randrange(10**8):08d}", "recorded_at": now})
                doc.paid += amount
        if fully_credited:
            doc.status = InvoiceStatus.CREDITED
        elif doc.gross - doc.credited - doc.paid <= ZERO:
            doc.status = InvoiceStatus.PAID
        elif doc.paid > ZERO:
            doc.status = InvoiceStatus.PART_PAID

    # Gap-free numbers in issue order, a series per kind and year.
    series: dict[str, int] = {}
    prefixes = {InvoiceKind.INVOICE: specs.INVOICE_PREFIX.default, InvoiceKind.CREDIT_NOTE: specs.CREDIT_NOTE_PREFIX.default}
    for doc in sorted(docs + notes, key=lambda d: (d.issued_on, d.kind.value, d.engagement["id"])):
        key = series_key(doc.kind, prefixes[doc.kind], doc.issued_on.year)
        value = series.get(key, 1)
        series[key] = value + 1
        doc.number = format_number(prefixes[doc.kind], doc.issued_on.year, value)

    def header(doc: _Doc) -> dict:
        client = parties[doc.client_id]
        issued_at = datetime.combine(doc.issued_on, time(10, 0), tzinfo=UTC)
        is_invoice = doc.kind == InvoiceKind.INVOICE
        return {
            "kind": doc.kind, "status": doc.status, "number": doc.number, "client_id": doc.client_id,
            "engagement_id": doc.engagement["id"], "up_to": doc.up_to,
            "credits_id": doc.credits.id if doc.credits else None, "reason": doc.reason,
            "issued_on": doc.issued_on, "due_on": doc.issued_on + timedelta(days=TERMS) if is_invoice else None,
            "net": doc.net, "vat": doc.vat, "gross": doc.gross, "paid": doc.paid, "credited": doc.credited,
            "purchase_order": titles[doc.engagement["id"]][1], "supplier_name": lead.name,
            "supplier_address": lead.address, "supplier_vat_number": lead.vat_number,
            "supplier_contact": _contact(lead.finance_contact, lead.finance_email), "customer_name": client.name,
            "customer_address": client.address, "customer_contact": _contact(client.finance_contact, client.finance_email),
            "payment_terms_days": TERMS if is_invoice else None, "remittance_details": REMITTANCE if is_invoice else "",
            "created_at": issued_at, "issued_at": issued_at,
        }

    for group in (docs, notes):  # credit notes reference invoices (and their lines) inserted first
        conn.execute(sa.insert(Invoice), [header(d) for d in group])
        numbers = dict(conn.execute(sa.select(Invoice.number, Invoice.id).where(Invoice.kind == group[0].kind)).all()) \
            if group else {}
        for doc in group:
            doc.id = numbers[doc.number]
        progress("invoices", len(group))
        _insert_lines(conn, group, progress)

    conn.execute(sa.insert(Payment), [{k: v for k, v in p.items() if k != "_doc"} | {"invoice_id": p["_doc"].id}
                                      for p in payments])
    conn.execute(sa.insert(NumberSeries), [{"key": k, "next_value": v} for k, v in series.items()])
    conn.execute(sa.insert(Setting), [{"key": specs.REMITTANCE.key, "value": REMITTANCE, "effective_from": date(2000, 1, 1),
                                       "note": "Synthetic data", "changed_at": now}])

    # The live claims: every day of an invoice line no credit note cancels; those days are invoiced.
    credit = sa.orm.aliased(InvoiceLine)
    live = (sa.select(InvoiceLineDay.support_day_id, InvoiceLine.invoice_id, InvoiceLine.id, sa.literal(now))
            .join(InvoiceLine, InvoiceLine.id == InvoiceLineDay.line_id)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .where(Invoice.kind == InvoiceKind.INVOICE)
            .where(~sa.exists().where(credit.credits_line_id == InvoiceLine.id)))
    conn.execute(sa.insert(InvoiceDayClaim).from_select(["support_day_id", "invoice_id", "line_id", "claimed_at"], live))
    conn.execute(sa.update(SupportDay).where(SupportDay.id.in_(sa.select(InvoiceDayClaim.support_day_id)))
                 .values(state=DayState.INVOICED), execution_options={"synchronize_session": False})
    first_issue = (sa.select(sa.func.min(Invoice.issued_at)).where(Invoice.engagement_id == Engagement.id)
                   .where(Invoice.kind == InvoiceKind.INVOICE).scalar_subquery())
    conn.execute(sa.update(Engagement).values(rate_locked_at=first_issue)
                 .where(sa.exists().where(Invoice.engagement_id == Engagement.id)))
    out.invoice_count = len(docs)
    out.credit_note_count = len(notes)
    out.payment_count = len(payments)


def _insert_lines(conn: Connection, docs: list[_Doc], progress: Progress) -> None:
    """The documents' lines (ids read back by invoice and position, no RETURNING
    row by row), then the days each covers, as plain DB-API rows."""
    if not docs:
        return
    public = [c.key for c in InvoiceLine.__table__.columns if c.key not in ("id", "invoice_id", "position")]
    rows = []
    for doc in docs:
        for position, line in enumerate(doc.lines, start=1):
            credits = line.get("_credits")
            row = {k: line[k] for k in public} | {"invoice_id": doc.id, "position": position}
            row["credits_line_id"] = credits["_id"] if credits else None
            rows.append(row)
    for start in range(0, len(rows), CHUNK):
        conn.execute(sa.insert(InvoiceLine), rows[start:start + CHUNK])
    first, last = min(d.id for d in docs), max(d.id for d in docs)
    ids = {(invoice_id, position): id_ for id_, invoice_id, position in conn.execute(
        sa.select(InvoiceLine.id, InvoiceLine.invoice_id, InvoiceLine.position)
        .where(InvoiceLine.invoice_id.between(first, last))).all()}
    sqlite = conn.dialect.name == "sqlite"
    sql = LINK_SQL if sqlite else LINK_SQL.replace("?", "%s")
    links: list[tuple] = []
    for doc in docs:
        for position, line in enumerate(doc.lines, start=1):
            line["_id"] = line_id = ids[(doc.id, position)]
            if sqlite:  # as SQLAlchemy stores them there: ISO dates, and NUMERIC as REAL (days
                # are quarter steps, exact in binary; the sqlite3 driver cannot bind a Decimal)
                links += [(line_id, day_id, on.isoformat(), float(amount)) for day_id, on, amount in line["_days"]]
            else:
                links += [(line_id, day_id, on, amount) for day_id, on, amount in line["_days"]]
        if len(links) >= CHUNK:
            conn.exec_driver_sql(sql, links)
            progress("invoice lines and days", len(links))
            links = []
    if links:
        conn.exec_driver_sql(sql, links)
        progress("invoice lines and days", len(links))
