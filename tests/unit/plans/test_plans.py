"""Action plans: goals tied to standards or key areas, milestones with their
flags and timeline, who may change what, and support days tied to goals."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, goal, milestone, sap_round, user
from tracker.access import SystemActor
from tracker.assessments import services as sap
from tracker.audit.models import AuditLog
from tracker.days import services as days
from tracker.engagements.services import engagement_for_editing
from tracker.errors import Forbidden, NotFound, ValidationFailed
from tracker.plans import services as plans
from tracker.plans.models import MilestoneStatus
from tracker.plans.timeline import plan_timeline


@pytest.fixture
def wirral_areas(session, world):
    return sap_round(session, world.engagement_a, "Baseline", date(2026, 7, 1),
                     ["Children with disabilities/complex needs", "Early intervention and prevention"])


def test_a_goal_is_tied_to_standards_or_a_key_area(session, world, wirral_areas):
    g = goal(session, world.engagement_a, "Shift to early help", standard_codes=["2.1", "1.3", "2.1"],
             key_area="early INTERVENTION and prevention")
    assert g.standard_codes == ["1.3", "2.1"]
    assert g.key_area == "Early intervention and prevention"  # the round's own spelling
    assert g.position == 1 and goal(session, world.engagement_a, "Second").position == 2
    only_area = goal(session, world.engagement_a, "Deep dive", standard_codes=[],
                     key_area="Children with disabilities/complex needs")
    assert only_area.standard_codes == []


def test_a_goal_keeps_its_key_area_when_the_round_drops_it(session, world, wirral_areas):
    g = goal(session, world.engagement_a, "Deep dive", standard_codes=[], key_area="Children with disabilities/complex needs")
    sap.update_assessment(session, SystemActor("test"), wirral_areas, sap.AssessmentInput("Baseline", date(2026, 7, 1), ["Early help"]))
    plans.update_goal(session, SystemActor("test"), g, plans.GoalInput("Deep dive: complex needs", "", [], g.key_area))
    assert g.key_area == "Children with disabilities/complex needs" and g.title == "Deep dive: complex needs"
    with pytest.raises(ValidationFailed):
        goal(session, world.engagement_a, "New", standard_codes=[], key_area="Children with disabilities/complex needs")


def test_goal_mistakes_are_named(session, world, wirral_areas):
    with pytest.raises(ValidationFailed) as err:
        goal(session, world.engagement_a, "", standard_codes=["1.3", "9.9", "4.1"], key_area="Transport")
    fields = err.value.fields
    assert set(fields) == {"title", "standard_codes", "key_area"}
    assert "9.9, 4.1" in fields["standard_codes"]
    assert "Early intervention and prevention" in fields["key_area"]
    with pytest.raises(ValidationFailed) as err:
        goal(session, world.engagement_a, "Untied", standard_codes=[], key_area="")
    assert "at least one standard or to a key area" in err.value.fields["standard_codes"]


def test_only_managers_and_the_team_change_goals(session, world):
    off_team = user(session, "kim@lead.example.org", "consultant", staff_id=world.staff["s2"].id)
    for actor in (world.users["client"], world.users["finance"], off_team):
        with pytest.raises(Forbidden):
            goal(session, world.engagement_a, actor=actor)
    g = goal(session, world.engagement_a, actor=world.users["consultant"])
    plans.update_goal(session, world.users["manager"], g, plans.GoalInput("Needs assessment refreshed", "", ["1.3", "3.3"]))
    row = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "plan_goal", AuditLog.action == "update")).one()
    assert row.before == {"title": "Joint needs assessment refreshed", "standard_codes": ["1.3"]}
    assert row.after == {"title": "Needs assessment refreshed", "standard_codes": ["1.3", "3.3"]}


def test_milestone_status_records_completion_and_is_audited(session, world):
    m = milestone(session, goal(session, world.engagement_a), due_on=date(2026, 12, 15))
    assert m.status == MilestoneStatus.NOT_STARTED and m.completed_on is None
    plans.update_milestone(session, world.users["client"], m, {"status": "done", "evidence": "Signed off by the Board"}, TODAY)
    assert m.completed_on == TODAY
    plans.update_milestone(session, world.users["manager"], m, {"status": "in_progress"}, date(2026, 11, 30))
    assert m.completed_on is None
    rows = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "plan_milestone").order_by(AuditLog.id)).all()
    assert [r.action for r in rows] == ["create", "update", "update"]
    assert rows[1].actor_label == "user@a.example.org"
    assert rows[1].before == {"status": "not_started", "evidence": "", "completed_on": None}
    assert rows[1].after == {"status": "done", "evidence": "Signed off by the Board", "completed_on": "2026-11-23"}


def test_client_users_change_status_and_evidence_only_and_only_their_own(session, world):
    m = milestone(session, goal(session, world.engagement_a))
    with pytest.raises(Forbidden) as err:
        plans.update_milestone(session, world.users["client"], m, {"status": "in_progress", "due_on": date(2027, 3, 1)}, TODAY)
    assert set(err.value.fields) == {"due_on"}
    assert m.status == MilestoneStatus.NOT_STARTED
    with pytest.raises(NotFound):
        plans.get_milestone(session, world.users["client_b"], m.id)
    with pytest.raises(Forbidden):
        plans.update_milestone(session, world.users["finance"], m, {"status": "done"}, TODAY)
    with pytest.raises(ValidationFailed) as err:
        plans.update_milestone(session, world.users["client"], m, {"status": "finished"}, TODAY)
    assert "status" in err.value.fields
    with pytest.raises(Forbidden):
        plans.add_milestone(session, world.users["client"], m.goal, plans.MilestoneInput("x", "y", TODAY), TODAY)


def test_overdue_and_due_soon_are_open_milestones_only(session, world):
    g = goal(session, world.engagement_a)
    late = milestone(session, g, "Late", due_on=date(2026, 11, 20), status="in_progress")
    soon = milestone(session, g, "Soon", due_on=date(2026, 12, 7))
    edge = milestone(session, g, "Edge", due_on=date(2026, 12, 8))
    done_late = milestone(session, g, "Done late", due_on=date(2026, 10, 1), status="done")
    dropped = milestone(session, g, "Dropped", due_on=date(2026, 10, 1), status="dropped")
    assert [m.flag(TODAY) for m in (late, soon, edge, done_late, dropped)] == ["overdue", "due_soon", None, None, None]
    counts = plans.plan_counts([g], TODAY)
    assert (counts.goals, counts.milestones, counts.done, counts.dropped, counts.overdue, counts.due_soon) == (1, 5, 1, 1, 1, 1)


def test_the_timeline_spans_twelve_months_from_the_start(session, world):
    g = goal(session, world.engagement_a)
    milestone(session, g, "Nov", due_on=date(2026, 11, 20))
    milestone(session, g, "Next year", due_on=date(2027, 5, 31))
    timeline = plan_timeline([g], world.engagement_a.start_date, TODAY)
    assert [c.label for c in timeline.columns][:2] == ["Jun", "Jul"] and len(timeline.columns) == 12
    assert [c.long_label for c in timeline.columns if c.is_current] == ["November 2026"]
    assert [(r.milestone.title, r.column) for r in timeline.rows] == [("Nov", 5), ("Next year", 11)]
    milestone(session, g, "Beyond", due_on=date(2027, 6, 1))
    milestone(session, g, "Before", due_on=date(2026, 5, 31))
    session.refresh(g)
    timeline = plan_timeline([g], world.engagement_a.start_date, TODAY)
    assert timeline.columns[0].label == "Earlier" and timeline.columns[-1].label == "Later"
    assert {r.milestone.title: r.column for r in timeline.rows} == {"Before": 0, "Nov": 6, "Next year": 12, "Beyond": 13}


def test_support_days_can_serve_a_goal_of_their_own_engagement(session, world):
    mine = goal(session, world.engagement_a)
    theirs = goal(session, world.engagement_b)
    assert plans.goal_choices(session, world.engagement_a.id) == [(mine.id, "Goal 1: Joint needs assessment refreshed")]
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "0.5", extra={"goal_id": mine.id})
    assert d.goal_id == mine.id
    created = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "support_day")).one()
    assert created.after["goal_id"] == mine.id
    for bad, why in ((theirs.id, "not in this engagement"), (999999, "No such goal"), ("abc", "Choose a goal")):
        with pytest.raises(ValidationFailed) as err:
            days.update_support_day(session, SystemActor("test"), d, days.input_from(d, extra={"goal_id": bad}), TODAY)
        assert why in err.value.fields["goal_id"]
        session.rollback()
    # A change that does not mention the goal keeps it; None clears it (and the log says so).
    no_goal = days.input_from(d, notes="Workshop")
    no_goal.extra = {}
    days.update_support_day(session, SystemActor("test"), d, no_goal, TODAY)
    assert d.goal_id == mine.id and d.notes == "Workshop"
    assert plans.days_by_goal(session, world.engagement_a.id) == {mine.id: Decimal("0.50")}
    days.update_support_day(session, SystemActor("test"), d, days.input_from(d, extra={"goal_id": None}), TODAY)
    assert d.goal_id is None
    last = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "support_day").order_by(AuditLog.id.desc())).first()
    assert last.before == {"goal_id": mine.id} and last.after == {"goal_id": None}


def test_the_for_editing_getters_enforce_the_engagement_policy(session, world, wirral_areas):
    """Pages and API fetch through these, so the policy is enforced in the services only."""
    off_team = user(session, "kim@lead.example.org", "consultant", staff_id=world.staff["s2"].id)
    g = goal(session, world.engagement_a)
    m = milestone(session, g)
    response = sap.record_response(session, world.users["client"], wirral_areas, sap.ResponseInput("Board", {"1.1": 3}))
    engagement_id = world.engagement_a.id
    for actor in (world.users["client"], world.users["finance"], off_team):
        with pytest.raises(Forbidden):
            engagement_for_editing(session, actor, engagement_id)
        with pytest.raises(Forbidden):
            plans.goal_for_editing(session, actor, g.id)
        with pytest.raises(Forbidden):
            sap.assessment_for_editing(session, actor, wirral_areas.id)
    for actor in (world.users["finance"], off_team):
        with pytest.raises(Forbidden):
            plans.milestone_for_update(session, actor, m.id)
        with pytest.raises(Forbidden):
            sap.assessment_for_scoring(session, actor, wirral_areas.id)
        with pytest.raises(Forbidden):
            sap.response_for_scoring(session, actor, response.id)
    with pytest.raises(NotFound):
        engagement_for_editing(session, world.users["client_b"], engagement_id)
    with pytest.raises(NotFound):
        sap.response_for_scoring(session, world.users["client_b"], response.id)
    assert plans.milestone_for_update(session, world.users["client"], m.id) == (m, False)
    assert plans.milestone_for_update(session, world.users["consultant"], m.id) == (m, True)
    assert sap.response_for_scoring(session, world.users["client"], response.id) is response
    assert engagement_for_editing(session, world.users["consultant"], engagement_id) is world.engagement_a
    assert plans.goal_for_editing(session, world.users["manager"], g.id) is g
    assert sap.assessment_for_editing(session, world.users["consultant"], wirral_areas.id) is wirral_areas
