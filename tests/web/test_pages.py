"""Authorities, staff, engagements and settings through the pages."""

import sqlalchemy as sa

from tests.conftest import login
from tracker.authorities.models import Authority
from tracker.engagements.models import Engagement


def test_create_authority_then_engagement_through_the_pages(client, world):
    login(client, world.users["manager"])
    response = client.post("/authorities/new", data={
        "name": "Wirral Council", "kind": "council", "address": "Wallasey Town Hall", "vat_number": "",
        "finance_contact": "", "finance_email": "ap@wirral.example.org"})
    assert response.status_code == 302
    wirral = client.application.extensions["sqlalchemy"].session.scalar(sa.select(Authority).where(Authority.name == "Wirral Council"))
    response = client.post("/engagements/new", data={
        "client_id": wirral.id, "title": "SAP facilitation", "kind": "support_package", "day_rate": "",
        "estimated_days_low": "20", "estimated_days_high": "30", "start_date": "2026-09-01", "end_date": "",
        "purchase_order": "PO-1", "vat": "0.20", "vat_note": "", "approval_reference": "Exec Board 15/12/2011",
        "description": ""})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SAP facilitation" in page
    assert "20.00–30.00 days" in page
    assert "&pound;10,000.00 – &pound;15,000.00" in page
    listing = client.get(f"/engagements/?client_id={wirral.id}").get_data(as_text=True)
    assert "SAP facilitation" in listing and "A support package" not in listing
    # The filter keeps the chosen client selected.
    assert f'<option value="{wirral.id}" selected>Wirral Council</option>' in listing


def test_engagement_form_errors_sit_beside_their_fields_and_keep_input(client, world):
    login(client, world.users["manager"])
    response = client.post("/engagements/new", data={
        "client_id": world.client_a.id, "title": "Typed title", "kind": "support_package",
        "estimated_days_low": "30", "estimated_days_high": "20", "start_date": "2026-09-01",
        "end_date": "2026-08-01", "vat": "outside", "vat_note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="estimated_days_high-error"' in html and "cannot be below the low estimate" in html
    assert 'id="end_date-error"' in html
    assert 'id="vat_note-error"' in html
    assert 'value="Typed title"' in html
    assert "There are 3 problems" in html


def test_status_change_shows_who_and_when(client, world):
    login(client, world.users["manager"])
    e = world.engagement_a
    response = client.post(f"/engagements/{e.id}/status", data={"action": "close", "note": "Work complete",
                                                                "confirmed": "yes"})
    assert response.status_code == 302
    page = client.get(f"/engagements/{e.id}").get_data(as_text=True)
    assert "Work complete" in page and "Max Manager" in page


def test_engagement_list_filters_by_status_and_pages(client, world, session):
    from tests.factories import engagement

    for i in range(55):
        engagement(session, world.client_a, f"Bulk {i:02d}", status="proposed")
    login(client, world.users["consultant"])
    first = client.get("/engagements/?status=proposed").get_data(as_text=True)
    assert "1–50 of 55" in first and "A support package" not in first
    second = client.get("/engagements/?status=proposed&page=2").get_data(as_text=True)
    assert "51–55 of 55" in second


def test_a_client_user_sees_only_their_engagements_and_no_team_or_history(client, world):
    login(client, world.users["client"])
    listing = client.get("/engagements/").get_data(as_text=True)
    assert "A support package" in listing and "B support package" not in listing
    page = client.get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert "Team" not in page and "Change history" not in page
    assert client.get(f"/engagements/{world.engagement_b.id}").status_code == 404


def test_staff_pages_take_the_cap_as_a_percentage(client, world, session):
    login(client, world.users["manager"])
    response = client.post("/staff/new", data={"name": "New Commissioner", "email": "nc@lead.example.org",
                                                "job_title": "Commissioner", "monthly_capacity_days": "16",
                                                "external_cap_share": "25", "active": "y"})
    assert response.status_code == 302
    html = client.get("/staff/").get_data(as_text=True)
    assert "New Commissioner" in html and "25%" in html and "4.00" in html  # 16 × 25%


def test_staff_form_error_keeps_values(client, world):
    login(client, world.users["manager"])
    response = client.post("/staff/new", data={"name": "X", "email": "not-an-email", "monthly_capacity_days": "40",
                                                "external_cap_share": "20"})
    html = response.get_data(as_text=True)
    assert 'id="monthly_capacity_days-error"' in html
    assert 'value="not-an-email"' in html


def test_settings_change_the_default_day_rate_from_a_date(client, world):
    login(client, world.users["admin"])
    response = client.post("/settings/day_rate", data={"value": "550.00", "effective_from": "2027-04-01",
                                                       "note": "Executive Board minute 88"})
    assert response.status_code == 302
    html = client.get("/settings/").get_data(as_text=True)
    assert "Executive Board minute 88" in html


def test_edit_authority_page_keeps_lead_rule(client, world, session):
    login(client, world.users["finance"])
    a = world.client_a
    response = client.post(f"/authorities/{a.id}/edit", data={"name": a.name, "kind": "council", "is_lead": "y"})
    assert "already a lead authority" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Authority, a.id).is_lead is False
    assert session.scalar(sa.select(sa.func.count()).select_from(Engagement)) == 2
