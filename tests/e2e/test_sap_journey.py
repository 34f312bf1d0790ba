"""A CWAC client user scores their group's standards in the 6-month review,
updates a milestone, and sees the section figures and chart change; then the
same pages on a phone, and as the lead's manager.

Demo figures for section 2 of the 6-month review (Board 3, 3; Executive
3, 2, 2, 2; team 2, 2, 2, 2): 23 / 10 = 2.30, and standard 2.3: 7 / 3 = 2.33.
The new group scores 2.1–2.4 as 4, 4, 4, 3: section 2 becomes 38 / 14 = 2.71
and 2.3 becomes 11 / 4 = 2.75.
"""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import sign_in

PASSWORD = "demo passphrase 1"


def _chart_src(page, section: int) -> str:
    return page.locator(f'img[src*="/sections/{section}/chart.png"]').get_attribute("src")


def _wait_for_charts(page) -> None:
    """Every section chart has loaded and decoded as a 900-pixel-wide PNG."""
    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(3)
    for index in range(3):
        expect(charts.nth(index)).to_have_js_property("naturalWidth", 900)


def _score(page, legend: str, score: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_role("radio", name=re.compile(rf"^{score} ")).check()


def test_a_client_scores_updates_a_milestone_and_sees_the_chart_change(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "commissioning@cwac.example.org", PASSWORD)
    page.get_by_role("link", name="Commissioning support package 2026–27").click()
    page.get_by_role("link", name="Open the self-assessment").click()
    page.get_by_role("link", name="6-month review").click()
    figures = page.locator('.section-figures[data-section="2"] .section-mean')
    expect(figures).to_have_text("2.30")
    expect(page.locator("#standard-2\\.3 td.mean")).to_have_text("2.33")
    before = _chart_src(page, 2)
    _wait_for_charts(page)
    expect(page.get_by_role("link", name="Edit round")).to_have_count(0)
    shot(page, "sap-01-round-client")

    page.get_by_role("link", name="Add a group's scores").click()
    page.get_by_label("Group", exact=True).fill("Early help sub-partnership")
    _score(page, "2.1 Planning and priorities", 4)
    _score(page, "2.2 Market development and procurement", 4)
    page.get_by_label("Evidence for 2.4").fill("Early help review under way")
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator("#evidence_2_4-error")).to_contain_text("Give a score for 2.4")
    expect(page.get_by_label("Group", exact=True)).to_have_value("Early help sub-partnership")
    _score(page, "2.3 Outcome-based contracts and monitoring", 4)
    _score(page, "2.4 Decommissioning and redesign", 3)
    page.get_by_label("Evidence for 2.3").fill("Outcome measures in all early-help contracts")
    shot(page, "sap-02-scoring-form-client")
    page.get_by_role("button", name="Save scores").click()

    expect(page.get_by_text("Scores recorded for Early help sub-partnership.")).to_be_visible()
    expect(figures).to_have_text("2.71")
    expect(page.locator("#standard-2\\.3 td.mean")).to_have_text("2.75")
    assert _chart_src(page, 2) != before
    _wait_for_charts(page)
    shot(page, "sap-03-round-after-client")

    page.get_by_role("link", name="Commissioning support package 2026–27").click()
    page.get_by_role("link", name="Open the action plan").click()
    expect(page.get_by_role("link", name="Add a goal")).to_have_count(0)
    page.get_by_role("link", name="Update “Board workshop agrees three joint priorities”").click()
    expect(page.get_by_label("Milestone")).to_have_count(0)  # a client changes status and evidence only
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Add evidence").fill("Trust Board agreed three joint priorities")
    page.get_by_label("Done on").fill("2026-11-20")  # done last week, recorded today
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Board workshop agrees three joint priorities” is now done.")).to_be_visible()
    row = page.locator("table.milestones").get_by_role("row", name=re.compile("Board workshop agrees three joint priorities"))
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("on 20 Nov 2026")
    expect(row).to_contain_text("Trust Board agreed three joint priorities")
    expect(row).to_have_class(re.compile(r"\bstatus-done\b"))
    on_timeline = page.locator("table.timeline-grid").get_by_role("row", name=re.compile("Board workshop agrees"))
    expect(on_timeline.locator(".dot")).to_have_class(re.compile(r"\bstatus-done\b"))
    shot(page, "sap-04-plan-client")

    page.set_viewport_size({"width": 375, "height": 800})
    for path in (page.url.split("#")[0], page.url.split("/engagements/")[0] + "/sap/framework"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{path} scrolls sideways on a phone: {width}px"
    page.go_back()
    shot(page, "sap-05-plan-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "helen.ashworth@halton.example.org", PASSWORD)
    # Her dashboard lists the package as near its estimate (and among her bookings): open it from there.
    near = page.get_by_role("region", name="Engagements near or over their high estimate")
    near.get_by_role("link", name="Commissioning support package 2026–27").click()
    page.get_by_role("link", name="Open the self-assessment").click()
    page.get_by_role("link", name="6-month review").click()
    expect(page.get_by_role("link", name="Edit round")).to_be_visible()
    expect(figures).to_have_text("2.71")
    _wait_for_charts(page)
    shot(page, "sap-06-round-manager")
    page.goto(page.url.split("/assessments/")[0] + f"/engagements/{demo_world.engagements['cwac'].id}/plan")
    expect(page.get_by_role("link", name="Add a goal")).to_be_visible()
    expect(page.locator("tr.flag-overdue")).to_have_count(1)
    shot(page, "sap-07-plan-manager")
