"""/api/v1/invoices: drafts, issue, credit notes, payments and the PDF.

Finance, managers and admins manage invoices; a client user reads only their
own authority's issued invoices, credit notes and PDFs (drafts and other
clients' documents answer 404); consultants get 403.
"""

from flask import Response
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.access import FINANCE_ROLES, INVOICE_READERS, roles
from tracker.api.core import Param, api_bp, list_response, load, operation, paging, query_values
from tracker.api.schema import Bool, Date, Dec, Int, ListOf, Nested, Schema, Str
from tracker.billing import pdf
from tracker.billing import services as billing
from tracker.billing.credits import REASON_MAX
from tracker.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from tracker.billing.payments import REFERENCE_MAX
from tracker.days.models import Activity
from tracker.extensions import db

InvoiceLineSchema = Schema("InvoiceLine", {
    "id": Int(read_only=True),
    "position": Int(read_only=True),
    "engagement_id": Int(read_only=True),
    "staff_id": Int(read_only=True),
    "activity": Str(enum=[a.value for a in Activity], read_only=True),
    "description": Str(read_only=True),
    "first_day": Date(read_only=True),
    "last_day": Date(read_only=True),
    "days": Dec(2, read_only=True, description="Negative on credit notes."),
    "rate": Dec(2, read_only=True, description="The day rate frozen on the line."),
    "net": Dec(2, read_only=True, description="days × rate, rounded half-up to the penny."),
    "vat_rate": Dec(2, nullable=True, read_only=True, description="null = outside the scope of VAT (see vat_note)."),
    "vat_note": Str(read_only=True),
    "vat": Dec(2, read_only=True),
    "gross": Dec(2, read_only=True),
    "support_day_ids": ListOf(Int(), read_only=True, description="The support days this line covers."),
    "credits_line_id": Int(nullable=True, read_only=True, description="On a credit note: the invoice line it credits."),
    "credited": Bool(read_only=True, attr="is_credited", description="On an invoice: this line has been credited."),
    "write_off": Bool(read_only=True, description="On a credit-note line: its days were written off."),
})

PaymentSchema = Schema("Payment", {
    "id": Int(read_only=True),
    "amount": Dec(2, required=True, minimum="0.01"),
    "paid_on": Date(required=True),
    "reference": Str(max_length=REFERENCE_MAX, default=""),
})

InvoiceSchema = Schema("Invoice", {
    "id": Int(read_only=True),
    "number": Str(nullable=True, read_only=True, description="PREFIX-YYYY-NNNN, gap-free; null on a draft."),
    "kind": Str(enum=[k.value for k in InvoiceKind], read_only=True),
    "status": Str(enum=[s.value for s in InvoiceStatus], read_only=True),
    "overdue": Bool(read_only=True, description="Issued, past its due date and still owing."),
    "days_overdue": Int(read_only=True),
    "client_id": Int(read_only=True),
    "engagement_id": Int(nullable=True, read_only=True, description="Set when the draft was made for one engagement."),
    "up_to": Date(read_only=True, description="Delivered days up to this date."),
    "issued_on": Date(nullable=True, read_only=True),
    "due_on": Date(nullable=True, read_only=True),
    "net": Dec(2, read_only=True),
    "vat": Dec(2, read_only=True),
    "gross": Dec(2, read_only=True),
    "paid": Dec(2, read_only=True),
    "credited": Dec(2, read_only=True, description="Gross credited by credit notes."),
    "refunded": Dec(2, read_only=True, description="Refunds paid back on a credit balance."),
    "balance": Dec(2, read_only=True, description="gross - credited - paid + refunded (0 on drafts and credit notes); "
                                                  "below zero: a refund is due."),
    "refund_due": Bool(read_only=True, description="The balance is below zero: a refund is due."),
    "purchase_order": Str(read_only=True),
    "credits_id": Int(nullable=True, read_only=True, description="On a credit note: the invoice it credits."),
    "credit_note_ids": ListOf(Int(), read_only=True),
    "reason": Str(read_only=True, description="Why a credit note was issued."),
    "supplier_name": Str(read_only=True),
    "supplier_address": Str(read_only=True),
    "supplier_vat_number": Str(read_only=True),
    "customer_name": Str(read_only=True),
    "customer_address": Str(read_only=True),
    "payment_terms_days": Int(nullable=True, read_only=True),
    "remittance_details": Str(read_only=True),
    "lines": ListOf(Nested(InvoiceLineSchema), read_only=True, max_items=10000),
    "payments": ListOf(Nested(PaymentSchema), read_only=True, max_items=10000),
    "refunds": ListOf(Nested(PaymentSchema), read_only=True, max_items=10000, description="Refunds paid back."),
})

DraftRequest = Schema("DraftRequest", {
    "client_id": Int(required=True, minimum=1),
    "up_to": Date(required=True, description="Invoice delivered billable days up to this date."),
    "engagement_id": Int(minimum=1, nullable=True, default=None, description="Only this engagement's days."),
})

