"""Finance correction pages: the credit form (nothing ticked, confirmation with
the amount, write-off choice), refunds, aged debt that agrees with the invoice
list (+ downloads), statements (client users: their own only), the logo."""

import csv
import io
import re
from decimal import Decimal

import sqlalchemy as sa
from PIL import Image

from tests.factories import ACTOR, TODAY, issued, seed_days
from tracker.billing import services as billing
from tracker.billing.models import Invoice, InvoiceKind
from tracker.days.models import SupportDay


def _paid_invoice(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)  # £12,000 gross: training £3,600, mentoring £2,400, scoping £6,000
    billing.record_payment(session, ACTOR, invoice, "10000.00", TODAY, "BACS", TODAY)
    return invoice


def test_credit_form_ticks_nothing_confirms_the_amount_and_writes_off(login_as, world, session):
    invoice = _paid_invoice(session, world)
    finance = login_as("finance")
    page = finance.get(f"/invoices/{invoice.id}/credit").get_data(as_text=True)
    assert page.count('type="checkbox"') == 3 and " checked" not in page
    assert 'data-gross="2400.00"' in page and "js/credit.js" in page
    mentoring = next(line for line in invoice.lines if line.activity.value == "mentoring")
    none = finance.post(f"/invoices/{invoice.id}/credit", data={"reason": "x", "outcome": "write_off"})
    assert 'id="line_ids-error"' in none.get_data(as_text=True)
    no_choice = finance.post(f"/invoices/{invoice.id}/credit", data={"reason": "x", "line_ids": [mentoring.id]})
    assert 'id="outcome-error"' in no_choice.get_data(as_text=True)

    confirm = finance.post(f"/invoices/{invoice.id}/credit",
                           data={"line_ids": [mentoring.id], "reason": "Goodwill", "outcome": "write_off"})
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "Issue credit note for -&pound;2,400.00" not in html
    assert re.search(r"Issue credit note for &pound;2,400.00", html) and "written off" in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(
        Invoice.kind == InvoiceKind.CREDIT_NOTE)) == 0  # nothing issued before confirming

    done = finance.post(f"/invoices/{invoice.id}/credit", data={"line_ids": [mentoring.id], "reason": "Goodwill",
                                                                "outcome": "write_off", "confirmed": "yes"})
    assert done.status_code == 302
    assert "its days are written off" in finance.get(done.headers["Location"]).get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay).where(SupportDay.written_off)) == 4
    shown = finance.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    assert "Written off" in shown
    engagement_page = finance.get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert "Written off" in engagement_page and "4.00 days" in engagement_page

    again = finance.post(f"/invoices/{invoice.id}/credit", data={"line_ids": [mentoring.id], "reason": "Twice",
                                                                 "outcome": "reinvoice", "confirmed": "yes"})
    assert again.status_code == 200  # the line is no longer offered: an error, nothing issued
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice).where(
        Invoice.kind == InvoiceKind.CREDIT_NOTE)) == 1


def test_refund_due_is_shown_and_settled_by_the_form(login_as, world, session):
    invoice = _paid_invoice(session, world)
    scoping = next(line for line in invoice.lines if line.activity.value == "scoping")
    billing.credit_invoice(session, ACTOR, invoice, "Scoping free", TODAY, [scoping.id])
    finance = login_as("finance")
    page = finance.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    assert "Refund due" in page and "Record a refund" in page and 'value="4000.00"' in page
    too_much = finance.post(f"/invoices/{invoice.id}/refunds", data={"amount": "4000.01", "paid_on": "2026-11-23"})
    assert too_much.status_code == 200 and 'id="amount-error"' in too_much.get_data(as_text=True)
    assert invoice.refunded == 0
    ok = finance.post(f"/invoices/{invoice.id}/refunds",
                      data={"amount": "4000.00", "paid_on": "2026-11-23", "reference": "BACS OUT"})
    assert ok.status_code == 302
    session.refresh(invoice)
    assert invoice.balance == Decimal("0.00")
    page = finance.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    assert "Refund due" not in page and "BACS OUT" in page
    ledger = finance.get("/invoices/export?format=csv")
    rows = list(csv.DictReader(io.StringIO(ledger.get_data(as_text=True))))
    refund = next(r for r in rows if r["Document type"] == "Refund")
    assert refund["Gross"] == "4000.00" and refund["Number"] == invoice.number
    nothing = finance.post(f"/invoices/{invoice.id}/refunds", data={"amount": "1.00", "paid_on": "2026-11-23"})
    assert nothing.status_code == 302 and invoice.refunded == Decimal("4000.00")


