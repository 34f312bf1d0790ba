"""The demo world shows what the SAP pages are for: a baseline with the Board
scoring only six standards, movement at six months, Wirral's key areas, and
milestones in every state."""

from tests.factories import TODAY
from tracker.assessments.services import rounds_of
from tracker.assessments.summary import summarise
from tracker.demo.world import build_world
from tracker.plans import services as plans
from tracker.plans.models import MilestoneStatus


def test_the_demo_world_has_rounds_key_areas_and_a_mixed_plan(session):
    world = build_world(session, TODAY, "demo passphrase 1")
    baseline, six_month = rounds_of(session, world.engagements["cwac"].id)
    assert (baseline.label, six_month.label) == ("Baseline", "6-month review")
    groups = {r.group_name: len(r.scores) for r in baseline.responses}
    assert groups == {"Children's Trust Board": 6, "Trust Executive": 12, "Joint commissioning team": 12}
    before, after = summarise(session, baseline), summarise(session, six_month)
    assert all(a.figures.mean > b.figures.mean for a, b in zip(after.sections, before.sections, strict=True))
    assert any(s.figures.disagreement for s in before.standards)

    (wirral,) = rounds_of(session, world.engagements["wirral"].id)
    assert wirral.key_areas == ["Children with disabilities/complex needs", "Identifying children at risk of poor outcomes",
                                "Major shift towards early intervention and prevention"]

    for key in ("cwac", "wirral"):
        goals = plans.goals_of(session, world.engagements[key].id)
        counts = plans.plan_counts(goals, TODAY)
        assert counts.done and counts.overdue and counts.due_soon, key
    statuses = {m.status for g in plans.goals_of(session, world.engagements["cwac"].id) for m in g.milestones}
    assert statuses == set(MilestoneStatus)
