"""/api/v1/invoices as API.md names it: money as strings, 409/422/404/403."""

import io
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from pypdf import PdfReader

from tests.factories import TODAY, billing_samples, day, remittance, seed_days
from tracker.billing.models import Invoice
from tracker.days.models import DayState, SupportDay


def test_draft_issue_pay_and_credit_through_the_api(api_as, world, session):
    seed_days(session, world)
    remittance(session)
    api = api_as("finance")
    r = api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": TODAY.isoformat()})
    assert r.status_code == 201, r.json
    draft = r.json
    assert (draft["status"], draft["kind"], draft["number"]) == ("draft", "invoice", None)
    assert (draft["net"], draft["vat"], draft["gross"], draft["balance"]) == ("10000.00", "2000.00", "12000.00", "0.00")
    first = draft["lines"][0]
    assert {k: first[k] for k in ("engagement_id", "staff_id", "activity", "days", "rate", "net", "vat", "gross")} == {
        "engagement_id": world.engagement_a.id, "staff_id": world.staff["s2"].id, "activity": "training",
        "days": "6.00", "rate": "500.00", "net": "3000.00", "vat": "600.00", "gross": "3600.00"}
    assert len(first["support_day_ids"]) == 6 and first["vat_rate"] == "0.20"

    r = api.post(f"/api/v1/invoices/{draft['id']}/issue", json={})
    assert r.status_code == 200, r.json
    assert r.json["number"] == "INV-2026-0001" and r.json["status"] == "issued"
    issued_on = date.fromisoformat(r.json["issued_on"])
    assert date.fromisoformat(r.json["due_on"]) == issued_on + timedelta(days=30) and issued_on >= TODAY
    assert api.post(f"/api/v1/invoices/{draft['id']}/issue", json={}).status_code == 409
    assert api.delete(f"/api/v1/invoices/{draft['id']}").json["error"]["code"] == "invoice_issued"

    r = api.post(f"/api/v1/invoices/{draft['id']}/payments", json={"amount": "5000", "paid_on": r.json["issued_on"],
                                                                   "reference": "BACS 77"})
    assert r.status_code == 201, r.json
    assert (r.json["status"], r.json["paid"], r.json["balance"]) == ("part_paid", "5000.00", "7000.00")
    assert r.json["payments"] == [{"id": r.json["payments"][0]["id"], "amount": "5000.00",
                                   "paid_on": r.json["issued_on"], "reference": "BACS 77"}]

    mentoring = draft["lines"][1]["id"]
    r = api.post(f"/api/v1/invoices/{draft['id']}/credit", json={"reason": "Not chargeable", "line_ids": [mentoring]})
    assert r.status_code == 201, r.json
    note = r.json
    assert (note["kind"], note["credits_id"], note["gross"], note["number"]) == (
        "credit_note", draft["id"], "-2400.00", "CN-2026-0001")
    assert note["lines"][0]["credits_line_id"] == mentoring and note["lines"][0]["days"] == "-4.00"
    invoice = api.get(f"/api/v1/invoices/{draft['id']}").json
    assert invoice["credit_note_ids"] == [note["id"]] and invoice["balance"] == "4600.00"
    assert [line["credited"] for line in invoice["lines"]] == [False, True, False]

    engagement = api.get(f"/api/v1/engagements/{world.engagement_a.id}").json
    assert engagement["income_invoiced"] == "8000.00"  # 10,000.00 invoiced less 2,000.00 credited
    listed = api_as("manager").get("/api/v1/engagements").json["items"]
    assert {e["id"]: e["income_invoiced"] for e in listed}[world.engagement_a.id] == "8000.00"

    r = api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": TODAY.isoformat()})
    assert r.status_code == 201 and r.json["net"] == "2000.00"  # the credited days, invoiceable again


def test_nothing_billable_is_409_and_bad_values_422_naming_the_field(api_as, world):
    api = api_as("finance")
    r = api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": "2026-11-23"})
    assert r.status_code == 409 and r.json["error"]["code"] == "nothing_billable"
    assert "Nothing to invoice" in r.json["error"]["message"]
    r = api.post("/api/v1/invoices", json={"client_id": world.lead.id, "up_to": "23/11/2026"})
    assert r.status_code == 422 and set(r.json["error"]["fields"]) == {"up_to"}
    r = api.post("/api/v1/invoices", json={"client_id": world.lead.id, "up_to": "2026-11-23"})
    assert r.status_code == 422 and set(r.json["error"]["fields"]) == {"client_id"}


def test_delete_a_draft_frees_its_days(api_as, world, session):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    api = api_as("manager")
    draft = api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": "2026-11-23"}).json
    r = api.patch(f"/api/v1/invoices/{draft['id']}", json={})
    assert r.status_code == 405
    assert api.delete(f"/api/v1/invoices/{draft['id']}").status_code == 204
    assert api.get(f"/api/v1/invoices/{draft['id']}").status_code == 404
    assert session.get(SupportDay, d.id).state == DayState.DELIVERED
    assert api.post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": "2026-11-23"}).status_code == 201


