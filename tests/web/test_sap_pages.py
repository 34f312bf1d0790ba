"""Self-assessment and action-plan pages: forms, errors beside fields, figures,
status colours, and what each role is offered."""

import re
from datetime import date

import sqlalchemy as sa

from tests.factories import goal, milestone, sap_response, sap_round
from tracker.assessments.models import Assessment, AssessmentResponse, FrameworkVersion
from tracker.plans.models import Milestone, MilestoneStatus


def test_a_manager_opens_a_round_with_key_areas(login_as, world, session):
    client = login_as("manager")
    response = client.post(f"/engagements/{world.engagement_a.id}/assessments/new", data={
        "label": "Baseline", "assessed_on": "2026-07-01",
        "key_areas": "Children with disabilities/complex needs\n\n  Early intervention and prevention  \n"})
    assert response.status_code == 302
    assessment = session.scalars(sa.select(Assessment)).one()
    assert assessment.key_areas == ["Children with disabilities/complex needs", "Early intervention and prevention"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Early intervention and prevention" in page and "Add a group's scores" in page
    again = client.post(f"/engagements/{world.engagement_a.id}/assessments/new",
                        data={"label": "baseline", "assessed_on": "2026-08-01"}).get_data(as_text=True)
    assert 'id="label-error"' in again and "already has a round" in again


def test_the_scoring_form_groups_twelve_standards_with_every_score_described(login_as, world, session):
    baseline = sap_round(session, world.engagement_a)
    html = login_as("client").get(f"/assessments/{baseline.id}/responses/new").get_data(as_text=True)
    sections = re.findall(r'<h2 id="score-section-(\d)">', html)
    assert sections == ["1", "2", "3"]
    legends = re.findall(r'<legend><span class="code">(\d\.\d)</span>', html)
    assert legends == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]
    assert html.count("We have no clear agreement about what is needed to move forward.") == 12
    assert html.count("The standard is fully achieved across the Children&#39;s Trust.") == 12
    assert html.count('type="radio" name="scores_2_3"') == 6
    assert html.count("<textarea") == 12 and 'for="evidence_3_4"' in html


