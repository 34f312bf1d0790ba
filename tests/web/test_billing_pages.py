"""Invoice pages: draft, review, issue, pay, credit; errors beside fields;
client confinement; the ledger export; one figure on page, PDF, CSV and API."""

import csv
import io
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import login
from tests.factories import TODAY, billing_samples, day, engagement, issued, remittance, seed_days
from tracker.access import SystemActor
from tracker.billing.models import Invoice, InvoiceStatus
from tracker.settings import services as settings


def _only(session, **where):
    return session.scalars(sa.select(Invoice).filter_by(**where)).one()


def test_finance_drafts_reviews_issues_pays_and_credits_through_the_pages(login_as, world, session):
    seed_days(session, world)
    remittance(session)
    finance = login_as("finance")
    waiting = finance.get("/invoices/uninvoiced").get_data(as_text=True)
    assert "Client A Council: 20.00 days, &pound;10,000.00" in waiting

    response = finance.post("/invoices/new", data={"client_id": world.client_a.id, "up_to": "2026-11-23",
                                                   "engagement_id": 0})
    assert response.status_code == 302
    draft = _only(session, status=InvoiceStatus.DRAFT)
    page = finance.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Draft invoice {draft.id}" in page and "&pound;12,000.00" in page and "must not be sent" in page
    assert 'data-confirm="Issue this invoice?' in page and 'data-confirm="Delete this draft?' in page
    assert "Download PDF" not in page

    response = finance.post(f"/invoices/{draft.id}/issue", data={})
    assert response.status_code == 302
    session.refresh(draft)
    page = finance.get(f"/invoices/{draft.id}").get_data(as_text=True)
    assert draft.number in page and "Issued as" in page and "Record a payment" in page

    bad = finance.post(f"/invoices/{draft.id}/payments", data={"amount": "13000", "paid_on": "2026-11-23"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200 and 'id="amount-error"' in html and "still owed" in html
    assert 'value="13000"' in html
    good = finance.post(f"/invoices/{draft.id}/payments", data={"amount": "12000.00", "paid_on": TODAY.isoformat(),
                                                                "reference": "BACS 1"})
    assert good.status_code == 302
    session.refresh(draft)
    assert draft.status == InvoiceStatus.PAID and draft.balance == 0

    credit_page = finance.get(f"/invoices/{draft.id}/credit").get_data(as_text=True)
    assert credit_page.count('type="checkbox"') == 3 and " checked" not in credit_page  # nothing pre-ticked
    missing = finance.post(f"/invoices/{draft.id}/credit", data={"line_ids": [draft.lines[2].id], "reason": "",
                                                                 "outcome": "reinvoice"})
    assert 'id="reason-error"' in missing.get_data(as_text=True)
    response = finance.post(f"/invoices/{draft.id}/credit", data={"line_ids": [draft.lines[2].id], "outcome": "reinvoice",
                                                                  "reason": "Scoping was agreed free of charge",
                                                                  "confirmed": "yes"})
    assert response.status_code == 302
    note = _only(session, kind="credit_note")
    page = finance.get(response.headers["Location"]).get_data(as_text=True)
    assert note.number in page and "-&pound;6,000.00" in page and "&pound;-6,000.00" not in page
    listing = finance.get("/invoices/").get_data(as_text=True)
    assert draft.number in listing and note.number in listing and "Totals of all 2 matching" in listing
    assert "&pound;6,000.00" in listing  # 12,000.00 invoiced less 6,000.00 credited


def test_nothing_billable_shows_beside_the_date_and_saves_nothing(login_as, world, session):
    response = login_as("finance").post("/invoices/new", data={"client_id": world.client_a.id, "up_to": "2026-11-23",
                                                               "engagement_id": 0})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="up_to-error"' in html and "Nothing to invoice" in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 0


def test_deleting_a_draft_through_the_page(login_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    finance = login_as("manager")
    finance.post("/invoices/new", data={"client_id": world.client_a.id, "up_to": "2026-11-23", "engagement_id": 0})
    draft = _only(session)
    response = finance.post(f"/invoices/{draft.id}/delete", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/invoices/")
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 0


def test_issuing_without_the_csrf_token_changes_nothing(app, world, session, csrf_enabled):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    from tests.factories import draft as make_draft

    invoice = make_draft(session, world.client_a)
    client = login(app.test_client(), world.users["finance"])
    assert client.post(f"/invoices/{invoice.id}/issue", data={}).status_code == 400
    session.refresh(invoice)
    assert invoice.status == InvoiceStatus.DRAFT


def test_a_client_user_sees_only_their_authoritys_issued_invoices(login_as, world, session):
    samples = billing_samples(session, world)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 7), "1")
    from tests.factories import draft as make_draft

    draft = make_draft(session, world.client_a)
    client = login_as("client")
    html = client.get("/invoices/").get_data(as_text=True)
    assert "Your invoices" in html and samples["a"].number in html and samples["b"].number not in html
    assert f"Draft {draft.id}" not in html and "New draft" not in html and ">Invoices</a>" in html
    assert client.get(f"/invoices/{draft.id}").status_code == 404
    page = client.get(f"/invoices/{samples['a'].id}").get_data(as_text=True)
    assert "Download PDF" in page and "Record a payment" not in page and "Audit trail" not in page
    assert client.get("/invoices/uninvoiced").status_code == 403


def test_page_pdf_csv_and_api_show_the_same_stored_figures(login_as, api_as, world, session):
    odd = engagement(session, world.client_a, "Odd rate", day_rate=Decimal("333.33"), staff_ids=[world.staff["s1"].id],
                     purchase_order="PO-333")
    day(session, odd, world.staff["s1"], date(2026, 10, 1), "0.75", "tools")  # 249.9975 → 250.00, VAT 50.00
    invoice = issued(session, world.client_a)
    finance = login_as("finance")
    page = finance.get(f"/invoices/{invoice.id}").get_data(as_text=True)
    pdf_text = PdfReader(io.BytesIO(finance.get(f"/invoices/{invoice.id}/pdf").data)).pages[0].extract_text()
    rows = list(csv.DictReader(io.StringIO(finance.get("/invoices/export?format=csv").get_data(as_text=True))))
    api = api_as("finance").get(f"/api/v1/invoices/{invoice.id}").json
    assert "&pound;250.00" in page and "&pound;50.00" in page and "&pound;300.00" in page
    assert "£250.00" in pdf_text and "£50.00" in pdf_text and "£300.00" in pdf_text and "£333.33" in pdf_text
    assert (rows[0]["Net"], rows[0]["VAT"], rows[0]["Gross"], rows[0]["Rate"]) == ("250.00", "50.00", "300.00", "333.33")
    assert (api["net"], api["vat"], api["gross"]) == ("250.00", "50.00", "300.00")
    assert "PO-333" in pdf_text and rows[0]["Purchase order"] == "PO-333"


def test_the_ledger_export_escapes_formulas_and_has_ledger_codes(login_as, world, session):
    settings.set_value(session, "ledger_cost_centre", "=CC01", date(2020, 1, 1), SystemActor("test"))
    settings.set_value(session, "ledger_income_code", "I9100", date(2020, 1, 1), SystemActor("test"))
    nasty = engagement(session, world.client_a, "+SUM(A1:A9)", staff_ids=[world.staff["s1"].id],
                       purchase_order="@cmd|' /C calc'!A0")
    day(session, nasty, world.staff["s1"], date(2026, 10, 1), "1")
    day(session, nasty, world.staff["s2"], date(2026, 10, 1), "0.5", "mentoring")
    invoice = issued(session, world.client_a)
    from tracker.billing import services as billing

    sam = next(line for line in invoice.lines if line.staff_name == "Sam One")  # 1 day, £500.00
    billing.credit_invoice(session, SystemActor("test"), invoice, "-1 day", TODAY, [sam.id])
    finance = login_as("finance")
    response = finance.get("/invoices/export?format=csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    assert f'filename="ledger_{TODAY.isoformat()}_to_{TODAY.isoformat()}.csv"' in response.headers["Content-Disposition"]
    dated = finance.get("/invoices/export?format=csv&issued_from=2026-07-01&issued_to=2026-11-28")
    assert 'filename="ledger_2026-07-01_to_2026-11-28.csv"' in dated.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 3  # one per line: two invoice lines and one credit-note line
    assert {r["Engagement"] for r in rows} == {"'+SUM(A1:A9)"}
    assert rows[0]["Purchase order"] == "'@cmd|' /C calc'!A0" and rows[0]["Cost centre"] == "'=CC01"
    assert rows[0]["Income code"] == "I9100"
    credit_row = next(r for r in rows if r["Document type"] == "Credit note")
    assert credit_row["Net"] == "-500.00" and credit_row["Credits invoice"] == invoice.number  # numbers stay numbers

    book = load_workbook(io.BytesIO(finance.get("/invoices/export?format=xlsx").data))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    values = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))  # the invoice's first line
    assert values["Engagement"] == "'+SUM(A1:A9)" and values["Cost centre"] == "'=CC01"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values["Net"] == 250 and values["Gross"] == 300  # Kim Two's half day comes first
    assert finance.get("/invoices/export").status_code == 200  # the form


def test_aged_debt_page(login_as, world, session):
    samples = billing_samples(session, world)
    html = login_as("finance").get("/invoices/aged-debt").get_data(as_text=True)
    assert "Client A Council" in html and ">Current<" in html and ">90+ days<" in html
    assert f"&pound;{samples['a'].gross:,.2f}" in html


def test_an_issued_invoice_cannot_be_deleted_or_reissued_through_the_pages(login_as, world, session):
    samples = billing_samples(session, world)
    finance = login_as("finance")
    response = finance.post(f"/invoices/{samples['a'].id}/delete", data={}, follow_redirects=True)
    assert "has been issued and cannot be deleted; credit it instead" in response.get_data(as_text=True)
    response = finance.post(f"/invoices/{samples['a'].id}/issue", data={}, follow_redirects=True)
    assert "has already been issued" in response.get_data(as_text=True)
    session.expire_all()
    invoice = session.get(Invoice, samples["a"].id)
    assert invoice.number == "INV-2026-0001" and invoice.status == InvoiceStatus.ISSUED


def test_the_settings_page_lists_the_invoicing_settings(login_as, world):
    html = login_as("admin").get("/settings/").get_data(as_text=True)
    for label in ("Invoice number prefix", "Credit note number prefix", "Payment terms (days)", "Remittance details",
                  "Ledger cost centre", "Ledger income code"):
        assert label in html
