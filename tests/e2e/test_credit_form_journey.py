"""The credit-note form in Chromium: nothing is ticked, the running total
follows the ticks (static JS, CSP-safe), the confirmation states the amount,
and a write-off issues the note."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, issued, seed_days


def test_credit_form_running_total_and_confirmation(page, live_server, world, session, shot):
    seed_days(session, world)
    invoice = issued(session, world.client_a)  # lines: training £3,600, mentoring £2,400, scoping £6,000 (gross)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))  # script errors (CSP refusals included)
    missing: list[str] = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    sign_in(page, live_server, world.users["finance"].email, PASSWORD)
    page.goto(f"{live_server}/invoices/{invoice.id}/credit")

    boxes = page.get_by_role("checkbox")
    expect(boxes).to_have_count(3)
    for i in range(3):
        expect(boxes.nth(i)).not_to_be_checked()
    total = page.locator("#credit-total")
    expect(total).to_have_text("No line chosen yet.")
    page.get_by_label(re.compile("Mentoring")).check()
    expect(total).to_have_text("Chosen: 1 line, £2,400.00 to credit (gross).")
    page.get_by_label(re.compile("Bespoke commissioning training")).check()
    expect(total).to_have_text("Chosen: 2 lines, £6,000.00 to credit (gross).")
    page.get_by_label(re.compile("Bespoke commissioning training")).uncheck()
    expect(total).to_have_text("Chosen: 1 line, £2,400.00 to credit (gross).")
    page.keyboard.press("Tab")  # keyboard reaches the choice of outcome
    page.get_by_label(re.compile("Write them off")).check()
    page.get_by_label("Reason (printed on the credit note)").fill("Goodwill: half day not charged")
    shot(page, "credit-01-form")
    page.get_by_role("button", name="Continue to confirm").click()

    expect(page.get_by_role("heading", name="Confirm the credit note")).to_be_visible()
    expect(page.locator("#credit-amount")).to_contain_text("Issue a credit note for £2,400.00")
    expect(page.get_by_text("Their days will be written off")).to_be_visible()
    shot(page, "credit-02-confirm")
    page.get_by_role("button", name="Issue credit note for £2,400.00").click()
    expect(page.get_by_text(re.compile(r"Credit note CN-2026-0001 issued for £2,400.00; its days are written off"))).to_be_visible()
    assert errors == [] and missing == []
