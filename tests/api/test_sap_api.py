"""The self-assessment and action-plan API as API.md names it.

Summary figures worked by hand:
  Baseline  — Board {1.1: 2, 2.3: 1}; Team {1.1: 4, 1.2: 3, 2.3: 2}
    1.1 → 6/2 = 3.00 (2–4, spread 2: disagree); 1.2 → 3.00 (n 1); 2.3 → 3/2 = 1.50
    section 1 → (2 + 4 + 3)/3 = 3.00, n 2; section 2 → 1.50, n 2
  6-month   — Board {1.1: 3, 2.3: 2}; Team {1.1: 4, 2.3: 3, 2.4: 2}
    1.1 → 3.50 (+0.50); 2.3 → 2.50 (+1.00); 2.4 → 2.00 (no previous); 1.2 not scored
    section 1 → 7/2 = 3.50 (+0.50); section 2 → 7/3 = 2.33 (+0.83); section 3 → null
    suggested: 2.4 (2.00), 2.3 (2.50), 1.1 (3.50)
"""

from datetime import date

import pytest

from tests.factories import goal, milestone, sap_response, sap_round


def test_standards_lists_the_twelve(api_as, world):
    body = api_as("client").get("/api/v1/standards").json
    assert body["total"] == 12 and body["page"] == 1
    first = body["items"][0]
    assert first == {"code": "1.1", "section": 1, "section_title": "Commissioning Governance and Framework",
                     "title": "Shared vision and governance", "description": first["description"], "version": 1}
    assert [i["section"] for i in body["items"]] == [1] * 4 + [2] * 4 + [3] * 4
    assert api_as("client").get("/api/v1/standards?version=7").status_code == 404


def test_rounds_are_opened_by_the_team_and_read_by_the_client(api_as, world):
    e = world.engagement_a
    r = api_as("manager").post(f"/api/v1/engagements/{e.id}/assessments", json={
        "label": "Baseline", "assessed_on": "2026-07-01", "key_areas": ["Early intervention and prevention"]})
    assert r.status_code == 201, r.json
    assert r.json == {"id": r.json["id"], "engagement_id": e.id, "label": "Baseline", "assessed_on": "2026-07-01",
                      "key_areas": ["Early intervention and prevention"], "notes": "", "framework_version": 1, "groups": []}
    client = api_as("client")
    listing = client.get(f"/api/v1/engagements/{e.id}/assessments").json
    assert [a["label"] for a in listing["items"]] == ["Baseline"] and listing["total"] == 1
    assert client.post(f"/api/v1/engagements/{e.id}/assessments", json={"label": "X", "assessed_on": "2026-08-01"}).status_code == 403
    again = api_as("consultant").post(f"/api/v1/engagements/{e.id}/assessments", json={"label": "baseline", "assessed_on": "2026-08-01"})
    assert again.status_code == 409 and "label" in again.json["error"]["fields"]
    bad = api_as("manager").post(f"/api/v1/engagements/{e.id}/assessments", json={"label": "", "assessed_on": "1/7/26"})
    assert bad.status_code == 422 and {"label", "assessed_on"} <= set(bad.json["error"]["fields"])
    patched = api_as("manager").patch(f"/api/v1/assessments/{r.json['id']}", json={"key_areas": ["Early help", "Disabled children"]})
    assert patched.json["key_areas"] == ["Early help", "Disabled children"] and patched.json["label"] == "Baseline"


def test_a_score_outside_1_to_5_or_for_an_unknown_standard_is_422_naming_it(api_as, world, session):
    baseline = sap_round(session, world.engagement_a)
    r = api_as("client").post(f"/api/v1/assessments/{baseline.id}/responses", json={
        "group": "Trust Executive", "scores": {"1.1": 6, "1.2": 0, "9.9": 3, "2.1": "high", "2.2": 3},
        "evidence": {"7.7": "x"}})
    assert r.status_code == 422
    fields = r.json["error"]["fields"]
    assert set(fields) == {"scores.1.1", "scores.1.2", "scores.9.9", "scores.2.1", "evidence.7.7"}
    assert "1.1" in fields["scores.1.1"] and "9.9" in fields["scores.9.9"]
    r = api_as("client").post(f"/api/v1/assessments/{baseline.id}/responses", json={"group": "X", "scores": [3, 4]})
    assert r.status_code == 422 and "scores" in r.json["error"]["fields"]
    assert api_as("client").get(f"/api/v1/assessments/{baseline.id}/responses").json["total"] == 0


