"""The finance officer opens the income report from the navigation, groups it
by client, sees the chart and the totals and downloads the Excel file; the
page works on a phone-sized screen too."""

import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in


def test_finance_reads_income_by_client_and_downloads_it(page, live_server, demo_world, shot):
    base = live_server
    sign_in(page, base, "finance@halton.example.org", "demo passphrase 1")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Income").click()
    expect(page.get_by_role("heading", name="Income", exact=True)).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value("2026-04-01")
    expect(page.get_by_label("To", exact=True)).to_have_value("2026-11-23")

    page.get_by_label("Group by", exact=True).select_option("client")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="By client")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Income delivered by month, stacked by client"))
    expect(chart).to_be_visible()
    expect(page.locator(".income-chart .legend li")).not_to_have_count(0)
    total = page.locator("table.income tfoot tr")
    expect(total).to_contain_text("Total")
    expect(total).to_contain_text("£")
    expect(page.locator("table.income").get_by_role("row", name=re.compile("^Cheshire West and Chester Council"))).to_contain_text("£")
    shot(page, "income-01-by-client")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert download.suggested_filename == "income-2026-04-01-2026-11-23-by-client.xlsx"
    with open(download.path(), "rb") as file:
        sheet = load_workbook(io.BytesIO(file.read())).active
    assert sheet.cell(row=sheet.max_row, column=1).value == "Total"

    page.get_by_label("To", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#end-error")).to_contain_text("must not be before the start")

    page.goto(f"{base}/reports/income?by=month")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(chart).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "income-02-phone")
