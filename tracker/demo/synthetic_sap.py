"""Synthetic SAP self-assessments and action plans for ``flask demo generate``.

About a third of the support packages get assessment rounds (a baseline near
the start, then 6- and 12-month rounds once their dates have passed), each
with two or three groups scoring every standard of the current framework,
the scores drifting upwards round by round. About a quarter get a 12-month
action plan: goals addressing standards, with milestones done, in progress,
not started (some overdue) or dropped. Bulk Core inserts throughout.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.assessments.models import Assessment, AssessmentResponse, FrameworkVersion, SapStandard, Score
from tracker.demo.synthetic import Generated, Plan, Progress, step
from tracker.engagements.models import EngagementKind
from tracker.plans.models import Goal, GoalStandard, Milestone, MilestoneStatus

ASSESSED_SHARE = 0.35
PLANNED_SHARE = 0.25
GROUPS = ["Board", "Leadership Team", "Commissioning Partners"]
ROUNDS = [("Baseline", 14), ("6-month review", 190), ("12-month review", 370)]
OWNERS = ["Director of Children's Services", "Head of Commissioning", "Commissioning Manager", "Board Chair"]


@step("assessments and plans")
def assessments_and_plans(conn: Connection, plan: Plan, out: Generated, rng: random.Random, progress: Progress) -> None:
    version_id = conn.scalar(sa.select(FrameworkVersion.id).order_by(FrameworkVersion.number.desc()).limit(1))
    if version_id is None:  # no framework loaded (`flask db upgrade` seeds it)
        return
    standards = conn.execute(sa.select(SapStandard.id, SapStandard.code).where(SapStandard.version_id == version_id)
                             .order_by(SapStandard.position)).all()
    codes = [s.code for s in standards]
    now = datetime.now(UTC)
    packages = [e for e in out.engagements if e["kind"] == EngagementKind.SUPPORT_PACKAGE and e["start"] <= plan.today]

    rounds = []
    for e in rng.sample(packages, k=round(len(packages) * ASSESSED_SHARE)):
        base = {code: rng.randint(1, 3) for code in codes}
        for number, (label, offset) in enumerate(ROUNDS):
            on = e["start"] + timedelta(days=offset)
            if on > plan.today:
                break
            key_areas = rng.sample(codes, k=min(3, len(codes)))
            rounds.append(({"engagement_id": e["id"], "framework_version_id": version_id, "label": label,
                            "assessed_on": on, "key_areas": key_areas, "notes": "", "created_at": now},
                           base, number))
    ids = conn.execute(sa.insert(Assessment).returning(Assessment.id, sort_by_parameter_order=True),
                       [r[0] for r in rounds]).scalars().all() if rounds else []
    responses, response_scores = [], []
    for assessment_id, (_row, base, number) in zip(ids, rounds, strict=True):
        for group in GROUPS[: rng.randint(2, 3)]:
            responses.append({"assessment_id": assessment_id, "group_name": group, "created_at": now, "updated_at": now})
            response_scores.append({code: min(5, max(1, base[code] + number + rng.randint(-1, 1))) for code in codes})
    response_ids = conn.execute(
        sa.insert(AssessmentResponse).returning(AssessmentResponse.id, sort_by_parameter_order=True), responses
    ).scalars().all() if responses else []
    scores = [{"response_id": rid, "standard_id": s.id, "score": marks[s.code], "evidence": ""}
              for rid, marks in zip(response_ids, response_scores, strict=True) for s in standards]
    if scores:
        conn.execute(sa.insert(Score), scores)
    progress("assessments and plans", len(ids))

    goals, goal_extras = [], []
    for e in rng.sample(packages, k=round(len(packages) * PLANNED_SHARE)):
        start = e["start"] + timedelta(days=30)
        for position in range(1, rng.randint(3, 5) + 1):
            addressed = rng.sample(codes, k=min(len(codes), rng.randint(1, 3)))
            goals.append({"engagement_id": e["id"], "position": position,
                          "title": f"Improve {', '.join(addressed)}", "description": "",
                          "key_area": f"Standard {addressed[0]}", "created_at": now})
            goal_extras.append((addressed, start))
    goal_ids = conn.execute(sa.insert(Goal).returning(Goal.id, sort_by_parameter_order=True),
                            goals).scalars().all() if goals else []
    links, milestones = [], []
    for goal_id, (addressed, start) in zip(goal_ids, goal_extras, strict=True):
        links += [{"goal_id": goal_id, "standard_code": code} for code in addressed]
        for n in range(rng.randint(2, 4)):
            due = start + timedelta(days=rng.randint(30, 365))
            if due < plan.today:
                status = rng.choices([MilestoneStatus.DONE, MilestoneStatus.IN_PROGRESS, MilestoneStatus.DROPPED],
                                     weights=[75, 18, 7])[0]
            else:
                status = rng.choices([MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS, MilestoneStatus.DONE],
                                     weights=[55, 35, 10])[0]
            done_on = min(plan.today, due - timedelta(days=rng.randint(0, 20))) if status == MilestoneStatus.DONE else None
            milestones.append({"goal_id": goal_id, "title": f"Milestone {n + 1}", "owner": rng.choice(OWNERS),
                               "due_on": due, "status": status, "evidence": "Minutes on file" if done_on else "",
                               "completed_on": done_on, "updated_at": now})
    if links:
        conn.execute(sa.insert(GoalStandard), links)
    if milestones:
        conn.execute(sa.insert(Milestone), milestones)
    out.assessment_count, out.goal_count = len(ids), len(goal_ids)
    progress("assessments and plans", len(goal_ids))