def test_a_client_user_reads_only_their_own_issued_documents(api_as, world, session):
    samples = billing_samples(session, world)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 6), "1")
    draft = api_as("finance").post("/api/v1/invoices", json={"client_id": world.client_a.id, "up_to": "2026-11-23"}).json
    api = api_as("client")
    listed = api.get("/api/v1/invoices").json
    assert [i["id"] for i in listed["items"]] == [samples["a"].id] and listed["total"] == 1
    assert api.get(f"/api/v1/invoices/{samples['a'].id}").status_code == 200
    assert api.get(f"/api/v1/invoices/{draft['id']}").status_code == 404  # their own draft: not yet theirs to see
    assert api.get(f"/api/v1/invoices/{samples['b'].id}").status_code == 404
    assert api.get(f"/api/v1/invoices/{samples['b'].id}.pdf").status_code == 404
    assert api.post(f"/api/v1/invoices/{samples['a'].id}/payments", json={}).status_code == 403
    assert api.get(f"/api/v1/invoices?client_id={world.client_b.id}").json["items"] == []
    assert api_as("consultant").get("/api/v1/invoices").status_code == 403


def test_the_pdf_endpoint_serves_the_stored_figures(api_as, world, session):
    seed_days(session, world)
    samples = billing_samples(session, world)
    r = api_as("client").get(f"/api/v1/invoices/{samples['a'].id}.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.data)).pages)
    invoice = session.get(Invoice, samples["a"].id)
    # the seed's 20 days plus the sample's one: 21 × £500 = £10,500.00 net, £12,600.00 with VAT
    assert invoice.gross == Decimal("12600.00")
    assert invoice.number in text and "£10,500.00" in text and "£2,100.00" in text and "£12,600.00" in text


def test_list_filters_and_paging(api_as, world, session):
    samples = billing_samples(session, world)
    api = api_as("finance")
    assert api.get(f"/api/v1/invoices?client_id={world.client_b.id}").json["items"][0]["id"] == samples["b"].id
    assert api.get("/api/v1/invoices?status=paid").json["total"] == 0
    assert api.get("/api/v1/invoices?status=issued&kind=invoice").json["total"] == 2
    assert api.get("/api/v1/invoices?status=nonsense").status_code == 422
    assert api.get("/api/v1/invoices?issued_from=2027-01-01").json["total"] == 0
    r = api.get("/api/v1/invoices?per_page=1&page=2")
    assert r.json["total"] == 2 and len(r.json["items"]) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 2


def test_payment_and_credit_inputs_are_checked(api_as, world, session):
    samples = billing_samples(session, world)
    api = api_as("finance")
    url = f"/api/v1/invoices/{samples['a'].id}"
    r = api.post(f"{url}/payments", json={"amount": "lots", "paid_on": "yesterday", "colour": "red"})
    assert r.status_code == 422 and set(r.json["error"]["fields"]) == {"amount", "paid_on", "colour"}
    r = api.post(f"{url}/payments", json={"amount": 100000, "paid_on": "2026-11-23"})
    assert r.status_code == 422 and "still owed" in r.json["error"]["fields"]["amount"]
    r = api.post(f"{url}/credit", json={"reason": ""})
    assert r.status_code == 422 and "reason" in r.json["error"]["fields"]
    r = api.post(f"{url}/credit", json={"reason": "x", "line_ids": [999999]})
    assert r.status_code == 422 and "line_ids" in r.json["error"]["fields"]
    assert api.post(f"{url}/credit", json={"reason": "Wrong client"}).status_code == 201
    r = api.post(f"{url}/credit", json={"reason": "Again"})
    assert r.status_code == 409 and r.json["error"]["code"] == "already_credited"


def test_api_md_invoice_names_are_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    for path, methods in {
        "/api/v1/invoices": {"get", "post"}, "/api/v1/invoices/{invoice_id}": {"get", "delete"},
        "/api/v1/invoices/{invoice_id}/issue": {"post"}, "/api/v1/invoices/{invoice_id}/credit": {"post"},
        "/api/v1/invoices/{invoice_id}/payments": {"post"}, "/api/v1/invoices/{invoice_id}.pdf": {"get"},
    }.items():
        assert methods <= set(doc["paths"][path]), path
    pdf_doc = doc["paths"]["/api/v1/invoices/{invoice_id}.pdf"]["get"]["responses"]["200"]["content"]
    assert "application/pdf" in pdf_doc
    invoice = doc["components"]["schemas"]["Invoice"]["properties"]
    assert {"id", "number", "kind", "status", "client_id", "issued_on", "due_on", "net", "vat", "gross", "paid",
            "balance", "lines", "credits_id"} <= set(invoice)
    assert {"draft", "issued", "paid", "credited"} <= set(invoice["status"]["enum"])
    line = doc["components"]["schemas"]["InvoiceLine"]["properties"]
    assert {"engagement_id", "staff_id", "activity", "days", "rate", "net"} <= set(line)
    assert "income_invoiced" in doc["components"]["schemas"]["Engagement"]["properties"]
