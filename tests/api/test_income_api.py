"""GET /api/v1/reports/income: JSON rows and totals, CSV and XLSX, roles, bad input."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.factories import authority, day, engagement, income_sample

URL = "/api/v1/reports/income"


@pytest.fixture
def income_world(session, world):
    return income_sample(session, world)


def test_by_client_json(api_as, income_world):
    r = api_as("finance").get(f"{URL}?start=2026-04-01&end=2026-11-23&by=client")
    assert r.status_code == 200
    body = r.json
    assert (body["start"], body["end"], body["by"]) == ("2026-04-01", "2026-11-23", "client")
    a, b = body["rows"]
    assert a == {"key": str(income_world.client_a.id), "label": "Client A Council", "days": "20.00",
                 "net_delivered": "10000.00", "net_invoiced": "10000.00", "net_paid": "6000.00",
                 "outstanding": "6000.00", "wip": "0.00", "written_off": "0.00"}
    assert (b["label"], b["net_delivered"], b["wip"], b["outstanding"]) == ("Client B Council", "250.00", "250.00", "0.00")
    assert body["totals"] == {"key": "total", "label": "Total", "days": "20.50", "net_delivered": "10250.00",
                              "net_invoiced": "10000.00", "net_paid": "6000.00", "outstanding": "6000.00",
                              "wip": "250.00", "written_off": "0.00"}
    band = next(e for e in body["estimates"] if e["engagement_id"] == income_world.engagement_a.id)
    assert (band["low_value"], band["high_value"], band["forecast_value"], band["position"]) == (
        "10000.00", "15000.00", "10000.00", "within")


def test_defaults_to_the_financial_year_by_month(api_as, income_world):
    body = api_as("manager").get(URL).json
    assert (body["start"], body["end"], body["by"]) == ("2026-04-01", "2026-11-23", "month")
    assert [r["key"] for r in body["rows"]][:2] == ["2026-04", "2026-05"]
    sep = next(r for r in body["rows"] if r["key"] == "2026-09")
    assert (sep["days"], sep["net_delivered"], sep["outstanding"]) == ("20.00", "10000.00", None)


@pytest.mark.parametrize("by", ["activity", "staff"])
def test_payments_are_null_per_row_where_not_attributable(api_as, income_world, by):
    body = api_as("admin").get(f"{URL}?by={by}").json
    assert all(r["net_paid"] is None and r["outstanding"] is None for r in body["rows"])
    assert body["totals"]["net_paid"] == "6000.00"


def test_one_client(api_as, income_world):
    body = api_as("finance").get(f"{URL}?by=client&client_id={income_world.client_b.id}").json
    assert [r["label"] for r in body["rows"]] == ["Client B Council"]
    assert body["totals"]["net_delivered"] == "250.00"


@pytest.mark.parametrize(("query", "field"), [
    ("start=2026-99-01", "start"), ("by=weekday", "by"), ("start=2026-06-01&end=2026-05-01", "end"),
    ("format=pdf", "format"),
])
def test_bad_query_is_a_422_naming_the_field(api_as, world, query, field):
    r = api_as("finance").get(f"{URL}?{query}")
    assert r.status_code == 422 and field in r.json["error"]["fields"]


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("consultant", 403), ("client", 403)])
def test_roles(api_as, world, role, status):
    assert api_as(role).get(URL).status_code == status


def test_csv_has_totals_and_escapes_formulas(api_as, session, income_world):
    evil = authority(session, "=cmd|' /C calc'!A0")
    e = engagement(session, evil, "Evil package")
    day(session, e, income_world.staff["s1"], date(2026, 11, 2), "1", "tools")
    r = api_as("finance").get(f"{URL}?by=client&format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="income-2026-04-01-2026-11-23-by-client.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data().decode("utf-8-sig"))))
    assert rows[0] == ["Client", "Days delivered", "£ delivered (net)", "£ invoiced (net, less credits)",
                       "£ paid (gross incl. VAT, less refunds)", "£ outstanding at end (gross incl. VAT)",
                       "£ work in progress (net)", "£ written off (net)"]
    assert [row[0] for row in rows[1:]] == ["'=cmd|' /C calc'!A0", "Client A Council", "Client B Council", "Total"]
    assert rows[-1] == ["Total", "21.50", "10750.00", "10000.00", "6000.00", "6000.00", "750.00", "0.00"]


def test_xlsx_opens_with_totals_and_escaped_text(api_as, session, income_world):
    evil = authority(session, "=cmd")
    day(session, engagement(session, evil, "Evil package"), income_world.staff["s1"], date(2026, 11, 2), "1")
    r = api_as("manager").get(f"{URL}?by=client&format=xlsx")
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.get_data())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][0] == "Client"
    names = [row[0] for row in rows[1:]]
    assert names == ["'=cmd", "Client A Council", "Client B Council", "Total"]
    cell = sheet.cell(row=3 + names.index("'=cmd") + 1, column=1)
    assert cell.data_type == "s"  # text, not a formula
    total = rows[-1]
    assert [float(v) for v in total[1:4]] == [21.5, 10750.0, 10000.0]
    assert sheet.cell(row=3 + len(rows) - 1, column=3).number_format == "#,##0.00"


def test_the_openapi_document_describes_it(api_as, world):
    doc = api_as("admin").get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/reports/income"]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"start", "end", "by", "format"}
    assert "text/csv" in op["responses"]["200"]["content"]
    row = doc["components"]["schemas"]["IncomeRow"]["properties"]
    assert {"key", "days", "net_delivered", "net_invoiced", "net_paid", "outstanding"} <= set(row)
