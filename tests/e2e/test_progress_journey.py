"""A client user signs in, sees their dashboard, opens their progress report and
downloads the PDF; a manager's dashboard shows this month's capacity flags."""

import re
import subprocess

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, sign_in


def test_client_reads_their_progress_report_and_downloads_the_pdf(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "commissioning@cwac.example.org", "demo passphrase 1")
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(page.get_by_role("heading", name="Your engagements")).to_be_visible()
    expect(page.get_by_text("Wirral")).to_have_count(0)  # another authority's work is not shown
    shot(page, "30-client-dashboard")

    package = page.locator("article").filter(has_text="Commissioning support package 2026–27")
    package.get_by_role("link", name="Progress report").click()
    expect(page.get_by_role("heading", name="Cheshire West and Chester", exact=False).first).to_be_visible()
    expect(page.get_by_role("heading", name="Support by activity")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()
    shot(page, "31-progress-report")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    path = ARTIFACTS / "32-progress-report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(ARTIFACTS / "32-progress-report-pdf")],
                   check=True)

    page.emulate_media(media="print")
    shot(page, "33-progress-report-print")
    page.emulate_media(media="screen")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the report scrolls sideways on a phone: {width}px"
    shot(page, "34-progress-report-phone")
    page.goto(f"{base}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the dashboard scrolls sideways on a phone: {width}px"
    shot(page, "35-client-dashboard-phone")


def test_manager_dashboard_shows_capacity_flags(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "helen.ashworth@halton.example.org", "demo passphrase 1")
    expect(page.get_by_role("heading", name="Capacity this month: November 2026")).to_be_visible()
    priya = page.get_by_role("row", name=re.compile("Priya Shah"))
    expect(priya).to_contain_text("red")
    expect(page.get_by_role("heading", name="Engagements near or over their high estimate")).to_be_visible()
    shot(page, "36-manager-dashboard")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the dashboard scrolls sideways on a phone: {width}px"
    shot(page, "37-manager-dashboard-phone")
