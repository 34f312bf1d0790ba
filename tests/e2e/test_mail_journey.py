"""Mail journeys in Chromium: a finance officer sends an issued invoice to the
client and sees it recorded; the admin reads it in the outbox (no SMTP_URL: the
embedded default); a user who forgot their password resets it from the link."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tracker.billing.models import Invoice, InvoiceKind, InvoiceStatus
from tracker.mail.models import MessageKind, OutboxMessage

PASSWORD = "demo passphrase 1"


def test_finance_sends_an_invoice_and_the_admin_reads_the_outbox(page, browser, live_server, demo_world, session,
                                                                 shot):
    base = live_server
    invoice = session.scalars(sa.select(Invoice).where(Invoice.kind == InvoiceKind.INVOICE,
                                                       Invoice.status != InvoiceStatus.DRAFT).order_by(Invoice.id)).first()
    number, address = invoice.number, invoice.client.finance_email
    sign_in(page, base, "finance@halton.example.org", PASSWORD)
    page.goto(f"{base}/invoices/{invoice.id}")
    expect(page.get_by_role("heading", name="Sent to the client")).to_be_visible()
    page.get_by_role("button", name="Send to client").click()
    expect(page.get_by_text(f"{number} queued to {address} with its PDF.")).to_be_visible()
    expect(page.locator("#sent-to-client + ul")).to_contain_text(address)
    shot(page, "mail-01-invoice-sent")

    admin = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB").new_page()
    sign_in(admin, base, "admin@halton.example.org", PASSWORD)
    admin.goto(f"{base}/admin/outbox/")
    expect(admin.get_by_text("No mail server is set")).to_be_visible()
    admin.get_by_role("link", name=re.compile(number)).click()
    expect(admin.get_by_text(f"{number}.pdf")).to_be_visible()
    expect(admin.locator(".mail-body").first).to_contain_text(number)
    shot(admin, "mail-02-outbox-message-narrow")
    admin.context.close()


def test_a_forgotten_password_is_reset_from_the_link(page, live_server, demo_world, session, shot):
    base = live_server
    page.goto(f"{base}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("E-mail").fill("mark.dobson@halton.example.org")
    page.keyboard.press("Enter")
    expect(page.get_by_text("If that address belongs to an account")).to_be_visible()
    shot(page, "mail-03-forgot-answer")

    session.expire_all()
    message = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == MessageKind.PASSWORD_RESET)).one()
    link = re.search(r"/password/reset/\S+", message.body_text).group(0)
    page.goto(base + link)
    page.get_by_label("New password", exact=True).fill("a fresh long passphrase")
    page.get_by_label("New password again").fill("a fresh long passphrase")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_text("Your password is set")).to_be_visible()
    sign_in(page, base, "mark.dobson@halton.example.org", "a fresh long passphrase")
    page.goto(base + link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    shot(page, "mail-04-link-used")
