import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tracker.reports.capacity import reviews


def test_the_review_page_shows_flags_and_records_a_review(login_as, capacity_world, session):
    client = login_as("manager")
    html = client.get("/reports/capacity?month=2026-11").get_data(as_text=True)
    assert "Capacity risk review: November 2026" in html
    assert 'class="flag-red"' in html and "Sam One" in html and "20.83%" in html
    response = client.post("/reports/capacity/2026-11/review", data={
        "reviewed_on": "2026-11-23", "notes": "Sam over cap", "decisions": "No new outside work for Sam",
        "actions": "Rebalance"})
    assert response.status_code == 302
    html = client.get("/reports/capacity?month=2026-11").get_data(as_text=True)
    assert "Outside work is having no detrimental impact on the work within the Borough" in html
    response = client.post("/reports/capacity/2026-11/sign", data={"no_detriment": "no"}, follow_redirects=True)
    assert "Say what detrimental impact" in response.get_data(as_text=True)  # no without a reason: refused
    response = client.post("/reports/capacity/2026-11/sign", data={
        "no_detriment": "no", "impact_reason": "Sam's outside days delayed the sufficiency report"})
    assert response.status_code == 302
    html = client.get("/reports/capacity?month=2026-11").get_data(as_text=True)
    assert "Signed off by Max Manager" in html and "No new outside work for Sam" in html
    assert "Sign off the review" not in html
    assert "Sam&#39;s outside days delayed the sufficiency report" in html
    trend = client.get("/reports/reviews").get_data(as_text=True)
    assert "November 2026" in trend and "No detrimental impact on the Borough?" in trend
    assert "Sam&#39;s outside days delayed" in trend and "by Max Manager" in trend


def test_review_form_errors_show_beside_fields(login_as, capacity_world):
    response = login_as("manager").post("/reports/capacity/2026-11/review", data={"reviewed_on": "2026-12-25"})
    html = response.get_data(as_text=True)
    assert 'id="reviewed_on-error"' in html and "future" in html


def test_signing_without_decisions_is_refused(login_as, capacity_world, session):
    client = login_as("manager")
    client.post("/reports/capacity/2026-11/review", data={"reviewed_on": "2026-11-23"})
    client.post("/reports/capacity/2026-11/sign")
    assert reviews.review_for(session, date(2026, 11, 1)).status.value == "draft"


@pytest.mark.parametrize("role", ["consultant", "finance", "client"])
def test_only_managers_see_capacity(login_as, capacity_world, role):
    assert login_as(role).get("/reports/capacity").status_code == 403


def test_csv_export_matches_the_page(login_as, capacity_world):
    response = login_as("manager").get("/reports/capacity/export?month=2026-11&format=csv")
    assert response.headers["Content-Disposition"] == 'attachment; filename="capacity-2026-11.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    sam = next(r for r in rows if r["Staff member"] == "Sam One")
    assert (sam["Outside days delivered"], sam["Outside days planned"], sam["Share of capacity"], sam["Flag"]) == (
        "2.50", "1.25", "0.2083", "red")
    team = rows[-1]
    assert (team["Staff member"], team["Capacity (days)"], team["Share of capacity"]) == ("Team", "43.00", "0.1453")


def test_xlsx_export_is_formatted_with_totals(login_as, capacity_world):
    response = login_as("manager").get("/reports/capacity/export?month=2026-11&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["A1"].value == "Capacity review November 2026"
    header = [c.value for c in sheet[3]]
    assert header[0] == "Staff member" and "Share of capacity" in header
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    sam = next(v for v in values if v[0] == "Sam One")
    assert float(sam[3]) == 2.5 and sam[7] == "red"
    assert values[-1][0] == "Team" and sheet.cell(row=4, column=3).number_format == "0.00"
    assert sheet.cell(row=3 + len(values), column=1).font.bold


def test_bad_export_format_names_the_field(login_as, capacity_world):
    response = login_as("manager").get("/reports/capacity/export?format=pdf")
    assert response.status_code == 422


def test_capacity_api_and_cli(api_as, runner, capacity_world, tmp_path):
    body = api_as("manager").get("/api/v1/reports/capacity?month=2026-11").json
    sam = next(r for r in body["items"] if r["name"] == "Sam One")
    assert {k: sam[k] for k in ("capacity_days", "external_delivered", "external_planned", "share", "cap_share", "flag")} == {
        "capacity_days": "18.00", "external_delivered": "2.50", "external_planned": "1.25", "share": "0.2083",
        "cap_share": "0.20", "flag": "red"}
    assert body["totals"]["share"] == "0.1453" and body["forward"][0]["total"] == "9.63"
    assert api_as("finance").get("/api/v1/reports/capacity").status_code == 403
    xlsx = api_as("manager").get("/api/v1/reports/capacity?month=2026-11&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    out = tmp_path / "cap.csv"
    result = runner.invoke(args=["reports", "capacity", "--month", "2026-11", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Sam One" in out.read_text(encoding="utf-8-sig")