def test_aged_debt_page_agrees_with_the_invoice_list_and_downloads(login_as, world, session):
    invoice = _paid_invoice(session, world)
    scoping = next(line for line in invoice.lines if line.activity.value == "scoping")
    billing.credit_invoice(session, ACTOR, invoice, "Scoping free", TODAY, [scoping.id])
    finance = login_as("finance")
    page = finance.get("/invoices/aged-debt").get_data(as_text=True)
    assert "Refund due" in page and "(agrees with the total above)" in page
    assert re.search(r'id="aged-total">-&pound;4,000.00', page)
    listing = finance.get("/invoices/").get_data(as_text=True)
    assert "-&pound;4,000.00" in listing
    csv_file = finance.get("/invoices/aged-debt?format=csv")
    assert csv_file.mimetype == "text/csv" and 'filename="aged-debt-2026-11-23.csv"' in csv_file.headers[
        "Content-Disposition"]
    assert finance.get("/invoices/aged-debt?format=xlsx").data[:2] == b"PK"


def test_statements_page_and_pdf_for_own_authority_only(login_as, world, session):
    _paid_invoice(session, world)
    finance = login_as("finance")
    page = finance.get(f"/authorities/{world.client_a.id}/statement").get_data(as_text=True)
    assert "INV-2026-0001" in page and "Payment received" in page and 'id="statement-balance">&pound;2,000.00' in page
    assert finance.get(f"/authorities/{world.client_a.id}/statement.pdf").data.startswith(b"%PDF")
    client = login_as("client")
    assert f'/authorities/{world.client_a.id}/statement"' in client.get("/invoices/").get_data(as_text=True)
    assert client.get(f"/authorities/{world.client_a.id}/statement").status_code == 200
    assert client.get(f"/authorities/{world.client_b.id}/statement").status_code == 404
    assert client.get(f"/authorities/{world.client_b.id}/statement.pdf").status_code == 404
    assert "Client A Council" in finance.get("/statements").get_data(as_text=True)


def _image(fmt: str, size=(300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 85, 99)).save(out, format=fmt)
    return out.getvalue()


def test_logo_upload_checks_type_and_size(login_as, world, session):
    admin = login_as("admin")
    bad = admin.post("/settings/logo", data={"effective_from": "2026-11-23",
                                             "logo": (io.BytesIO(_image("GIF")), "logo.gif")},
                     content_type="multipart/form-data")
    assert bad.status_code == 200 and "must be a PNG or JPEG" in bad.get_data(as_text=True)
    junk = admin.post("/settings/logo", data={"effective_from": "2026-11-23",
                                              "logo": (io.BytesIO(b"\x89PNG\r\n\x1a\nnot really"), "logo.png")},
                      content_type="multipart/form-data")
    assert junk.status_code == 200 and "not a readable PNG or JPEG" in junk.get_data(as_text=True)
    big = admin.post("/settings/logo", data={"effective_from": "2026-11-23",
                                             "logo": (io.BytesIO(b"\xff" * (600 * 1024)), "logo.jpg")},
                     content_type="multipart/form-data")
    assert big.status_code == 200 and "at most 512 KB" in big.get_data(as_text=True)
    good = admin.post("/settings/logo", data={"effective_from": "2026-11-23",
                                              "logo": (io.BytesIO(_image("JPEG")), "logo.jpg")},
                      content_type="multipart/form-data")
    assert good.status_code == 302
    page = admin.get("/settings/logo").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in page
    invoice = _paid_invoice(session, world)
    from tracker.billing import pdf

    assert "data:image/png;base64," in pdf.render_html(invoice)
    assert login_as("finance").get("/settings/logo").status_code == 403
