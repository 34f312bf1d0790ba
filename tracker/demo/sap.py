"""The demo world's self-assessments and action plans.

Cheshire West and Chester: a baseline round with three groups (the Trust
Board scored six standards in the time it had, as Medway's Board did) and a
6-month review that shows movement on the key areas; a plan with goals and
milestones done, in progress, overdue, due soon, dropped and not started.
Wirral: the Trust Executive's SAPE workshop with the three key areas its
minutes name, and a plan of deep dives. Dates are relative to ``today``.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tracker.access import DEMO
from tracker.assessments import framework
from tracker.assessments import services as sap
from tracker.plans import services as plans

ACTOR = DEMO
ALL = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4"]

CWAC_KEY_AREAS = [
    "Joint needs assessment against the five outcomes",
    "Outcome-based contracts and decommissioning",
    "Commissioning skills and capacity across the partnership",
]
WIRRAL_KEY_AREAS = [
    "Children with disabilities/complex needs",
    "Identifying children at risk of poor outcomes",
    "Major shift towards early intervention and prevention",
]

#: group → scores in standard order (None = not scored), for each CWAC round.
CWAC_BASELINE = {
    "Children's Trust Board": [4, 2, 3, None, 3, None, 2, None, None, 3, None, None],
    "Trust Executive": [3, 2, 2, 2, 2, 2, 1, 1, 2, 2, 1, 1],
    "Joint commissioning team": [2, 1, 1, 2, 2, 2, 1, 1, 1, 2, 1, 2],
}
CWAC_SIX_MONTH = {
    "Children's Trust Board": [4, 2, 3, None, 3, None, 3, None, None, 3, None, None],
    "Trust Executive": [3, 2, 3, 2, 3, 2, 2, 2, 3, 3, 2, 2],
    "Joint commissioning team": [3, 2, 2, 3, 2, 2, 2, 2, 2, 3, 1, 2],
}
CWAC_EVIDENCE = {
    "Joint commissioning team": {
        "1.1": "The Board's terms of reference do not yet say which decisions partners pool.",
        "1.3": "JSNA children's chapter is out of date (2009 data).",
        "2.3": "No contract names outcomes; monitoring counts activity.",
    },
}
WIRRAL_EXECUTIVE = [3, 2, 2, 2, 2, 2, 1, 1, 1, 2, 1, 1]


def _scores(row: list) -> dict:
    return {code: score for code, score in zip(ALL, row, strict=True) if score is not None}


def _round(session: Session, engagement, label: str, on: date, key_areas: list[str], groups: dict, evidence: dict):
    assessment = sap.create_assessment(session, ACTOR, engagement, sap.AssessmentInput(label, on, key_areas))
    for group, row in groups.items():
        sap.record_response(session, ACTOR, assessment, sap.ResponseInput(group, _scores(row), evidence.get(group, {})))
    return assessment


def _goal(session: Session, engagement, title: str, codes: list[str], key_area: str, milestones: list[tuple], today: date):
    goal = plans.create_goal(session, ACTOR, engagement, plans.GoalInput(title, "", codes, key_area))
    for m_title, owner, due, status, evidence in milestones:
        # A milestone done in the demo was completed on its due date (or today, if that is earlier).
        plans.add_milestone(session, ACTOR, goal, plans.MilestoneInput(m_title, owner, due, status, evidence), min(due, today))
    return goal


def build_sap(session: Session, world) -> None:
    framework.ensure_framework(session)
    today = world.today
    cwac = world.engagements["cwac"]
    baseline_on = cwac.start_date + timedelta(days=9)
    _round(session, cwac, "Baseline", baseline_on, CWAC_KEY_AREAS, CWAC_BASELINE, CWAC_EVIDENCE)
    _round(session, cwac, "6-month review", today - timedelta(days=4), CWAC_KEY_AREAS, CWAC_SIX_MONTH, {
        "Joint commissioning team": {"2.3": "Outcome measures now in the two largest early-help contracts."}})
    day = timedelta(days=1)
    _goal(session, cwac, "A joint needs assessment the Trust Board uses to set priorities", ["1.3", "2.1"], CWAC_KEY_AREAS[0], [
        ("Agree data sources and leads with health and the police", "Head of Performance", baseline_on + 30 * day, "done",
         "Data-sharing protocol signed by the three partners."),
        ("Children's chapter of the JSNA drafted", "Commissioning Manager", today - 10 * day, "in_progress",
         "Draft covers four of the five outcomes."),
        ("Board workshop agrees three joint priorities", "Director of Children's Services", today + 10 * day, "not_started", ""),
    ], today)
    _goal(session, cwac, "Outcome-based contracts for early help", ["2.3", "2.4"], CWAC_KEY_AREAS[1], [
        ("Outcome measures written into the two largest early-help contracts", "Contracts Manager", today - 40 * day, "done",
         "Variations agreed with both providers."),
        ("Provider forum on outcome-based commissioning", "Contracts Manager", today - 20 * day, "dropped",
         "Merged into the sub-regional provider event."),
        ("Decommissioning protocol approved", "Head of Commissioning", today + 60 * day, "not_started", ""),
    ], today)
    _goal(session, cwac, "Commissioning skills across the partnership", ["3.1", "3.4"], CWAC_KEY_AREAS[2], [
        ("Four-day commissioning development programme delivered", "Halton commissioning team", today + 45 * day,
         "in_progress", "Days 1 and 2 delivered to 18 commissioners."),
        ("Options paper for a joint commissioning unit", "Head of Commissioning", cwac.start_date + 330 * day, "not_started", ""),
    ], today)

    wirral = world.engagements["wirral"]
    workshop_on = wirral.start_date + timedelta(days=12)
    _round(session, wirral, "SAPE workshop", workshop_on, WIRRAL_KEY_AREAS,
           {"Children's Trust Executive": WIRRAL_EXECUTIVE}, {})
    for area, (title, owner, due, status) in zip(WIRRAL_KEY_AREAS, [
        ("Deep dive: children with disabilities and complex needs", "Complex needs commissioner", today - 6 * day,
         "in_progress"),
        ("Deep dive: identifying children at risk of poor outcomes", "Head of Performance", today + 12 * day, "in_progress"),
        ("Deep dive: a shift to early intervention and prevention", "Early help lead", today + 50 * day, "not_started"),
    ], strict=True):
        _goal(session, wirral, title, [], area, [
            ("Findings and recommendations to the Trust Board", owner, due, status, ""),
        ], today)
    first = plans.goals_of(session, wirral.id)[0]
    plans.add_milestone(session, ACTOR, first, plans.MilestoneInput(
        "Board approves the SAPE content and key areas", "Children's Trust Executive", workshop_on + 8 * day, "done",
        "Trust Board minutes: content noted and key areas approved for deep dives."), min(workshop_on + 8 * day, today))
