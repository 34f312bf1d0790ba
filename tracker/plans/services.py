"""The 12-month action plan: goals and milestones.

Managers, admins and the engagement's team change everything; a client user
of the engagement's authority updates a milestone's status and evidence only
(tracker.assessments.services documents the whole rule). Goals are tied to at
least one SAP standard (by code) or to a key area named by one of the
engagement's rounds. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.assessments import framework
from tracker.assessments.services import key_areas_of
from tracker.audit import services as audit
from tracker.database import dsum
from tracker.dates import check_fields
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement
from tracker.engagements.policy import check_may_edit, is_own_client, may_edit, visible
from tracker.errors import Forbidden, NotFound, ValidationFailed
from tracker.plans.models import Goal, GoalStandard, Milestone, MilestoneEvidence, MilestoneStatus, code_key

#: What a client user may change on a milestone.
CLIENT_FIELDS = frozenset({"status", "evidence", "completed_on"})
MILESTONE_FIELDS = ("title", "owner", "due_on", "status", "evidence", "completed_on")

#: Limits the forms and the API schema take from here.
TITLE_MAX = 200
TEXT_MAX = 5000  # a goal's description, a milestone's evidence
OWNER_MAX = 120


def get_goal(session: Session, user, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None or not visible(user, goal.engagement):
        raise NotFound("No such goal.")
    return goal


def get_milestone(session: Session, user, milestone_id: int) -> Milestone:
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or not visible(user, milestone.goal.engagement):
        raise NotFound("No such milestone.")
    return milestone


def goal_for_editing(session: Session, user, goal_id: int) -> Goal:
    """The goal, to change it or add milestones: NotFound as in get_goal, Forbidden
    unless the policy lets this user edit its engagement."""
    goal = get_goal(session, user, goal_id)
    check_may_edit(session, user, goal.engagement)
    return goal


def milestone_for_update(session: Session, user, milestone_id: int) -> tuple[Milestone, bool]:
    """The milestone and whether this user may change all of it (True) or only its
    status and evidence (False, a client user of the engagement's authority)."""
    milestone = get_milestone(session, user, milestone_id)
    return milestone, _milestone_access(session, user, milestone.goal.engagement)


def _milestone_access(session: Session, user, engagement: Engagement) -> bool:
    if may_edit(session, user, engagement):
        return True
    if is_own_client(user, engagement):
        return False
    raise Forbidden("Only managers, the engagement's team and the client can update milestones.")


def goals_query(engagement_id: int) -> sa.Select:
    return sa.select(Goal).where(Goal.engagement_id == engagement_id).order_by(Goal.position, Goal.id)


def goals_of(session: Session, engagement_id: int) -> list[Goal]:
    return list(session.scalars(goals_query(engagement_id)))


def goal_choices(session: Session, engagement_id: int) -> list[tuple[int, str]]:
    """(id, label) of the engagement's goals, for the week view's and the days API's goal_id."""
    return [(g.id, f"Goal {g.position}: {g.title}") for g in goals_of(session, engagement_id)]


def days_by_goal(session: Session, engagement_id: int) -> dict[int, Decimal]:
    """Support days (any state) tied to each goal of an engagement."""
    stmt = (sa.select(SupportDay.goal_id, dsum(SupportDay.days))
            .where(SupportDay.engagement_id == engagement_id, SupportDay.goal_id.is_not(None))
            .group_by(SupportDay.goal_id))
    return {goal_id: Decimal(total).quantize(Decimal("0.01")) for goal_id, total in session.execute(stmt)}


def milestones_query(goal_id: int) -> sa.Select:
    return sa.select(Milestone).where(Milestone.goal_id == goal_id).order_by(Milestone.due_on, Milestone.id)


# --- goals ------------------------------------------------------------------------

@dataclass
class GoalInput:
    title: str
    description: str = ""
    standard_codes: list = field(default_factory=list)
    key_area: str = ""


def _clean_goal(session: Session, engagement: Engagement, data: GoalInput, existing: Goal | None = None) -> dict:
    fields: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        fields["title"] = "Say what the goal is."
    elif len(title) > TITLE_MAX:
        fields["title"] = f"Use at most {TITLE_MAX} characters."
    description = (data.description or "").strip()
    if len(description) > TEXT_MAX:
        fields["description"] = f"The description is limited to {TEXT_MAX:,} characters."
    known = {s.code for s in framework.current_version(session).standards}
    codes = data.standard_codes if isinstance(data.standard_codes, list) else None
    if codes is None or not all(isinstance(c, str) for c in codes):
        fields["standard_codes"] = "Standards are a list of codes such as [\"1.3\", \"2.1\"]."
        codes = []
    unknown = [c for c in codes if c not in known]
    if unknown:
        fields["standard_codes"] = (f"Unknown standard {', '.join(unknown)}: the framework has "
                                    f"{', '.join(sorted(known, key=code_key))}.")
    key_area = (data.key_area or "").strip() if isinstance(data.key_area, str) else None
    if key_area is None:
        fields["key_area"] = "The key area is text."
    elif key_area:
        areas = key_areas_of(session, engagement.id)
        if existing is not None and existing.key_area:
            areas.append(existing.key_area)  # a goal keeps its area after a round drops it
        match = next((a for a in areas if a.casefold() == key_area.casefold()), None)
        if match is None:
            fields["key_area"] = (f"“{key_area}” is not a key area of this engagement's rounds"
                                  + (f"; choose one of: {'; '.join(areas)}." if areas else "; no round names any yet."))
        key_area = match or key_area
    if not codes and not key_area and "standard_codes" not in fields and "key_area" not in fields:
        fields["standard_codes"] = "Tie the goal to at least one standard or to a key area."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return {"title": title, "description": description, "key_area": key_area,
            "standard_codes": sorted(set(codes), key=code_key)}


def _goal_snapshot(goal: Goal) -> dict:
    return audit.snapshot(goal) | {"standard_codes": goal.standard_codes}


def _set_codes(goal: Goal, codes: list[str]) -> None:
    goal.standards = [s for s in goal.standards if s.standard_code in codes]
    have = {s.standard_code for s in goal.standards}
    goal.standards.extend(GoalStandard(standard_code=c) for c in codes if c not in have)


def create_goal(session: Session, actor, engagement: Engagement, data: GoalInput) -> Goal:
    check_may_edit(session, actor, engagement)
    values = _clean_goal(session, engagement, data)
    codes = values.pop("standard_codes")
    last = session.scalar(sa.select(sa.func.max(Goal.position)).where(Goal.engagement_id == engagement.id)) or 0
    goal = Goal(engagement_id=engagement.id, position=last + 1, created_by_id=getattr(actor, "id", None), **values)
    _set_codes(goal, codes)
    session.add(goal)
    session.flush()
    audit.record(session, actor, "create", "plan_goal", goal.id, None, _goal_snapshot(goal))
    session.commit()
    return goal


def update_goal(session: Session, actor, goal: Goal, data: GoalInput) -> Goal:
    check_may_edit(session, actor, goal.engagement)
    values = _clean_goal(session, goal.engagement, data, goal)
    before = _goal_snapshot(goal)
    _set_codes(goal, values.pop("standard_codes"))
    for key, value in values.items():
        setattr(goal, key, value)
    session.flush()
    audit.record(session, actor, "update", "plan_goal", goal.id, before, _goal_snapshot(goal))
    session.commit()
    return goal


# --- milestones ---------------------------------------------------------------------

@dataclass
class MilestoneInput:
    title: str
    owner: str
    due_on: date | None
    status: str = MilestoneStatus.NOT_STARTED.value
    evidence: str = ""
    completed_on: date | None = None  # "done on": today when left out as the status becomes done


def _clean_milestone(data: MilestoneInput) -> dict:
    fields: dict[str, str] = {}
    out: dict = {}
    for name, limit, why in (("title", TITLE_MAX, "Say what will be achieved."), ("owner", OWNER_MAX, "Name who owns it.")):
        value = (getattr(data, name) or "").strip()
        if not value:
            fields[name] = why
        elif len(value) > limit:
            fields[name] = f"Use at most {limit} characters."
        out[name] = value
    if not isinstance(data.due_on, date):
        fields["due_on"] = "Give the due date (YYYY-MM-DD)."
    check_fields(fields, due_on=data.due_on)
    out["due_on"] = data.due_on
    try:
        out["status"] = MilestoneStatus(data.status)
    except ValueError:
        fields["status"] = f"Status must be one of {', '.join(s.value for s in MilestoneStatus)}."
    evidence = (data.evidence or "").strip()
    if len(evidence) > TEXT_MAX:
        fields["evidence"] = f"Evidence is limited to {TEXT_MAX:,} characters."
    out["evidence"] = evidence
    done_on = data.completed_on
    if done_on is not None and not isinstance(done_on, date):
        fields["completed_on"] = "Give the date it was done (YYYY-MM-DD)."
    elif done_on is not None and out.get("status") != MilestoneStatus.DONE:
        done_on = None  # only a done milestone has a "done on" date
    out["completed_on"] = done_on
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return out


def _apply_milestone(milestone: Milestone, values: dict, actor, today: date) -> None:
    """Set the values; new evidence is added to the dated history (the earlier
    entries stay) and becomes the milestone's latest evidence; "done on" is
    the date given, else today when the milestone becomes done."""
    values = dict(values)
    done_on = values.pop("completed_on", None)
    evidence = values.pop("evidence", "")
    was_done = milestone.status == MilestoneStatus.DONE
    for key, value in values.items():
        setattr(milestone, key, value)
    if milestone.status == MilestoneStatus.DONE:
        if done_on is not None:
            if done_on > today:
                raise ValidationFailed.for_field("completed_on", "The date it was done cannot be in the future.")
            milestone.completed_on = done_on
        elif not was_done or milestone.completed_on is None:
            milestone.completed_on = today
    else:
        milestone.completed_on = None
    if evidence and evidence != (milestone.evidence or ""):
        milestone.evidence = evidence
        milestone.evidence_history.insert(0, MilestoneEvidence(
            noted_on=today, text=evidence, status=milestone.status, created_by_id=getattr(actor, "id", None)))
    milestone.updated_by_id = getattr(actor, "id", None)


def add_milestone(session: Session, actor, goal: Goal, data: MilestoneInput, today: date) -> Milestone:
    check_may_edit(session, actor, goal.engagement)
    values = _clean_milestone(data)
    milestone = Milestone(goal_id=goal.id)
    milestone.status = MilestoneStatus.NOT_STARTED
    _apply_milestone(milestone, values, actor, today)
    session.add(milestone)
    session.flush()
    audit.record(session, actor, "create", "plan_milestone", milestone.id, None, audit.snapshot(milestone))
    session.commit()
    return milestone


def update_milestone(session: Session, actor, milestone: Milestone, changes: dict, today: date) -> Milestone:
    """Change some of title, owner, due_on, status, evidence.

    A client user of the engagement's authority may send status and evidence only.
    """
    engagement = milestone.goal.engagement
    unknown = set(changes) - set(MILESTONE_FIELDS)
    if unknown:
        raise ValidationFailed("Unknown milestone fields.", dict.fromkeys(sorted(unknown), "is not a milestone field"))
    if not _milestone_access(session, actor, engagement):
        refused = sorted(set(changes) - CLIENT_FIELDS)
        if refused:
            raise Forbidden("Client users can update a milestone's status and evidence only.",
                            dict.fromkeys(refused, "only the lead authority's team can change this"))
    current = {name: getattr(milestone, name) for name in MILESTONE_FIELDS}
    current["status"] = milestone.status.value
    values = _clean_milestone(MilestoneInput(**(current | changes)))
    before = audit.snapshot(milestone)
    _apply_milestone(milestone, values, actor, today)
    session.flush()
    audit.record(session, actor, "update", "plan_milestone", milestone.id, before, audit.snapshot(milestone))
    session.commit()
    return milestone


# --- overview -------------------------------------------------------------------------

@dataclass
class PlanCounts:
    goals: int = 0
    milestones: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    due_soon: int = 0


def plan_counts(goals: list[Goal], today: date) -> PlanCounts:
    counts = PlanCounts(goals=len(goals))
    for goal in goals:
        for m in goal.milestones:
            counts.milestones += 1
            counts.done += m.status == MilestoneStatus.DONE
            counts.dropped += m.status == MilestoneStatus.DROPPED
            counts.overdue += m.is_overdue(today)
            counts.due_soon += m.is_due_soon(today)
    return counts