def test_a_bad_score_is_shown_beside_its_standard_and_nothing_is_saved(login_as, world, session):
    baseline = sap_round(session, world.engagement_a)
    client = login_as("client")
    bad = client.post(f"/assessments/{baseline.id}/responses/new", data={
        "group": "Trust Executive", "scores_1_1": "3", "scores_1_2": "7", "evidence_2_1": "Plan agreed"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 200
    assert 'id="scores_1_2-error"' in html  # WTForms refuses a choice that is not offered
    assert session.scalar(sa.select(sa.func.count()).select_from(AssessmentResponse)) == 0
    evidence_only = client.post(f"/assessments/{baseline.id}/responses/new", data={
        "group": "Trust Executive", "scores_1_1": "3", "evidence_2_1": "Plan agreed"}).get_data(as_text=True)
    assert 'id="evidence_2_1-error"' in evidence_only and "Give a score for 2.1, or remove its evidence." in evidence_only
    assert 'value="Trust Executive"' in evidence_only and 'name="scores_1_1" value="3" checked' in evidence_only
    ok = client.post(f"/assessments/{baseline.id}/responses/new", data={
        "group": "Trust Executive", "scores_1_1": "3", "scores_2_1": "2", "evidence_2_1": "Plan agreed"})
    assert ok.status_code == 302
    saved = session.scalars(sa.select(AssessmentResponse)).one()
    assert saved.score_map == {"1.1": 3, "2.1": 2} and saved.recorded_by_id == world.users["client"].id


def test_a_group_corrects_its_scores_on_the_same_form(login_as, world, session):
    baseline = sap_round(session, world.engagement_a)
    response = sap_response(session, baseline, "Board", {"1.1": 2, "3.3": 1}, {"3.3": "No data sharing"})
    client = login_as("client")
    form = client.get(f"/responses/{response.id}/edit").get_data(as_text=True)
    assert 'name="scores_1_1" value="2" checked' in form and "No data sharing" in form
    client.post(f"/responses/{response.id}/edit", data={"group": "Board", "scores_1_1": "3"})
    session.expire_all()
    assert session.get(AssessmentResponse, response.id).score_map == {"1.1": 3}


def test_the_round_page_shows_figures_spread_change_and_a_chart(login_as, world, session):
    e = world.engagement_a
    base = sap_round(session, e, "Baseline", date(2026, 7, 1))
    sap_response(session, base, "Board", {"1.1": 2, "2.3": 1})
    sap_response(session, base, "Commissioning team", {"1.1": 4, "2.3": 2})
    later = sap_round(session, e, "6-month review", date(2027, 1, 10))
    sap_response(session, later, "Board", {"1.1": 3, "2.3": 2})
    client = login_as("client")
    html = client.get(f"/assessments/{later.id}").get_data(as_text=True)
    row = re.search(r'<tr id="standard-1.1".*?</tr>', html, re.S).group(0)
    assert ">3.00<" in row and "+0.00" not in row and "±0.00" in row  # 3.00 now, 3.00 before
    base_html = client.get(f"/assessments/{base.id}").get_data(as_text=True)
    base_row = re.search(r'<tr id="standard-1.1".*?</tr>', base_html, re.S).group(0)
    assert 'class="disagree"' in base_row and "groups disagree" in base_row and "2–4" in base_row
    later_23 = re.search(r'<tr id="standard-2.3".*?</tr>', html, re.S).group(0)
    assert ">2.00<" in later_23 and "+0.50" in later_23  # 1.50 → 2.00
    charts = re.findall(r'<img src="(/assessments/\d+/sections/(\d)/chart.png\?v=\w+)"', html)
    assert [n for _, n in charts] == ["1", "2", "3"]
    png = client.get(charts[0][0])
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/assessments/{later.id}/sections/9/chart.png").status_code == 404
    assert "Edit round" not in html  # a client scores, but does not change the round


def test_the_chart_address_changes_when_the_figures_do(login_as, world, session):
    base = sap_round(session, world.engagement_a)
    sap_response(session, base, "Board", {"1.1": 2})
    client = login_as("manager")

    def chart_src():
        html = client.get(f"/assessments/{base.id}").get_data(as_text=True)
        return re.search(r'<img src="([^"]+sections/1/chart.png[^"]+)"', html).group(1)

    before = chart_src()
    assert chart_src() == before
    sap_response(session, base, "Executive", {"1.1": 4})
    assert chart_src() != before


def test_the_plan_shows_status_colours_flags_and_a_timeline(login_as, world, session):
    g = goal(session, world.engagement_a, "Needs assessment refreshed")
    milestone(session, g, "Late one", due_on=date(2026, 11, 20), status="in_progress")
    milestone(session, g, "Soon one", due_on=date(2026, 12, 1))
    milestone(session, g, "Finished", due_on=date(2026, 9, 1), status="done", evidence="Board minute 12")
    html = login_as("manager").get(f"/engagements/{world.engagement_a.id}/plan").get_data(as_text=True)
    assert re.search(r'<tr class="status-in_progress flag-overdue"[^>]*>\s*<td>Late one', html)
    assert re.search(r'<tr class="status-not_started flag-due_soon"[^>]*>\s*<td>Soon one', html)
    assert re.search(r'<tr class="status-done"[^>]*>\s*<td>Finished', html)
    assert "Board minute 12" in html and "1 of 3" in html
    assert "Timeline: twelve months from June 2026" in html
    assert html.count('<th scope="col" class="month') == 12


def test_a_client_updates_only_status_and_evidence_of_a_milestone(login_as, world, session):
    m = milestone(session, goal(session, world.engagement_a))
    client = login_as("client")
    plan = client.get(f"/engagements/{world.engagement_a.id}/plan").get_data(as_text=True)
    assert "Add a goal" not in plan and "Add a milestone" not in plan and f"/milestones/{m.id}/edit" in plan
    form = client.get(f"/milestones/{m.id}/edit").get_data(as_text=True)
    assert 'name="status"' in form and 'name="evidence"' in form and 'name="title"' not in form
    response = client.post(f"/milestones/{m.id}/edit", data={"status": "done", "evidence": "Signed off", "title": "Sneaky"})
    assert response.status_code == 302
    session.expire_all()
    saved = session.get(Milestone, m.id)
    assert saved.status == MilestoneStatus.DONE and saved.evidence == "Signed off" and saved.title == "Data sources agreed"


def test_goals_and_milestones_through_the_pages(login_as, world, session):
    sap_round(session, world.engagement_a, key_areas=["Early intervention and prevention"])
    client = login_as("consultant")  # on engagement A's team
    empty = client.post(f"/engagements/{world.engagement_a.id}/goals/new", data={"title": "Untied"}).get_data(as_text=True)
    assert 'id="standard_codes-error"' in empty
    response = client.post(f"/engagements/{world.engagement_a.id}/goals/new", data={
        "title": "Early help shift", "standard_codes": ["2.1", "1.3"], "key_area": "Early intervention and prevention"})
    assert response.status_code == 302
    goal_id = int(re.search(r"goal-(\d+)", response.headers["Location"]).group(1))
    response = client.post(f"/goals/{goal_id}/milestones/new", data={
        "title": "Early help strategy agreed", "owner": "Early help lead", "due_on": "2027-02-01", "status": "in_progress"})
    assert response.status_code == 302
    html = client.get(f"/engagements/{world.engagement_a.id}/plan").get_data(as_text=True)
    assert "Goal 1: Early help shift" in html and "1.3 Joint needs assessment" in html
    assert "Key area: Early intervention and prevention" in html and "Early help strategy agreed" in html


def test_the_engagement_page_summarises_the_self_assessment_and_plan(login_as, world, session):
    base = sap_round(session, world.engagement_a, "Baseline")
    sap_response(session, base, "Board", {"1.1": 2, "1.2": 3, "2.1": 4})
    milestone(session, goal(session, world.engagement_a), due_on=date(2026, 11, 1))
    html = login_as("client").get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert "Section means: 1: 2.50 · 2: 4.00" in html
    assert "1 overdue" in html and "Open the action plan" in html


def test_an_admin_rewords_the_framework_as_a_new_version(login_as, world, session):
    client = login_as("admin")
    form = client.get("/sap/framework/edit").get_data(as_text=True)
    assert 'value="Joint needs assessment"' in form
    data = dict(re.findall(r'name="((?:sections|levels|standards)_[\w]+)" type="text" value="([^"]*)"', form))
    data |= dict(re.findall(r'<textarea[^>]*name="((?:sections|standards)_\w+)"[^>]*>\s*([^<]*)</textarea>', form))
    data = {k: v.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"') for k, v in data.items()}
    data |= {"label": "Cheshire West wording", "standards_1_3_title": "Needs assessment against the five outcomes"}
    response = client.post("/sap/framework/edit", data=data)
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(FrameworkVersion)) == 2
    page = client.get("/sap/framework").get_data(as_text=True)
    assert "Needs assessment against the five outcomes" in page and "version 2" in page
    old = client.get("/sap/framework?version=1").get_data(as_text=True)
    assert "Joint needs assessment</dt>" in old
    missing = client.post("/sap/framework/edit", data=data | {"standards_2_2_title": ""}).get_data(as_text=True)
    assert 'id="standards_2_2_title-error"' in missing