def test_a_client_records_and_corrects_their_groups_scores(api_as, world, session):
    baseline = sap_round(session, world.engagement_a)
    api = api_as("client")
    r = api.post(f"/api/v1/assessments/{baseline.id}/responses", json={
        "group": "Children's Trust Board", "scores": {"1.1": 2, "2.3": 1}, "evidence": {"2.3": "No outcome contracts"}})
    assert r.status_code == 201, r.json
    assert r.json["group"] == "Children's Trust Board" and r.json["scores"] == {"1.1": 2, "2.3": 1}
    assert r.json["evidence"] == {"2.3": "No outcome contracts"}
    dup = api.post(f"/api/v1/assessments/{baseline.id}/responses", json={"group": "children's trust board", "scores": {"1.1": 3}})
    assert dup.status_code == 409 and dup.json["error"]["existing_id"] == r.json["id"]
    fixed = api.patch(f"/api/v1/responses/{r.json['id']}", json={"scores": {"1.1": 3, "2.3": 1, "3.3": 2}})
    assert fixed.status_code == 200
    assert fixed.json["scores"] == {"1.1": 3, "2.3": 1, "3.3": 2} and fixed.json["evidence"] == {"2.3": "No outcome contracts"}
    assert api_as("finance").post(f"/api/v1/assessments/{baseline.id}/responses", json={}).status_code == 403


def test_the_summary_gives_figures_per_standard_and_section_and_the_change(api_as, world, session):
    e = world.engagement_a
    base = sap_round(session, e, "Baseline", date(2026, 7, 1))
    sap_response(session, base, "Board", {"1.1": 2, "2.3": 1})
    sap_response(session, base, "Team", {"1.1": 4, "1.2": 3, "2.3": 2})
    later = sap_round(session, e, "6-month review", date(2027, 1, 10))
    sap_response(session, later, "Board", {"1.1": 3, "2.3": 2})
    sap_response(session, later, "Team", {"1.1": 4, "2.3": 3, "2.4": 2})
    api = api_as("client")

    first = api.get(f"/api/v1/assessments/{base.id}/summary").json
    std = {s["code"]: s for s in first["standards"]}
    assert std["1.1"] == {"code": "1.1", "section": 1, "title": "Shared vision and governance", "n": 2, "mean": "3.00",
                          "min": 2, "max": 4, "spread": 2, "disagreement": True, "scores": {"Board": 2, "Team": 4},
                          "previous_mean": None, "change": None}
    assert (std["1.2"]["mean"], std["1.2"]["n"], std["2.3"]["mean"]) == ("3.00", 1, "1.50")
    assert [(s["section"], s["mean"], s["n"], s["scores_count"], s["min"], s["max"]) for s in first["sections"]] == [
        (1, "3.00", 2, 3, 2, 4), (2, "1.50", 2, 2, 1, 2), (3, None, 0, 0, None, None)]
    assert first["previous"] is None and first["groups"] == ["Board", "Team"]

    second = api.get(f"/api/v1/assessments/{later.id}/summary").json
    assert second["previous"] == {"id": base.id, "label": "Baseline", "assessed_on": "2026-07-01"}
    std = {s["code"]: s for s in second["standards"]}
    assert (std["1.1"]["mean"], std["1.1"]["previous_mean"], std["1.1"]["change"]) == ("3.50", "3.00", "0.50")
    assert (std["2.3"]["mean"], std["2.3"]["change"]) == ("2.50", "1.00")
    assert (std["2.4"]["mean"], std["2.4"]["previous_mean"], std["2.4"]["change"]) == ("2.00", None, None)
    assert (std["1.2"]["mean"], std["1.2"]["n"], std["1.2"]["previous_mean"]) == (None, 0, "3.00")
    sections = {s["section"]: s for s in second["sections"]}
    assert (sections[1]["mean"], sections[1]["change"]) == ("3.50", "0.50")
    assert (sections[2]["mean"], sections[2]["previous_mean"], sections[2]["change"]) == ("2.33", "1.50", "0.83")
    assert sections[3]["mean"] is None and sections[3]["change"] is None
    assert second["suggested_key_areas"] == ["2.4", "2.3", "1.1"]
    assert api_as("client_b").get(f"/api/v1/assessments/{later.id}/summary").status_code == 404


