"""The ledger export: issued invoices and credit notes, one row per line, and
refunds (document type "Refund", gross = the amount paid back), with
the cost-centre and income-code columns from settings (as in force on the
issue date), as CSV or XLSX.

Text cells that a spreadsheet would run as a formula (starting with = + - @,
a tab or a carriage return) are prefixed with a quote by the one escaping in
tracker.exports. Amounts and days are
written as numbers from the stored Decimals (never through float), so a credit
note's -500.00 stays a number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tracker import xlsx
from tracker.billing import specs
from tracker.billing.models import Invoice, InvoiceStatus, Refund
from tracker.exports import escape_formula

COLUMNS = [
    ("document_type", "Document type"), ("number", "Number"), ("issued_on", "Issue date"), ("due_on", "Due date"),
    ("credits_number", "Credits invoice"), ("client_id", "Client id"), ("customer", "Customer"),
    ("purchase_order", "Purchase order"), ("cost_centre", "Cost centre"), ("income_code", "Income code"),
    ("line", "Line"), ("engagement_id", "Engagement id"), ("engagement", "Engagement"), ("description", "Description"),
    ("activity", "Activity"), ("first_day", "First day"), ("last_day", "Last day"), ("days", "Days"),
    ("rate", "Rate"), ("net", "Net"), ("vat_rate", "VAT rate"), ("vat", "VAT"), ("gross", "Gross"),
    ("vat_note", "VAT note"), ("support_day_ids", "Support day ids"),
]
MONEY = {"rate", "net", "vat", "gross"}
@dataclass
class ExportFilters:
    issued_from: date | None = None
    issued_to: date | None = None
    client_id: int | None = None


def documents(session: Session, filters: ExportFilters) -> list[Invoice]:
    stmt = (
        sa.select(Invoice).where(Invoice.status != InvoiceStatus.DRAFT)
        .options(selectinload(Invoice.lines), selectinload(Invoice.credits))
        .order_by(Invoice.issued_on, Invoice.issued_at, Invoice.id)
    )
    if filters.issued_from:
        stmt = stmt.where(Invoice.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Invoice.issued_on <= filters.issued_to)
    if filters.client_id:
        stmt = stmt.where(Invoice.client_id == filters.client_id)
    return list(session.scalars(stmt))


def period_stamp(data: list[dict], filters: ExportFilters, today: date) -> str:
    """The period the file holds, for its name: 2026-07-01_to_2026-11-28 (from the
    first document when no start was given, to today when no end was)."""
    first = filters.issued_from or min((row["issued_on"] for row in data), default=today)
    return f"{first.isoformat()}_to_{(filters.issued_to or today).isoformat()}"


def refund_rows(session: Session, filters: ExportFilters, codes) -> list[dict]:
    """Refunds paid back on credit balances, one row each, dated when paid."""
    stmt = sa.select(Refund).join(Invoice, Invoice.id == Refund.invoice_id).order_by(Refund.paid_on, Refund.id)
    if filters.issued_from:
        stmt = stmt.where(Refund.paid_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Refund.paid_on <= filters.issued_to)
    if filters.client_id:
        stmt = stmt.where(Invoice.client_id == filters.client_id)
    out = []
    for refund in session.scalars(stmt):
        invoice = refund.invoice
        cost_centre, income_code = codes(refund.paid_on)
        out.append({
            "document_type": "Refund", "number": invoice.number, "issued_on": refund.paid_on, "due_on": None,
            "credits_number": "", "client_id": invoice.client_id, "customer": invoice.customer_name,
            "purchase_order": invoice.purchase_order, "cost_centre": cost_centre, "income_code": income_code,
            "line": None, "engagement_id": None, "engagement": "",
            "description": f"Refund of the credit balance on {invoice.number}"
                           + (f", reference {refund.reference}" if refund.reference else ""),
            "activity": "", "first_day": None, "last_day": None, "days": None, "rate": None, "net": None,
            "vat_rate": "", "vat": None, "gross": refund.amount, "vat_note": "", "support_day_ids": "",
        })
    return out


def rows(session: Session, filters: ExportFilters) -> list[dict]:
    """Document lines, then refunds, in date order."""
    out = []
    codes: dict[date, tuple[str, str]] = {}
    for invoice in documents(session, filters):
        if invoice.issued_on not in codes:
            codes[invoice.issued_on] = specs.ledger_codes(session, invoice.issued_on)
        cost_centre, income_code = codes[invoice.issued_on]
        for line in invoice.lines:
            out.append({
                "document_type": invoice.kind.label, "number": invoice.number, "issued_on": invoice.issued_on,
                "due_on": invoice.due_on, "credits_number": invoice.credits.number if invoice.credits else "",
                "client_id": invoice.client_id, "customer": invoice.customer_name,
                "purchase_order": line.purchase_order, "cost_centre": cost_centre, "income_code": income_code,
                "line": line.position, "engagement_id": line.engagement_id, "engagement": line.engagement_title,
                "description": line.description, "activity": line.activity.value, "first_day": line.first_day,
                "last_day": line.last_day, "days": line.days, "rate": line.rate, "net": line.net,
                "vat_rate": line.vat_rate if line.vat_rate is not None else "outside scope", "vat": line.vat,
                "gross": line.gross, "vat_note": line.vat_note,
                "support_day_ids": " ".join(str(i) for i in line.support_day_ids),
            })

    def code_on(on: date):
        if on not in codes:
            codes[on] = specs.ledger_codes(session, on)
        return codes[on]

    out += refund_rows(session, filters, code_on)
    out.sort(key=lambda row: row["issued_on"])  # stable: documents keep their order within a day
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def to_csv(data: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    for row in data:
        writer.writerow([_text(escape_formula(row[key])) for key, _ in COLUMNS])
    return buffer.getvalue()


def to_xlsx(data: list[dict]) -> bytes:
    """The ledger as one sheet: a bold header frozen at the top, money and dates in
    their formats, text always text (tracker/xlsx.py never writes a formula)."""
    book = xlsx.Workbook("Ledger", widths=[], frozen_rows=1)
    bold, plain = book.style(xlsx.Style(bold=True)), book.style(xlsx.PLAIN)
    money, day = book.style(xlsx.Style(number_format="#,##0.00")), book.style(xlsx.Style(number_format="yyyy-mm-dd"))
    book.append([(label, bold) for _, label in COLUMNS])
    for row in data:
        cells = []
        for key, _ in COLUMNS:
            value = row[key]
            if isinstance(value, str):
                cells.append((escape_formula(value), plain))
            elif key in MONEY:
                cells.append((value, money))
            else:
                cells.append((value, day if isinstance(value, date) else plain))
        book.append(cells)
    return book.save()
