"""API.md "Additions: Finance corrections": write_off, refunds, aged debt
(JSON, CSV, XLSX) and statements, with 409/422/404 and nothing changed."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from tests.factories import ACTOR, TODAY, day, issued, seed_days
from tracker.billing import services as billing


def _issue_pay_and_credit(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)  # £12,000 gross
    billing.record_payment(session, ACTOR, invoice, "10000.00", TODAY, "BACS", TODAY)
    return invoice


def test_credit_with_write_off_then_refund_to_zero(api_as, world, session):
    invoice = _issue_pay_and_credit(session, world)
    api = api_as("finance")
    scoping = next(line.id for line in invoice.lines if line.activity.value == "scoping")
    r = api.post(f"/api/v1/invoices/{invoice.id}/credit",
                 json={"reason": "Not wanted", "line_ids": [scoping], "write_off": True})
    assert r.status_code == 201, r.json
    assert r.json["lines"][0]["write_off"] is True and r.json["gross"] == "-6000.00"
    r = api.post(f"/api/v1/invoices/{invoice.id}/credit", json={"reason": "Again", "line_ids": [scoping]})
    assert r.status_code == 409 and r.json["error"]["code"] == "already_credited"

    got = api.get(f"/api/v1/invoices/{invoice.id}").json
    assert (got["balance"], got["refund_due"]) == ("-4000.00", True)
    r = api.post(f"/api/v1/invoices/{invoice.id}/refunds", json={"amount": "4000.01", "paid_on": TODAY.isoformat()})
    assert r.status_code == 422 and "amount" in r.json["error"]["fields"]
    r = api.post(f"/api/v1/invoices/{invoice.id}/refunds", json={"amount": "x", "paid_on": "soon"})
    assert r.status_code == 422 and {"amount", "paid_on"} <= set(r.json["error"]["fields"])
    assert api.get(f"/api/v1/invoices/{invoice.id}").json["refunded"] == "0.00"
    r = api.post(f"/api/v1/invoices/{invoice.id}/refunds",
                 json={"amount": "4000.00", "paid_on": TODAY.isoformat(), "reference": "BACS OUT 1"})
    assert r.status_code == 201, r.json
    assert (r.json["balance"], r.json["refunded"], r.json["refund_due"]) == ("0.00", "4000.00", False)
    assert r.json["refunds"][0]["reference"] == "BACS OUT 1"
    r = api.post(f"/api/v1/invoices/{invoice.id}/refunds", json={"amount": "1.00", "paid_on": TODAY.isoformat()})
    assert r.status_code == 409 and r.json["error"]["code"] == "no_refund_due"


def test_a_write_off_on_a_draft_is_409(api_as, world, session):
    seed_days(session, world)
    api = api_as("finance")
    draft = api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": TODAY.isoformat()}).json
    r = api.post(f"/api/v1/invoices/{draft['id']}/credit", json={"reason": "x", "write_off": True})
    assert r.status_code == 409 and r.json["error"]["code"] == "not_creditable"
    assert api.get(f"/api/v1/invoices/{draft['id']}").json["status"] == "draft"


def test_aged_debt_totals_equal_the_sum_of_listed_balances(api_as, world, session):
    invoice = _issue_pay_and_credit(session, world)
    billing.credit_invoice(session, ACTOR, invoice, "Scoping", TODAY,
                           [line.id for line in invoice.lines if line.activity.value == "scoping"])
    day(session, world.engagement_b, world.staff["s2"], TODAY, "0.25", "mentoring")
    issued(session, world.client_b)
    api = api_as("finance")
    aged = api.get("/api/v1/reports/aged-debt")
    assert aged.status_code == 200, aged.json
    listed = api.get("/api/v1/invoices?per_page=500").json["items"]
    documents = sum((Decimal(i["balance"]) for i in listed if i["status"] != "draft"), Decimal("0"))
    assert Decimal(aged.json["totals"]["balance"]) == documents == Decimal("-3850.00")
    rows = {r["client_id"]: r for r in aged.json["items"]}
    assert rows[world.client_a.id]["balance"] == "-4000.00" and rows[world.client_a.id]["refund_due"] == "4000.00"
    assert set(aged.json["totals"]) >= {"current", "d1_30", "d31_60", "d61_90", "over_90", "balance"}

    csv = api.get("/api/v1/reports/aged-debt?format=csv")
    assert csv.status_code == 200 and "aged-debt-" in csv.headers["Content-Disposition"]
    text = csv.get_data(as_text=True)
    assert "Client A Council" in text and "-3850.00" in text
    xlsx = api.get("/api/v1/reports/aged-debt?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert any(cell.value == Decimal("-3850.00") or cell.value == -3850 for row in sheet.iter_rows() for cell in row)
    assert api.get("/api/v1/reports/aged-debt?format=pdf").status_code == 422
    assert api_as("client").get("/api/v1/reports/aged-debt").status_code == 403


def test_statement_pdf_for_own_authority_only(api_as, world, session):
    _issue_pay_and_credit(session, world)
    finance = api_as("finance")
    r = finance.get(f"/api/v1/authorities/{world.client_a.id}/statement.pdf")
    assert r.status_code == 200 and r.data.startswith(b"%PDF") and r.mimetype == "application/pdf"
    client = api_as("client")
    assert client.get(f"/api/v1/authorities/{world.client_a.id}/statement.pdf").status_code == 200
    r = client.get(f"/api/v1/authorities/{world.client_b.id}/statement.pdf")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    assert finance.get(f"/api/v1/authorities/{world.lead.id}/statement.pdf").status_code == 404
    assert api_as("consultant").get(f"/api/v1/authorities/{world.client_a.id}/statement.pdf").status_code == 403
