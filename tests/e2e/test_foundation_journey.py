"""The demo admin signs in, adds a client authority and an engagement through
the pages, and finds it on the list; the same pages on a phone-sized screen."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_admin_sets_up_a_client_and_an_engagement(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "admin@halton.example.org", "demo passphrase 1")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    shot(page, "01-home-admin")

    page.get_by_role("link", name="Authorities").click()
    page.get_by_role("link", name="Add an authority").click()
    page.get_by_label("Name").fill("Knowsley Children's Trust")
    page.get_by_label("Kind").select_option("trust")
    page.get_by_label("Finance e-mail").fill("not an email")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#finance_email-error")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("Knowsley Children's Trust")
    shot(page, "02-authority-error")
    page.get_by_label("Finance e-mail").fill("ap@knowsley-trust.example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Knowsley Children's Trust")).to_be_visible()

    page.get_by_role("link", name="New engagement").click()
    page.get_by_label("Title").fill("Commissioning development programme")
    page.get_by_label("Estimated days — low").fill("20")
    page.get_by_label("Estimated days — high").fill("30")
    page.get_by_label("Start date").fill("2026-12-01")
    page.get_by_label("Purchase-order reference").fill("KT-PO-1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=re.compile("Commissioning development programme"))).to_be_visible()
    expect(page.get_by_text("£10,000.00 – £15,000.00")).to_be_visible()
    shot(page, "03-engagement-detail")

    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_text("Status is now Approved.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    row = page.get_by_role("row", name=re.compile("Commissioning development programme"))
    expect(row).to_contain_text("Knowsley Children's Trust")
    expect(row).to_contain_text("Approved")
    shot(page, "04-engagement-list")


def test_pages_work_by_keyboard_and_on_a_narrow_screen(page, live_server, demo_world, shot):
    base = live_server
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/login")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.get_by_label("E-mail").focus()
    page.keyboard.type("helen.ashworth@halton.example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("demo passphrase 1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/engagements/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways on a phone: {width}px"
    shot(page, "05-engagements-phone")
