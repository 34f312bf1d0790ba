"""A manager opens the capacity review, sees a red flag for an over-committed
commissioner, records decisions and signs off."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_manager_signs_off_the_monthly_review(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "helen.ashworth@halton.example.org", "demo passphrase 1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Capacity").click()
    expect(page.get_by_role("heading", name="Capacity risk review: November 2026")).to_be_visible()
    priya = page.get_by_role("row", name=re.compile("Priya Shah"))
    expect(priya).to_contain_text("Red")
    shot(page, "20-capacity-review")

    page.get_by_label("Notes").fill("Priya Shah is over her 20% cap because of the Wirral deep dives.")
    page.get_by_label("Decisions").fill("No new outside bookings for Priya Shah until January; Tom Reilly covers Wirral mentoring.")
    page.get_by_label("Actions (who does what by when)").fill("HA to rebook the December Wirral sessions by 30 November.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review saved as a draft.")).to_be_visible()

    page.get_by_role("radio", name="Yes: I sign this statement").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Sign off the review").click()
    expect(page.get_by_text(re.compile("signed off; its figures are now frozen"))).to_be_visible()
    expect(page.get_by_text(re.compile("Signed off by Helen Ashworth"))).to_be_visible()
    expect(page.get_by_role("button", name="Sign off the review")).to_have_count(0)
    shot(page, "21-capacity-signed")

    page.get_by_role("link", name="All reviews").click()
    november = page.get_by_role("row", name=re.compile("November 2026"))
    expect(november).to_contain_text("Signed")
    expect(november).to_contain_text("by Helen Ashworth")
    expect(november).to_contain_text("Yes no detrimental impact")
    shot(page, "22-capacity-trend")
