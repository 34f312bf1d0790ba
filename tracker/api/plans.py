"""Action plans: goals and their milestones."""

from __future__ import annotations

from flask_login import current_user

from tracker import clock
from tracker.access import DELIVERERS, Role, roles, signed_in
from tracker.api.core import api_bp, list_response, load, operation, paging
from tracker.api.schema import Bool, Date, Dec, Int, ListOf, Schema, Str
from tracker.assessments.services import KEY_AREA_MAX
from tracker.engagements.services import engagement_for_editing, get_engagement
from tracker.extensions import db
from tracker.pagination import paginate
from tracker.plans import services
from tracker.plans.models import MilestoneStatus
from tracker.plans.services import OWNER_MAX, TEXT_MAX, TITLE_MAX

GoalSchema = Schema("Goal", {
    "id": Int(read_only=True),
    "engagement_id": Int(read_only=True),
    "position": Int(read_only=True, description="Goal 1, 2, … in the plan."),
    "title": Str(required=True, min_length=1, max_length=TITLE_MAX),
    "description": Str(max_length=TEXT_MAX, default=""),
    "standard_codes": ListOf(Str(max_length=8), max_items=40, default=[],
                             description="SAP standards the goal addresses, e.g. [\"1.3\", \"2.1\"]."),
    "key_area": Str(max_length=KEY_AREA_MAX, nullable=True, default=None,
                    description="One of the key areas the engagement's rounds name, or null."),
    "milestones_total": Int(read_only=True),
    "milestones_done": Int(read_only=True),
    "milestones_overdue": Int(read_only=True),
    "support_days": Dec(2, read_only=True, description="Support days tied to the goal."),
}, description="A goal needs at least one standard code or a key area.")

MilestoneSchema = Schema("Milestone", {
    "id": Int(read_only=True),
    "goal_id": Int(read_only=True),
    "title": Str(required=True, min_length=1, max_length=TITLE_MAX),
    "owner": Str(required=True, min_length=1, max_length=OWNER_MAX),
    "due_on": Date(required=True),
    "status": Str(enum=[s.value for s in MilestoneStatus], default=MilestoneStatus.NOT_STARTED.value),
    "evidence": Str(max_length=TEXT_MAX, default=""),
    "completed_on": Date(read_only=True, nullable=True, description="Set when the status becomes done."),
    "overdue": Bool(read_only=True, description="Open and past its due date."),
    "due_soon": Bool(read_only=True, description="Open and due within 14 days."),
}, description="Client users may change status and evidence only.")


def _today():
    return clock.today()


def dump_goal(goal, days=None) -> dict:
    today = _today()
    if days is None:
        days = services.days_by_goal(db.session, goal.engagement_id)
    return GoalSchema.dump(
        goal, key_area=goal.key_area or None, milestones_total=len(goal.milestones),
        milestones_done=sum(m.status == MilestoneStatus.DONE for m in goal.milestones),
        milestones_overdue=sum(m.is_overdue(today) for m in goal.milestones),
        support_days=days.get(goal.id, 0),
    )


def dump_milestone(milestone) -> dict:
    today = _today()
    return MilestoneSchema.dump(milestone, overdue=milestone.is_overdue(today), due_soon=milestone.is_due_soon(today))


def _goal_input(data: dict, base=None) -> services.GoalInput:
    current = {"title": base.title, "description": base.description, "standard_codes": base.standard_codes,
               "key_area": base.key_area} if base is not None else {}
    merged = current | data
    merged["key_area"] = merged.get("key_area") or ""
    return services.GoalInput(**merged)


@signed_in
@api_bp.get("/engagements/<int:engagement_id>/goals")
@operation("An engagement's action-plan goals", tags=["action plans"], list_of=GoalSchema)
def list_goals(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    page, per_page = paging()
    days = services.days_by_goal(db.session, engagement.id)
    return list_response(GoalSchema, paginate(db.session, services.goals_query(engagement.id), page, per_page),
                         lambda g: dump_goal(g, days))


@roles(*DELIVERERS)
@api_bp.post("/engagements/<int:engagement_id>/goals")
@operation("Add a goal", tags=["action plans"], request=GoalSchema, response=GoalSchema, status=201)
def create_goal(engagement_id: int):
    engagement = engagement_for_editing(db.session, current_user, engagement_id)
    goal = services.create_goal(db.session, current_user, engagement, _goal_input(load(GoalSchema)))
    return dump_goal(goal), 201


@signed_in
@api_bp.get("/goals/<int:goal_id>")
@operation("One goal", tags=["action plans"], response=GoalSchema)
def get_goal(goal_id: int):
    return dump_goal(services.get_goal(db.session, current_user, goal_id))


@roles(*DELIVERERS)
@api_bp.patch("/goals/<int:goal_id>")
@operation("Change a goal", tags=["action plans"], request=GoalSchema, partial=True, response=GoalSchema)
def update_goal(goal_id: int):
    goal = services.goal_for_editing(db.session, current_user, goal_id)
    data = load(GoalSchema, partial=True)
    if data:
        services.update_goal(db.session, current_user, goal, _goal_input(data, goal))
    return dump_goal(goal)


@signed_in
@api_bp.get("/goals/<int:goal_id>/milestones")
@operation("A goal's milestones, by due date", tags=["action plans"], list_of=MilestoneSchema)
def list_milestones(goal_id: int):
    goal = services.get_goal(db.session, current_user, goal_id)
    page, per_page = paging()
    return list_response(MilestoneSchema, paginate(db.session, services.milestones_query(goal.id), page, per_page),
                         dump_milestone)


@roles(*DELIVERERS)
@api_bp.post("/goals/<int:goal_id>/milestones")
@operation("Add a milestone", tags=["action plans"], request=MilestoneSchema, response=MilestoneSchema, status=201)
def create_milestone(goal_id: int):
    goal = services.goal_for_editing(db.session, current_user, goal_id)
    data = load(MilestoneSchema)
    milestone = services.add_milestone(db.session, current_user, goal, services.MilestoneInput(**data), _today())
    return dump_milestone(milestone), 201


@signed_in
@api_bp.get("/milestones/<int:milestone_id>")
@operation("One milestone", tags=["action plans"], response=MilestoneSchema)
def get_milestone(milestone_id: int):
    return dump_milestone(services.get_milestone(db.session, current_user, milestone_id))


@roles(*DELIVERERS, Role.CLIENT)
@api_bp.patch("/milestones/<int:milestone_id>")
@operation("Update a milestone (client users: status and evidence only)", tags=["action plans"],
           request=MilestoneSchema, partial=True, response=MilestoneSchema)
def update_milestone(milestone_id: int):
    milestone = services.get_milestone(db.session, current_user, milestone_id)
    data = load(MilestoneSchema, partial=True)
    services.update_milestone(db.session, current_user, milestone, data, _today())
    return dump_milestone(milestone)
