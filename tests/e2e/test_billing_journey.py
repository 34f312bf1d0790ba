"""The finance officer signs in, finds the work waiting, drafts an invoice,
issues it, downloads the PDF and records a payment; the invoice page works on
a phone-sized screen too."""

import io
import re
import subprocess

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.conftest import ARTIFACTS, sign_in


def test_finance_drafts_issues_downloads_and_records_a_payment(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "finance@halton.example.org", "demo passphrase 1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("heading", name="Invoices and credit notes")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("HBC-CN-2026-0001"))).to_contain_text("Credit note")
    shot(page, "billing-01-invoice-list")

    page.get_by_role("navigation", name="Invoicing").get_by_role("link", name="Uninvoiced work").click()
    waiting = page.get_by_role("heading", name=re.compile("Cheshire West and Chester Council: 6.00 days"))
    expect(waiting).to_contain_text("£3,000.00")
    shot(page, "billing-02-uninvoiced")

    page.get_by_role("link", name="Draft an invoice for Cheshire West and Chester Council").click()
    expect(page.get_by_label("Client authority").locator("option:checked")).to_have_text("Cheshire West and Chester Council")
    page.get_by_role("button", name="Make the draft").click()
    expect(page.get_by_role("heading", name=re.compile(r"Draft invoice \d+"))).to_be_visible()
    expect(page.locator(".cards")).to_contain_text("£3,600.00")  # 6 days × £500 + 20% VAT
    shot(page, "billing-03-draft")

    page.once("dialog", lambda dialog: dialog.accept())  # "Issue this invoice? ..."
    page.get_by_role("button", name="Issue invoice").click()
    expect(page.get_by_role("heading", name=re.compile("VAT invoice HBC-2026-0006"))).to_be_visible()
    expect(page.get_by_text("Issued as HBC-2026-0006")).to_be_visible()
    shot(page, "billing-04-issued")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "HBC-2026-0006.pdf"
    pdf_path = ARTIFACTS / "billing-05-invoice.pdf"
    download.save_as(pdf_path)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages).split())
    for field in ["VAT INVOICE", "HBC-2026-0006", "Halton Borough Council", "VAT registration number: GB999999973",
                  "Cheshire West and Chester Council", "CWAC-PO-104471", "Total due (GBP) £3,600.00",
                  "Sort code 00-00-00"]:
        assert field in text, field
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path), str(ARTIFACTS / "billing-05-invoice")],
                   check=True)

    page.get_by_label("Amount received (£)").fill("1000.00")
    page.get_by_label("Reference (e.g. BACS remittance)").fill("CWAC BACS 88412")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("is now part-paid; balance £2,600.00")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("CWAC BACS 88412"))).to_contain_text("£1,000.00")
    shot(page, "billing-06-part-paid")

    page.get_by_label("Amount received (£)").fill("2600.01")
    page.get_by_role("button", name="Record payment").click()
    expect(page.locator("#amount-error")).to_contain_text("more than the £2,600.00 still owed")
    page.get_by_label("Amount received (£)").fill("2600.00")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("is now paid; balance £0.00")).to_be_visible()

    page.get_by_role("link", name="Credit…").click()
    expect(page.get_by_role("checkbox")).to_have_count(7)  # one line per person, activity and month
    expect(page.get_by_role("checkbox", checked=True)).to_have_count(0)  # nothing pre-ticked
    expect(page.get_by_role("button", name="Continue to confirm")).to_be_visible()
    shot(page, "billing-08-credit-form")
    page.goto(f"{base}/invoices/aged-debt")
    expect(page.get_by_role("row", name=re.compile("Wirral Council"))).to_contain_text("£1,750.00")
    shot(page, "billing-09-aged-debt")
    page.go_back()
    page.go_back()

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the invoice page scrolls sideways on a phone: {width}px"
    shot(page, "billing-07-invoice-phone")
