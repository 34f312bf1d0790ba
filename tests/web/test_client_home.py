"""A client user's home leads with what needs them; the progress report names
the overdue milestones."""

from datetime import date, timedelta

from tests.factories import TODAY, day, goal, issued, milestone, sap_round
from tracker.dashboard.client_todo import client_to_do


def _plan(session, world):
    g = goal(session, world.engagement_a, title="Joint needs assessment refreshed")
    late = milestone(session, g, title="Data sources agreed", due_on=TODAY - timedelta(days=10))
    soon = milestone(session, g, title="Draft to the Trust Board", due_on=TODAY + timedelta(days=7))
    milestone(session, g, title="Published", due_on=TODAY + timedelta(days=60))  # not yet due
    other = milestone(session, goal(session, world.engagement_b), title="B's milestone", due_on=TODAY - timedelta(days=3))
    return late, soon, other


def test_what_needs_the_client_rounds_milestones_and_invoices(session, world):
    late, soon, _ = _plan(session, world)
    old = sap_round(session, world.engagement_a, "Baseline", date(2026, 3, 1))
    current = sap_round(session, world.engagement_a, "6-month review", TODAY - timedelta(days=5))
    sap_round(session, world.engagement_b, "B's round", TODAY)  # another authority's
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    invoice = issued(session, world.client_a)
    todo = client_to_do(session, world.client_a.id, TODAY)
    assert [r.assessment.id for r in todo.rounds] == [current.id] and old.id not in [r.assessment.id for r in todo.rounds]
    assert [m.id for m in todo.milestones] == [late.id, soon.id]
    assert [i.id for i in todo.invoices] == [invoice.id]


def test_a_round_long_past_is_not_asked_for(session, world):
    sap_round(session, world.engagement_a, "Baseline", TODAY - timedelta(days=120))
    assert client_to_do(session, world.client_a.id, TODAY).rounds == []


def test_the_client_home_leads_with_what_needs_them(login_as, session, world):
    _plan(session, world)
    current = sap_round(session, world.engagement_a, "6-month review", TODAY - timedelta(days=5))
    html = login_as("client").get("/").get_data(as_text=True)
    todo = html.index("What needs you")
    assert todo < html.index("Your engagements")
    assert f'/assessments/{current.id}/responses/new">Score the 6-month review round' in html
    assert "Update “Data sources agreed”" in html and "Update “Draft to the Trust Board”" in html
    assert "Published" not in html[todo:html.index("Your engagements")]
    assert "B&#39;s milestone" not in html


def test_the_progress_report_names_its_overdue_milestones(login_as, api_as, session, world):
    _plan(session, world)
    html = login_as("client").get(f"/reports/progress/{world.engagement_a.id}").get_data(as_text=True)
    assert "Overdue milestones" in html
    assert "<strong>Data sources agreed</strong> — due 13 Nov 2026 (10 days overdue)" in html
    assert "Draft to the Trust Board</strong>" not in html  # due soon, not overdue
    body = api_as("client").get(f"/api/v1/reports/progress/{world.engagement_a.id}").json
    assert [(m["title"], m["due_on"]) for m in body["overdue_milestones"]] == [("Data sources agreed", "2026-11-13")]
