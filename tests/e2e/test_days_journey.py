"""A consultant signs in, fills a week, meets an over-booked day, corrects it,
saves, and sees the engagement's progress move."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def _cell(page, engagement_title, day_name):
    return page.get_by_label(re.compile(f"^Days on {day_name} .* for {re.escape(engagement_title)}$"))


def test_consultant_fills_a_week(page, live_server, demo_world, shot):
    base = live_server
    cwac = demo_world.engagements["cwac"]
    sign_in(page, base, "mark.dobson@halton.example.org", "demo passphrase 1")
    page.goto(f"{base}/engagements/{cwac.id}")
    before = page.locator(".panel dl.facts dd").first.inner_text()

    page.get_by_role("link", name="My week").click()
    page.get_by_role("link", name="‹ Previous week").click()  # 16–20 Nov 2026, all in the past
    expect(page.get_by_role("heading", name=re.compile("Week of 16 Nov 2026"))).to_be_visible()
    wirral = demo_world.engagements["wirral"].title
    _cell(page, cwac.title, "Tuesday").fill("0.75")
    _cell(page, cwac.title, "Wednesday").fill("1")
    # Mark has never logged a Wirral day: its activity is blank, not silently "Scoping".
    expect(page.get_by_label(f"Activity for {wirral}")).to_have_value("")
    page.get_by_label(f"Activity for {wirral}").select_option("mentoring")
    _cell(page, wirral, "Tuesday").fill("0.5")  # 0.75 + 0.5 on one date: over-booked
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_text(re.compile("Nothing was saved"))).to_be_visible()
    error = page.locator("td.has-error .error-message")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("cannot add up to more than 1")
    expect(error).to_contain_text(cwac.title)
    expect(_cell(page, cwac.title, "Wednesday")).to_have_value("1")  # what was typed is kept
    shot(page, "10-week-error")

    _cell(page, wirral, "Tuesday").fill("0.25")
    page.get_by_role("button", name="Save the week").click()
    expect(page.get_by_text(re.compile(r"Week saved \(3 changes\)"))).to_be_visible()
    expect(_cell(page, cwac.title, "Wednesday")).to_have_value("1")
    shot(page, "11-week-saved")

    page.goto(f"{base}/engagements/{cwac.id}")
    after = page.locator(".panel dl.facts dd").first.inner_text()
    assert float(after) == float(before) + 1.75, (before, after)
    expect(page.locator(".progress-block")).to_be_visible()
    shot(page, "12-engagement-progress")
