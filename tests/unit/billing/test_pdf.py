"""The PDF carries what HMRC asks of a VAT invoice, and what accounts payable
need to pay it: checked on the text extracted from the rendered PDF."""

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from tests.factories import TODAY, day, draft, engagement, issued, seed_days
from tracker.access import SystemActor
from tracker.billing import pdf
from tracker.billing import services as billing


def _text(invoice) -> str:
    reader = PdfReader(io.BytesIO(pdf.render_pdf(invoice)))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_vat_invoice_has_every_hmrc_field_and_the_payment_details(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    text = _flat(_text(invoice))
    required = [
        "VAT INVOICE", "INV-2026-0001",  # a unique sequential number
        "Date of issue 23 Nov 2026", "Time of supply (tax point) 23 Nov 2026",
        "Lead Borough Council", "Town Hall", "Leadtown", "LD1 1AA", "VAT registration number: GB999999973",  # supplier
        "Client A Council", "A House", "Atown", "AA1 1AA",  # customer
        "Bespoke commissioning training — Kim Two", "Scoping of current practice — Sam One",  # description
        "6.00", "10.00", "£500.00",  # quantity (days) and unit price
        "20%",  # VAT rate per line
        "3,000.00", "600.00", "3,600.00",  # a line's net, VAT and total
        "Total net (excluding VAT) £10,000.00", "Total VAT £2,000.00", "Total due (GBP) £12,000.00",
        "Payment due by 23 Dec 2026", "30 days from the date of issue",  # terms and due date
        "Your purchase order", "BACS to Lead Borough Council, sort code 12-34-56",  # remittance
        "Please quote INV-2026-0001", "Page 1 of 1",
    ]
    missing = [field for field in required if field not in text]
    assert not missing, missing
    assert "Outside the scope" not in text


def test_outside_the_scope_of_vat_prints_the_reason_and_the_po(session, world):
    outside = engagement(session, world.client_b, "SAP facilitation", vat_rate=None, purchase_order="WIR-7781",
                         vat_note="Services between local authorities under s.33 VATA 1994",
                         staff_ids=[world.staff["s2"].id])
    day(session, outside, world.staff["s2"], date(2026, 10, 1), "1", "self_assessment")
    text = _flat(_text(issued(session, world.client_b)))
    assert text.startswith("Lead Borough Council") and "INVOICE" in text and "VAT INVOICE" not in text
    assert "Outside the scope of VAT: Services between local authorities under s.33 VATA 1994" in text
    assert "Outside scope" in text and "Total VAT £0.00" in text and "Total due (GBP) £500.00" in text
    assert "WIR-7781" in text


def test_a_credit_note_names_the_invoice_it_credits_and_why(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    note = billing.credit_invoice(session, SystemActor("test"), invoice, "Mentoring was not chargeable", TODAY + timedelta(days=2),
                                  [invoice.lines[1].id])
    text = _flat(_text(note))
    for field in ["CREDIT NOTE", "CN-2026-0001", "Date of issue 25 Nov 2026",
                  "cancels the lines below of invoice INV-2026-0001 dated 23 Nov 2026",
                  "Reason: Mentoring was not chargeable", "-4.00", "-2,000.00", "-400.00",
                  "Total credited (GBP) -£2,400.00", "VAT registration number: GB999999973", "Client A Council"]:
        assert field in text, field
    assert "Payment due by" not in text


def test_a_draft_has_no_pdf(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    with pytest.raises(pdf.NoPdfForDraft) as err:
        pdf.render_pdf(draft(session, world.client_a))
    assert err.value.status == 409
