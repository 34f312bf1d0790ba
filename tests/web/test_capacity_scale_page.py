"""The capacity review page of a large service: red and amber first, a team
filter, the green majority on demand, totals over everyone; the staff form and
API take the team."""

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tracker.staff import services as staff
from tracker.staff.models import StaffMember

GREENS = 105  # plus Lee Three (green): 106, two pages of 100


@pytest.fixture
def big_service(session, capacity_world):
    s1, s2 = capacity_world.staff["s1"], capacity_world.staff["s2"]
    for member, team in ((s1, "Early Help"), (s2, "Short Breaks")):
        staff.update_staff(session, None, member, staff.StaffInput(
            name=member.name, email=member.email, team=team, monthly_capacity_days=member.monthly_capacity_days,
            external_cap_share=member.external_cap_share))
    now = datetime.now(UTC)
    session.execute(sa.insert(StaffMember), [
        {"name": f"Green Person {i:03d}", "email": f"green{i}@lead.example.org", "team": ("Early Help", "Short Breaks")[i % 2],
         "monthly_capacity_days": Decimal("18"), "external_cap_share": Decimal("0.20"), "created_at": now}
        for i in range(GREENS)])
    session.commit()
    return capacity_world


def names(html: str) -> list[str]:
    return re.findall(r'<tr class="flag-\w+">\s*<th scope="row">([^<]+)<br>', html)


def test_flagged_people_come_first_and_greens_stay_folded(login_as, big_service):
    html = login_as("manager").get("/reports/capacity?month=2026-11").get_data(as_text=True)
    assert names(html) == ["Sam One", "Kim Two"]  # red, then amber; no green rows
    assert "Green Person" not in html and "Lee Three" not in html
    assert "Show the 106 green people" in html and "green=1" in html
    assert "Everyone (108 people)" in html
    assert '<option>Early Help</option>' in html and '<option>Short Breaks</option>' in html


def test_greens_on_demand_are_paged_and_totals_stay_over_everyone(login_as, big_service):
    client = login_as("manager")
    first = client.get("/reports/capacity?month=2026-11&green=1").get_data(as_text=True)
    shown = names(first)
    assert shown[:2] == ["Sam One", "Kim Two"] and len(shown) == 102
    assert shown[2:4] == ["Green Person 000", "Green Person 001"]
    assert "Page 1 of 2" in first and "Hide the 106 green people" in first
    second = names(client.get("/reports/capacity?month=2026-11&green=1&page=2").get_data(as_text=True))
    assert second[2:] == ["Green Person 100", "Green Person 101", "Green Person 102", "Green Person 103",
                          "Green Person 104", "Lee Three"]
    everyone = re.search(r"Everyone \(108 people\)</th><td class=\"num\">([\d.,]+)", first).group(1)
    assert everyone == f"{43 + 18 * GREENS:.2f}"


def test_team_filter_shows_that_team_with_its_totals(login_as, big_service):
    html = login_as("manager").get("/reports/capacity?month=2026-11&team=Early+Help&green=1").get_data(as_text=True)
    shown = names(html)
    assert shown[0] == "Sam One" and "Kim Two" not in shown and len(shown) == 1 + 53
    assert '<option selected>Early Help</option>' in html
    assert "Early Help (54 people)" in html and "Everyone (108 people)" in html


def test_a_team_name_too_long_is_refused_naming_the_field(login_as, big_service):
    response = login_as("manager").get("/reports/capacity?team=" + "x" * 81)
    assert response.status_code == 422 and "team" in response.get_data(as_text=True).lower()


def test_the_export_still_has_everyone_with_their_team(login_as, big_service):
    response = login_as("manager").get("/reports/capacity/export?month=2026-11&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert len(rows) == 108 + 1  # everyone, then the totals
    assert {r["Staff member"]: r["Team"] for r in rows}["Sam One"] == "Early Help"


def test_staff_form_and_api_take_the_team(login_as, api_as, world, session):
    client = login_as("manager")
    response = client.post("/staff/new", data={"name": "Fay Form", "email": "fay@lead.example.org",
                                               "team": "Youth Services", "monthly_capacity_days": "18",
                                               "external_cap_share": "20", "active": "y"})
    assert response.status_code == 302
    assert session.scalar(sa.select(StaffMember.team).where(StaffMember.email == "fay@lead.example.org")) == "Youth Services"
    assert "Youth Services" in client.get("/staff/").get_data(as_text=True)
    api = api_as("manager")
    created = api.post("/api/v1/staff", json={"name": "Abe Api", "email": "abe@lead.example.org", "team": "SEND"})
    assert created.status_code == 201 and created.get_json()["team"] == "SEND"
    changed = api.open("PATCH", f"/api/v1/staff/{created.get_json()['id']}", json={"team": "Early Help"})
    assert changed.get_json()["team"] == "Early Help"
    bad = api.post("/api/v1/staff", json={"name": "Long", "email": "long@lead.example.org", "team": "z" * 81})
    assert bad.status_code == 422 and "team" in bad.get_json()["error"]["fields"]
    report = api.get("/api/v1/reports/capacity?month=2026-11").get_json()
    assert {i["name"]: i["team"] for i in report["items"]}["Abe Api"] == "Early Help"


def test_the_red_and_amber_list_has_its_own_pages(login_as, big_service, monkeypatch):
    from tracker.reports.capacity import view as capacity_views

    monkeypatch.setattr(capacity_views, "FLAGGED_PER_PAGE", 1)
    client = login_as("manager")
    first = client.get("/reports/capacity?month=2026-11").get_data(as_text=True)
    assert names(first) == ["Sam One"] and 'aria-label="Pages of red and amber people"' in first
    assert "flagged_page=2" in first and "#people-heading" in first
    second = client.get("/reports/capacity?month=2026-11&flagged_page=2").get_data(as_text=True)
    assert names(second) == ["Kim Two"]
    assert client.get("/reports/capacity?month=2026-11&flagged_page=abc").status_code in (200, 422)
