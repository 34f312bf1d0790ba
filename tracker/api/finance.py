"""/api/v1 finance corrections: refunds, aged debt, statements of account
(API.md "Additions: Finance corrections")."""

from flask import Response
from flask_login import current_user

from tracker import clock
from tracker.access import FINANCE_ROLES, INVOICE_READERS, roles
from tracker.api.core import Param, api_bp, load, operation, query_values
from tracker.api.invoices import InvoiceSchema, dump_invoice
from tracker.api.schema import Date, Dec, Int, ListOf, Nested, Schema, Str
from tracker.billing import aged_table, statements
from tracker.billing import services as billing
from tracker.exports import export
from tracker.extensions import db

FORMAT = Param("format", Str(enum=["json", "csv", "xlsx"]), "json (default), csv or xlsx")

RefundRequest = Schema("RefundRequest", {
    "amount": Dec(2, required=True, minimum="0.01", description="At most the credit balance (-balance)."),
    "paid_on": Date(required=True),
    "reference": Str(max_length=60, default=""),
})

_AGED_FIELDS = {
    "client_id": Int(nullable=True, description="null on the totals row"),
    "current": Dec(2, description="Not yet due, and credit balances (negative)."),
    "d1_30": Dec(2), "d31_60": Dec(2), "d61_90": Dec(2), "over_90": Dec(2),
    "refund_due": Dec(2, description="Credit balances owed back to the client (positive)."),
    "balance": Dec(2, description="The sum of the buckets: the client's document balances."),
    "invoices": Int(),
}
AgedRowSchema = Schema("AgedDebtRow", {**_AGED_FIELDS, "client": Str()})
AgedDebtSchema = Schema("AgedDebt", {
    "as_of": Date(),
    "items": ListOf(Nested(AgedRowSchema)),
    "totals": Nested(AgedRowSchema),
})


@roles(*FINANCE_ROLES)
@api_bp.post("/invoices/<int:invoice_id>/refunds")
@operation("Record a refund settling an invoice's credit balance (balance below zero): returns the invoice",
           tags=["invoices"], request=RefundRequest, response=InvoiceSchema, status=201,
           description="409 no_refund_due when the invoice has no credit balance; 422 when the amount is more than it.")
def record_refund(invoice_id: int):
    invoice = billing.get_invoice(db.session, current_user, invoice_id)
    data = load(RefundRequest)
    billing.record_refund(db.session, current_user, invoice, data["amount"], data["paid_on"], data["reference"],
                          clock.today())
    return dump_invoice(invoice), 201


@roles(*FINANCE_ROLES)
@api_bp.get("/reports/aged-debt")
@operation("Aged debt by client: balances of issued invoices by days overdue, credit balances included",
           tags=["reports"], response=AgedDebtSchema, downloads=True, query=[FORMAT],
           description="totals.balance equals the sum of balance over every issued document in /invoices.")
def aged_debt():
    fmt = query_values([FORMAT]).get("format", "json")
    today = clock.today()
    rows, total = billing.aged_debt(db.session, today)
    if fmt != "json":
        content, mimetype, ext = export(fmt, aged_table.aged_title(today), *aged_table.aged_table(rows, total))
        return Response(content, mimetype=mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{aged_table.aged_filename(today)}.{ext}"'})
    return AgedDebtSchema.dump({"as_of": today, "items": [aged_table.as_record(r) for r in rows],
                                "totals": aged_table.as_record(total)})


@roles(*INVOICE_READERS)
@api_bp.get("/authorities/<int:authority_id>/statement.pdf")
@operation("Statement of account of a client: every document, payment and refund with a running balance (PDF)",
           tags=["authorities"], content_type="application/pdf",
           description="A client user may read their own authority's only; any other answers 404.")
def statement_pdf(authority_id: int):
    client = statements.get_client(db.session, current_user, authority_id)
    st = statements.statement(db.session, client, clock.today())
    return Response(statements.render_pdf(st, db.session), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{statements.filename(st)}"'})
