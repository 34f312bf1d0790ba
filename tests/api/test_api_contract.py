"""API.md's conventions: error shapes, status codes, paging, decimals as strings."""

import pytest

from tests.factories import PASSWORD


def test_token_exchange(client, world):
    response = client.post("/api/v1/tokens", json={"email": "finance@lead.example.org", "password": PASSWORD})
    assert response.status_code == 201
    token = response.json["token"]
    listing = client.get("/api/v1/authorities", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_wrong_credentials_are_401_with_the_error_shape(client, world):
    response = client.post("/api/v1/tokens", json={"email": "finance@lead.example.org", "password": "wrong"})
    assert response.status_code == 401
    assert response.json == {"error": {"code": "invalid_credentials",
                                       "message": "That e-mail and password do not match an active account."}}


def test_no_token_is_401_and_a_bad_token_too(client, world):
    assert client.get("/api/v1/engagements").status_code == 401
    r = client.get("/api/v1/engagements", headers={"Authorization": "Bearer cst_nonsense"})
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"


def test_the_session_cookie_does_not_open_the_api(client, world):
    client.post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/engagements").status_code == 401


def test_malformed_json_is_400(api_as, world):
    api = api_as("manager")
    r = api.post("/api/v1/authorities", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request"
    r = api.post("/api/v1/authorities", data="name=x", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 400


def test_wrong_role_is_403(api_as, world):
    r = api_as("consultant").post("/api/v1/engagements", json={})
    assert r.status_code == 403 and r.json["error"]["code"] == "forbidden"


def test_missing_object_is_404(api_as, world):
    r = api_as("manager").get("/api/v1/engagements/999999")
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_invalid_values_are_422_naming_each_field(api_as, world):
    r = api_as("manager").post("/api/v1/engagements", json={
        "client_id": world.client_a.id, "title": "", "start_date": "01/09/2026",
        "estimated_days_low": "many", "vat_rate": 3, "colour": "blue"})
    assert r.status_code == 422
    fields = r.json["error"]["fields"]
    assert set(fields) >= {"title", "start_date", "estimated_days_low", "vat_rate", "colour"}
    assert "YYYY-MM-DD" in fields["start_date"]


def test_service_rules_are_422_with_fields_too(api_as, world):
    r = api_as("manager").post("/api/v1/engagements", json={
        "client_id": world.client_a.id, "title": "X", "start_date": "2026-09-01",
        "estimated_days_low": 30, "estimated_days_high": 20})
    assert r.status_code == 422 and "estimated_days_high" in r.json["error"]["fields"]


def test_create_and_patch_an_engagement_with_decimal_strings(api_as, world):
    api = api_as("manager")
    r = api.post("/api/v1/engagements", json={
        "client_id": world.client_a.id, "title": "CWAC support", "start_date": "2026-09-01",
        "estimated_days_low": 20, "estimated_days_high": "30", "purchase_order": "PO-9",
        "staff_ids": [world.staff["s1"].id]})
    assert r.status_code == 201, r.json
    body = r.json
    assert body["day_rate"] == "500.00" and body["estimated_days_low"] == "20.00"
    assert body["status"] == "proposed" and body["vat_rate"] == "0.20" and body["team"] == [world.staff["s1"].id]
    r = api.patch(f"/api/v1/engagements/{body['id']}", json={"status": "approved", "title": "CWAC support 2026"})
    assert r.status_code == 200 and r.json["status"] == "approved" and r.json["title"] == "CWAC support 2026"
    r = api.patch(f"/api/v1/engagements/{body['id']}", json={"status": "proposed"})
    assert r.status_code == 200
    r = api.patch(f"/api/v1/engagements/{body['id']}", json={"status": "closed"})
    r = api.patch(f"/api/v1/engagements/{body['id']}", json={"status": "approved"})
    assert r.status_code == 409 and r.json["error"]["code"] == "invalid_transition"


def test_new_engagements_cannot_skip_proposed(api_as, world):
    r = api_as("manager").post("/api/v1/engagements", json={
        "client_id": world.client_a.id, "title": "X", "start_date": "2026-09-01", "status": "active"})
    assert r.status_code == 422 and "status" in r.json["error"]["fields"]


def test_lists_page_and_cap_per_page(api_as, world):
    api = api_as("manager")
    r = api.get("/api/v1/authorities?per_page=2&page=2")
    assert r.json["total"] == 3 and r.json["page"] == 2 and r.json["per_page"] == 2 and len(r.json["items"]) == 1
    r = api.get("/api/v1/authorities?per_page=501")
    assert r.status_code == 422 and "per_page" in r.json["error"]["fields"]
    r = api.get("/api/v1/engagements?status=bogus")
    assert r.status_code == 422 and "status" in r.json["error"]["fields"]


def test_a_client_user_lists_only_their_own(api_as, world):
    api = api_as("client")
    assert [a["id"] for a in api.get("/api/v1/authorities").json["items"]] == [world.client_a.id]
    assert [e["id"] for e in api.get("/api/v1/engagements").json["items"]] == [world.engagement_a.id]
    assert api.get(f"/api/v1/engagements/{world.engagement_b.id}").status_code == 404
    assert api.get(f"/api/v1/authorities/{world.client_b.id}").status_code == 404
    assert api.get("/api/v1/staff").status_code == 403  # nothing of staff capacity


def test_staff_and_authorities_round_trip(api_as, world):
    api = api_as("manager")
    r = api.post("/api/v1/staff", json={"name": "Jo Three", "email": "jo@lead.example.org",
                                        "monthly_capacity_days": "16.5", "external_cap_share": "0.25"})
    assert r.status_code == 201 and r.json["external_cap_share"] == "0.25" and r.json["monthly_capacity_days"] == "16.50"
    r = api.patch(f"/api/v1/staff/{r.json['id']}", json={"external_cap_share": 0.3})
    assert r.json["external_cap_share"] == "0.30"
    r = api.post("/api/v1/authorities", json={"name": "Medway Council", "kind": "council", "vat_number": "GB123456789"})
    assert r.status_code == 201 and r.json["is_lead"] is False
    r = api.post("/api/v1/authorities", json={"name": "Medway Council"})
    assert r.status_code == 409 and "name" in r.json["error"]["fields"]


def test_revoked_token_stops_working(api_as, world):
    api = api_as("consultant")
    assert api.get("/api/v1/engagements").status_code == 200
    assert api.delete("/api/v1/tokens/current").status_code == 204
    assert api.get("/api/v1/engagements").status_code == 401


@pytest.mark.parametrize("body", [[], "text", 5, None])
def test_non_object_bodies_are_rejected(api_as, world, body):
    r = api_as("manager").post("/api/v1/authorities", json=body)
    assert r.status_code in (400, 422)
    assert "error" in r.json
