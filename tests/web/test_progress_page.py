"""The client progress report page, its PDF and its CSV/XLSX table."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pypdf

from tests.factories import day, goal, milestone, sap_response, sap_round, seed_days


def _seed(session, world):
    seed_days(session, world)
    r = sap_round(session, world.engagement_a, "Baseline", date(2026, 7, 1), ["Early intervention and prevention"])
    sap_response(session, r, "Children's Trust Board", {"1.1": 2, "1.2": 3, "2.1": 1})
    g = goal(session, world.engagement_a, standard_codes=["1.1"])
    milestone(session, g, "Late one", due_on=date(2026, 11, 1))
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 25), "1", "mentoring", state="planned")


def test_the_page_shows_the_figures_a_chart_and_its_text_alternative(session, world, login_as):
    _seed(session, world)
    response = login_as("manager").get(f"/reports/progress/{world.engagement_a.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for text in ("Client A Council", "A support package", "20.00 days", "&pound;10,000.00",
                 "&pound;10,000.00–&pound;15,000.00", "Scoping of current practice", "Bespoke commissioning training",
                 "Early intervention and prevention", "0 of 1 done", "1 overdue", "25 Nov 2026", "Sam One"):
        assert text in html, text
    assert "<svg" in html and 'role="img"' in html
    assert "Baseline: section 1 2.50, section 2 1.00, section 3 not scored." in html  # the chart's <desc>
    assert f'href="/reports/progress/{world.engagement_a.id}.pdf"' in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_the_engagement_page_links_to_the_report(session, world, login_as):
    html = login_as("consultant").get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert f'href="/reports/progress/{world.engagement_a.id}"' in html


def test_the_pdf_names_the_client_and_the_figures(session, world, login_as):
    _seed(session, world)
    response = login_as("client").get(f"/reports/progress/{world.engagement_a.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Client A Council" in text
    assert "10,000.00" in text and "20.00 days" in text


def test_csv_and_xlsx_hold_the_activity_table_with_totals(session, world, login_as):
    _seed(session, world)
    client = login_as("manager")
    response = client.get(f"/reports/progress/{world.engagement_a.id}?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Activity", "Days delivered", "Days planned", "Income delivered (£)"]
    assert rows[1] == ["Scoping of current practice", "10.00", "0.00", "5000.00"]
    assert rows[2] == ["Bespoke commissioning training", "6.00", "0.00", "3000.00"]
    assert rows[3] == ["Mentoring", "4.00", "1.00", "2000.00"]
    assert rows[-1] == ["Total", "20.00", "1.00", "10000.00"]

    response = client.get(f"/reports/progress/{world.engagement_a.id}?format=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values.index(["Activity", "Days delivered", "Days planned", "Income delivered (£)"])
    assert values[header + 1][0] == "Scoping of current practice" and float(values[header + 1][3]) == 5000
    assert values[-1][0] == "Total" and float(values[-1][1]) == 20 and float(values[-1][3]) == 10000


def test_a_bad_format_names_the_field(session, world, login_as):
    response = login_as("manager").get(f"/reports/progress/{world.engagement_a.id}?format=pdf")
    assert response.status_code in (400, 422)
    assert "format" in response.get_data(as_text=True)


def test_a_client_sees_their_own_report_and_404_for_another_authoritys(session, world, login_as):
    client = login_as("client")
    assert client.get(f"/reports/progress/{world.engagement_a.id}").status_code == 200
    assert client.get(f"/reports/progress/{world.engagement_b.id}").status_code == 404
    assert client.get(f"/reports/progress/{world.engagement_b.id}.pdf").status_code == 404
    assert client.get(f"/reports/progress/{world.engagement_b.id}?format=csv").status_code == 404
    index = client.get("/reports/progress").get_data(as_text=True)
    assert "A support package" in index and "B support package" not in index


def test_finance_does_not_read_progress_reports(session, world, login_as):
    assert login_as("finance").get(f"/reports/progress/{world.engagement_a.id}").status_code == 403


def test_the_client_navigation_links_to_progress(session, world, login_as):
    html = login_as("client").get("/").get_data(as_text=True)
    assert 'href="/reports/progress">Progress</a>' in html
