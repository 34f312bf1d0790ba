"""The income report page: form, chart, totals, errors beside fields, downloads, roles."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import income_sample


@pytest.fixture
def paid_world(session, world):
    return income_sample(session, world)


@pytest.mark.parametrize("role", ["finance", "manager", "admin"])
def test_defaults_to_this_financial_year_by_month(login_as, paid_world, role):
    response = login_as(role).get("/reports/income")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="2026-04-01"' in html and 'value="2026-11-23"' in html
    assert "<svg" in html and "Income delivered by month, stacked by client" in html
    assert "September 2026: £10,000.00 (Client A Council £10,000.00)" in html  # text alternative
    # totals: 20.5 days, £10,250 delivered, £10,000 invoiced, £6,000 paid, £6,000 owed, £250 waiting
    foot = html[html.index("<tfoot>"):html.index("</tfoot>")]
    for figure in ("20.50", "&pound;10,250.00", "&pound;10,000.00", "&pound;6,000.00", "&pound;250.00"):
        assert figure in foot, figure
    assert "Engagements against their estimates" in html and "&pound;10,000.00–&pound;15,000.00" in html


def test_group_by_client(login_as, paid_world):
    html = login_as("finance").get("/reports/income?start=2026-04-01&end=2026-11-23&by=client").get_data(as_text=True)
    assert "By client" in html
    assert '<th scope="row">Client A Council</th>' in html and '<th scope="row">Client B Council</th>' in html
    assert '<option selected value="client">' in html


def test_activity_rows_show_a_dash_for_payments(login_as, paid_world):
    html = login_as("finance").get("/reports/income?by=activity").get_data(as_text=True)
    assert "Not attributable to this grouping" in html


@pytest.mark.parametrize(("query", "field", "message"), [
    ("start=2026-13-45", "start", "Not a valid date value"),
    ("start=2026-06-01&end=2026-05-01", "end", "must not be before the start"),
    ("by=weekday", "by", "Group by one of"),
])
def test_bad_input_is_shown_beside_the_field(login_as, world, query, field, message):
    response = login_as("finance").get(f"/reports/income?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and message in html
    assert "<tfoot>" not in html


@pytest.mark.parametrize("role", ["consultant", "client"])
def test_consultants_and_clients_may_not_see_income(login_as, world, role):
    assert login_as(role).get("/reports/income").status_code == 403
    assert login_as(role).get("/reports/income?format=csv").status_code == 403


def test_navigation_links_to_the_report(login_as, world):
    assert 'href="/reports/income"' in login_as("finance").get("/").get_data(as_text=True)
    assert 'href="/reports/income"' not in login_as("consultant").get("/").get_data(as_text=True)


def test_csv_download_has_rows_and_totals(login_as, paid_world):
    response = login_as("finance").get("/reports/income?start=2026-04-01&end=2026-11-23&by=client&format=csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="income-2026-04-01-2026-11-23-by-client.csv"')
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [r["Client"] for r in rows] == ["Client A Council", "Client B Council", "Total"]
    assert rows[0]["£ delivered (net)"] == "10000.00" and rows[-1]["£ delivered (net)"] == "10250.00"
    assert rows[-1]["£ outstanding at end (gross incl. VAT)"] == "6000.00"


def test_xlsx_download(login_as, paid_world):
    response = login_as("manager").get("/reports/income?by=month&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["A1"].value == "Income 1 Apr 2026 to 23 Nov 2026 by month"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[0][0] == "April 2026" and values[-1][0] == "Total"
    assert float(values[-1][2]) == 10250.0


def test_bad_format_is_refused_not_a_500(login_as, world):
    assert login_as("finance").get("/reports/income?format=pdf").status_code == 422


def test_the_table_scrolls_in_its_own_box(login_as, world):
    html = login_as("finance").get("/reports/income").get_data(as_text=True)
    assert html.count('class="table-wrap"') >= 2
