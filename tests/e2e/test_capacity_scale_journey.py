"""A manager of a larger service works the capacity review: red and amber people
first, one team at a time, the green majority only when asked for; with the
page cache on, the kept page's forms still post (each session its own token)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_flagged_first_team_filter_and_greens_on_demand(page, live_server, demo_world, caching, shot):
    base = live_server
    sign_in(page, base, "helen.ashworth@halton.example.org", "demo passphrase 1")
    page.goto(f"{base}/reports/capacity?month=2026-11")
    people = page.locator("table.capacity tbody tr")
    expect(people.first).to_contain_text("Priya Shah")
    expect(people.first).to_contain_text("Red")
    expect(page.locator("table.capacity tbody tr.flag-green")).to_have_count(0)
    shot(page, "23-capacity-flagged-first")

    # Keyboard only: choose a team and show it.
    page.get_by_label("Team or service").focus()
    page.get_by_label("Team or service").select_option("Leadership")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("row", name=re.compile(r"^Leadership \(2 people\)"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"^Everyone \(5 people\)"))).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Priya Shah"))).to_have_count(0)

    page.get_by_role("link", name="Show the 2 green people").click()
    expect(page.locator("table.capacity tbody tr.flag-green")).to_have_count(2)
    expect(page.get_by_role("row", name=re.compile("Ann McIntyre"))).to_be_visible()
    shot(page, "24-capacity-team-greens")
    page.get_by_role("link", name="Every team").click()
    expect(page.get_by_role("row", name=re.compile("Priya Shah"))).to_be_visible()

    # A second visit is served from the page cache; its review form still saves.
    page.reload()
    page.get_by_label("Decisions").fill("Hold new outside work for Priya Shah.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Review saved as a draft.")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}/reports/capacity?month=2026-11")
    expect(page.get_by_label("Team or service")).to_be_visible()
    shot(page, "25-capacity-narrow")
