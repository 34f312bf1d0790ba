"""GET /api/v1/reports/progress/{engagement_id}, figures worked by hand.

Seed: 20 delivered days on A at £500 (Sam One 10 scoping; Kim Two 6 training,
4 mentoring) = £10,000.00 against 20–30 days = £10,000.00–£15,000.00; all of
it invoiced (one issued invoice). Baseline {1.1: 2, 1.2: 3, 2.1: 1} →
section 1 (2 + 3)/2 = 2.50, section 2 1.00; 6-month {1.1: 4, 3.1: 3} →
section 1 4.00, section 3 3.00. Milestones: one done, one overdue, one dropped.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from tests.factories import goal, issued, milestone, sap_response, sap_round, seed_days


def _seed(session, world):
    seed_days(session, world)
    issued(session, world.client_a)
    base = sap_round(session, world.engagement_a, "Baseline", date(2026, 7, 1))
    sap_response(session, base, "Board", {"1.1": 2, "1.2": 3, "2.1": 1})
    six = sap_round(session, world.engagement_a, "6-month", date(2026, 11, 1), ["Early help"])
    sap_response(session, six, "Board", {"1.1": 4, "3.1": 3})
    g = goal(session, world.engagement_a)
    milestone(session, g, "Done", due_on=date(2026, 10, 1), status="done")
    milestone(session, g, "Late", due_on=date(2026, 11, 2))
    milestone(session, g, "Dropped", due_on=date(2026, 11, 2), status="dropped")
    return base, six


def test_the_report_as_api_md_names_it(session, world, api_as):
    base, six = _seed(session, world)
    e = world.engagement_a
    r = api_as("consultant").get(f"/api/v1/reports/progress/{e.id}")
    assert r.status_code == 200, r.json
    body = r.json
    assert (body["engagement_id"], body["client_id"], body["client_name"], body["as_of"]) == (
        e.id, world.client_a.id, "Client A Council", "2026-11-23")
    assert body["days"] == {"delivered": "20.00", "planned": "0.00", "estimated_low": "20.00",
                            "estimated_high": "30.00", "share_of_high": "66.7"}
    assert body["income"] == {"billed": "yes", "day_rate": "500.00", "delivered": "10000.00", "invoiced": "10000.00",
                              "estimated_low": "10000.00", "estimated_high": "15000.00"}
    assert [(a["activity"], a["days_delivered"], a["income_delivered"]) for a in body["activities"]] == [
        ("scoping", "10.00", "5000.00"), ("training", "6.00", "3000.00"), ("mentoring", "4.00", "2000.00")]
    assert [(r["id"], r["label"]) for r in body["rounds"]] == [(base.id, "Baseline"), (six.id, "6-month")]
    assert [(s["section"], s["mean"], s["n"]) for s in body["rounds"][0]["sections"]] == [
        (1, "2.50", 1), (2, "1.00", 1), (3, None, 0)]
    assert [s["mean"] for s in body["rounds"][1]["sections"]] == ["4.00", None, "3.00"]
    assert body["key_areas"] == ["Early help"]
    assert body["milestones"] == {"total": 2, "done": 1, "open": 1, "overdue": 1, "due_soon": 0, "dropped": 1}
    assert body["next_planned"] == []


def test_csv_download(session, world, api_as):
    _seed(session, world)
    r = api_as("manager").get(f"/api/v1/reports/progress/{world.engagement_a.id}?format=csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8-sig"))))
    assert rows[-1] == ["Total", "20.00", "0.00", "10000.00"]


def test_a_client_reads_their_own_and_gets_404_for_another_authoritys(session, world, api_as):
    client = api_as("client")
    assert client.get(f"/api/v1/reports/progress/{world.engagement_a.id}").status_code == 200
    r = client.get(f"/api/v1/reports/progress/{world.engagement_b.id}")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    assert api_as("client_b").get(f"/api/v1/reports/progress/{world.engagement_a.id}").status_code == 404


def test_roles_and_missing_engagements(session, world, api_as):
    assert api_as("finance").get(f"/api/v1/reports/progress/{world.engagement_a.id}").status_code == 403
    assert api_as(None).get(f"/api/v1/reports/progress/{world.engagement_a.id}").status_code == 401
    assert api_as("manager").get("/api/v1/reports/progress/999999").status_code == 404
    r = api_as("manager").get(f"/api/v1/reports/progress/{world.engagement_a.id}?format=pdf")
    assert r.status_code == 422 and "format" in r.json["error"]["fields"]


def test_the_openapi_document_describes_it(app, api_as, world):
    doc = api_as("manager").get("/api/v1/openapi.json").json
    op = doc["paths"]["/api/v1/reports/progress/{engagement_id}"]["get"]
    assert op["tags"] == ["reports"]
    schema = doc["components"]["schemas"]["ProgressReport"]
    assert {"days", "income", "activities", "rounds", "milestones"} <= set(schema["properties"])
