"""Support days can be tied to a goal of their engagement's action plan.

tracker.days knows nothing of plans: it runs the validators and appliers
that features register, and audits SupportDay.EXTRA_AUDIT_FIELDS. Pages and
the API pass the goal as ``DayInput.extra["goal_id"]`` (None clears it; a
missing key leaves the day's goal as it is).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.days import services as days
from tracker.days.models import SupportDay
from tracker.plans.models import Goal


def validate_goal(session: Session, clean, extra: dict, fields: dict) -> dict:
    if "goal_id" not in extra:
        return {}
    raw = extra["goal_id"]
    if raw in (None, "", 0, "0"):
        return {"goal_id": None}
    try:
        if isinstance(raw, bool):
            raise ValueError
        goal_id = int(raw)
    except (TypeError, ValueError):
        fields["goal_id"] = "Choose a goal of this engagement's action plan."
        return {}
    goal = session.get(Goal, goal_id)
    if goal is None:
        fields["goal_id"] = "No such goal."
    elif goal.engagement_id != clean.engagement.id:
        fields["goal_id"] = "That goal is not in this engagement's action plan."
    else:
        return {"goal_id": goal.id}
    return {}


def apply_goal(day: SupportDay, values: dict) -> None:
    if "goal_id" in values:
        day.goal_id = values["goal_id"]


def register() -> None:
    """Install the hooks once (importing tracker.plans calls this)."""
    if validate_goal not in days.EXTRA_VALIDATORS:
        days.EXTRA_VALIDATORS.append(validate_goal)
    if apply_goal not in days.EXTRA_APPLIERS:
        days.EXTRA_APPLIERS.append(apply_goal)
    SupportDay.EXTRA_AUDIT_FIELDS = ("goal_id",)
    # The week view offers each row's goal from the engagement's plan.
    from tracker.days import week_routes

    week_routes.ROW_EXTRAS["goal_id"] = _goal_options


def _goal_options(engagement) -> list[tuple[int, str]]:
    from tracker.extensions import db
    from tracker.plans.services import goal_choices

    return goal_choices(db.session, engagement.id)