CreditRequest = Schema("CreditRequest", {
    "reason": Str(required=True, min_length=1, max_length=REASON_MAX, description="Printed on the credit note."),
    "line_ids": ListOf(Int(minimum=1), nullable=True, default=None, max_items=1000,
                       description="Credit only these lines (default: every line not yet credited)."),
    "write_off": Bool(default=False, description="true: the credited days are written off, never invoiceable again "
                                                 "(shown as written off in reports); false: they can be invoiced again."),
})

FILTERS = [
    Param("client_id", Int(minimum=1), "Only this client's documents."),
    Param("status", Str(enum=billing.STATUS_FILTERS), "A status, or overdue."),
    Param("kind", Str(enum=[k.value for k in InvoiceKind]), "invoice or credit_note."),
    Param("issued_from", Date(), "Issued on or after (YYYY-MM-DD)."),
    Param("issued_to", Date(), "Issued on or before (YYYY-MM-DD)."),
    Param("engagement_id", Int(minimum=1), "Documents with a line for this engagement."),
]


def dump_invoice(invoice: Invoice) -> dict:
    today = clock.today()
    return InvoiceSchema.dump(
        invoice, overdue=invoice.is_overdue(today), days_overdue=invoice.days_overdue(today), balance=invoice.balance,
        refund_due=invoice.refund_due,
        credit_note_ids=[note.id for note in invoice.credit_notes],
    )


@roles(*INVOICE_READERS)
@api_bp.get("/invoices")
@operation("List invoices and credit notes (a client user: their own issued ones)", tags=["invoices"],
           list_of=InvoiceSchema, query=FILTERS)
def list_invoices():
    page, per_page = paging()
    filters = billing.InvoiceFilters(**query_values(FILTERS))
    lines = selectinload(Invoice.lines)
    result = billing.list_invoices(db.session, current_user, filters, clock.today(), page, per_page, by_id=True, options=(
        lines.selectinload(InvoiceLine.day_links), lines.selectinload(InvoiceLine.credited_by),
        selectinload(Invoice.payments), selectinload(Invoice.refunds), selectinload(Invoice.credit_notes),
    ))
    return list_response(InvoiceSchema, result, dump_invoice)


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices")
@operation("Draft an invoice: the client's delivered billable days up to a date, not yet invoiced",
           tags=["invoices"], request=DraftRequest, response=InvoiceSchema, status=201,
           description="409 nothing_billable when no day is waiting; 409 double_claim when another run took them.")
def create_draft():
    data = load(DraftRequest)
    invoice = billing.build_invoice(db.session, current_user, data["client_id"], data["up_to"], clock.today(),
                                    data.get("engagement_id"))
    return dump_invoice(invoice), 201


@roles(*INVOICE_READERS)
@api_bp.get("/invoices/<int:invoice_id>")
@operation("One invoice or credit note, with its lines and payments", tags=["invoices"], response=InvoiceSchema)
def get_invoice(invoice_id: int):
    return dump_invoice(billing.get_invoice(db.session, current_user, invoice_id))


@roles(*FINANCE_ROLES)
@api_bp.delete("/invoices/<int:invoice_id>")
@operation("Delete a draft (frees its days); issued invoices answer 409", tags=["invoices"], status=204)
def delete_draft(invoice_id: int):
    billing.delete_draft(db.session, current_user, billing.get_invoice(db.session, current_user, invoice_id))
    return "", 204


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices/<int:invoice_id>/issue")
@operation("Issue a draft: next gap-free number, issue and due dates; freezes it", tags=["invoices"],
           response=InvoiceSchema)
def issue_invoice(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    return dump_invoice(billing.issue_invoice(db.session, current_user, invoice, clock.today()))


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices/<int:invoice_id>/credit")
@operation("Credit an issued invoice (all lines, or line_ids): returns the credit note; its days become invoiceable "
           "again, or with write_off are written off",
           tags=["invoices"], request=CreditRequest, response=InvoiceSchema, status=201)
def credit_invoice(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    data = load(CreditRequest)
    note = billing.credit_invoice(db.session, current_user, invoice, data["reason"], clock.today(), data.get("line_ids"),
                                  write_off=data.get("write_off", False))
    return dump_invoice(note), 201


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices/<int:invoice_id>/payments")
@operation("Record a payment against an issued invoice: returns the invoice with its new balance and status",
           tags=["invoices"], request=PaymentSchema, response=InvoiceSchema, status=201)
def record_payment(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    data = load(PaymentSchema)
    billing.record_payment(db.session, current_user, invoice, data["amount"], data["paid_on"], data["reference"],
                           clock.today())
    return dump_invoice(invoice), 201


@roles(*INVOICE_READERS)
@api_bp.get("/invoices/<int:invoice_id>.pdf")
@operation("The invoice or credit note as PDF (drafts answer 409)", tags=["invoices"], content_type="application/pdf")
def invoice_pdf(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    return Response(pdf.render_pdf(invoice), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{pdf.filename(invoice)}"'})