def test_goals_and_milestones(api_as, world, session):
    e = world.engagement_a
    sap_round(session, e, key_areas=["Early intervention and prevention"])
    manager = api_as("manager")
    bad = manager.post(f"/api/v1/engagements/{e.id}/goals", json={"title": "X", "standard_codes": ["9.9"], "key_area": "Roads"})
    assert bad.status_code == 422 and {"standard_codes", "key_area"} <= set(bad.json["error"]["fields"])
    r = manager.post(f"/api/v1/engagements/{e.id}/goals", json={
        "title": "Early help shift", "standard_codes": ["2.1"], "key_area": "early intervention and prevention"})
    assert r.status_code == 201, r.json
    assert r.json["key_area"] == "Early intervention and prevention" and r.json["standard_codes"] == ["2.1"]
    goal_id = r.json["id"]
    m = manager.post(f"/api/v1/goals/{goal_id}/milestones", json={
        "title": "Strategy agreed", "owner": "Early help lead", "due_on": "2026-11-01"})
    assert m.status_code == 201 and m.json["status"] == "not_started" and m.json["overdue"] is True
    listing = api_as("client").get(f"/api/v1/engagements/{e.id}/goals").json
    assert listing["items"][0]["milestones_total"] == 1 and listing["items"][0]["milestones_overdue"] == 1
    assert listing["items"][0]["support_days"] == "0.00"
    assert api_as("client").post(f"/api/v1/engagements/{e.id}/goals", json={"title": "Mine"}).status_code == 403
    milestones = api_as("client").get(f"/api/v1/goals/{goal_id}/milestones").json
    assert [x["title"] for x in milestones["items"]] == ["Strategy agreed"]


def test_a_client_patches_milestone_status_and_evidence_only(api_as, world, session):
    m = milestone(session, goal(session, world.engagement_a))
    client = api_as("client")
    r = client.patch(f"/api/v1/milestones/{m.id}", json={"status": "done", "evidence": "Minute 14"})
    assert r.status_code == 200
    assert (r.json["status"], r.json["evidence"], r.json["overdue"]) == ("done", "Minute 14", False)
    assert r.json["completed_on"] is not None
    r = client.patch(f"/api/v1/milestones/{m.id}", json={"status": "in_progress", "due_on": "2027-06-01"})
    assert r.status_code == 403 and set(r.json["error"]["fields"]) == {"due_on"}
    assert client.get(f"/api/v1/milestones/{m.id}").json["status"] == "done"
    r = client.patch(f"/api/v1/milestones/{m.id}", json={"status": "finished"})
    assert r.status_code == 422 and "status" in r.json["error"]["fields"]
    r = api_as("consultant").patch(f"/api/v1/milestones/{m.id}", json={"due_on": "2027-06-01", "owner": "New owner"})
    assert r.status_code == 200 and r.json["due_on"] == "2027-06-01" and r.json["owner"] == "New owner"
    assert api_as("finance").patch(f"/api/v1/milestones/{m.id}", json={"status": "done"}).status_code == 403


@pytest.mark.parametrize("path", [
    "/api/v1/standards", "/api/v1/engagements/{engagement_id}/assessments", "/api/v1/assessments/{assessment_id}/responses",
    "/api/v1/assessments/{assessment_id}/summary", "/api/v1/engagements/{engagement_id}/goals",
    "/api/v1/goals/{goal_id}/milestones", "/api/v1/milestones/{milestone_id}"])
def test_api_md_paths_are_documented(client, path):
    assert path in client.get("/api/v1/openapi.json").json["paths"]


def test_api_md_fields_are_documented(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert {"code", "section", "title", "description"} <= set(schemas["SapStandard"]["properties"])
    assert {"id", "label", "assessed_on", "key_areas"} <= set(schemas["Assessment"]["properties"])
    assert {"group", "scores", "evidence"} <= set(schemas["AssessmentResponse"]["properties"])
    assert schemas["AssessmentResponseInput"]["properties"]["scores"]["additionalProperties"] == {
        "type": "integer", "minimum": 1, "maximum": 5}
    assert {"id", "title", "standard_codes", "key_area"} <= set(schemas["Goal"]["properties"])
    assert {"id", "title", "owner", "due_on", "status", "evidence"} <= set(schemas["Milestone"]["properties"])
    assert schemas["Milestone"]["properties"]["status"]["enum"] == ["not_started", "in_progress", "done", "dropped"]
    summary = schemas["SapStandardSummary"]["properties"]
    assert {"mean", "min", "max", "n", "change"} <= set(summary)
