"""Engagement-scoped permissions, written once: who is on an engagement's team,
who may change its self-assessments, action plans and support days.

Self-assessments and action plans (pages and API alike):
- admins and managers change every engagement's rounds, scores and plans;
- a consultant changes them only on engagements whose team they are on
  (EngagementMember); other consultants and finance read only;
- a client user reads their own authority's rounds and plans, records and
  corrects their groups' scores, and updates milestone status and evidence;
  another authority's objects answer 404, as if they did not exist.

Support days: admins and managers change anyone's; a consultant records and
changes only their own, and only on engagements whose team they are on.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import MANAGERS, Role, is_system
from tracker.engagements.models import Engagement, EngagementMember
from tracker.errors import Forbidden


def staff_on_team(session: Session, staff_id: int | None, engagement_id: int) -> bool:
    """Is this staff member on the engagement's team (EngagementMember)?"""
    if staff_id is None:
        return False
    stmt = sa.select(EngagementMember.staff_id).where(
        EngagementMember.engagement_id == engagement_id, EngagementMember.staff_id == staff_id
    )
    return session.scalar(stmt) is not None


def is_on_team(session: Session, actor, engagement_id: int) -> bool:
    return staff_on_team(session, getattr(actor, "staff_id", None), engagement_id)


def may_edit(session: Session, actor, engagement: Engagement) -> bool:
    """Rounds, goals and milestones in full: managers, admins, the engagement's team."""
    if is_system(actor):  # CLI, demo
        return True
    role = getattr(actor, "role", None)
    if role in MANAGERS:
        return True
    return role == Role.CONSULTANT and is_on_team(session, actor, engagement.id)


def is_own_client(actor, engagement: Engagement) -> bool:
    return getattr(actor, "role", None) == Role.CLIENT and actor.authority_id == engagement.client_id


def may_score(session: Session, actor, engagement: Engagement) -> bool:
    """Group scores: the editors, and client users of the engagement's authority."""
    return may_edit(session, actor, engagement) or is_own_client(actor, engagement)


def check_may_edit(session: Session, actor, engagement: Engagement) -> None:
    if not may_edit(session, actor, engagement):
        raise Forbidden("Only managers and the engagement's team can change this.")


def check_may_score(session: Session, actor, engagement: Engagement) -> None:
    if not may_score(session, actor, engagement):
        raise Forbidden("Only the engagement's team and the client's own users can record scores.")


def visible(user, engagement: Engagement) -> bool:
    return getattr(user, "role", None) != Role.CLIENT or engagement.client_id == user.authority_id


def check_may_change_days(actor, staff_id: int) -> None:
    """Managers and admins record and change anyone's days; a consultant only their own."""
    if is_system(actor):  # CLI, demo, imports run by the system
        return
    role = getattr(actor, "role", None)
    if role in MANAGERS:
        return
    if role == Role.CONSULTANT and actor.staff_id is not None and actor.staff_id == staff_id:
        return
    if role == Role.CONSULTANT:
        raise Forbidden.for_field("staff_id", "You can record and change only your own days.")
    raise Forbidden("Your role cannot record support days.")


def check_logs_on_team(session: Session, actor, engagement: Engagement, staff_id: int) -> None:
    """A consultant logs days only on engagements whose team they are on."""
    if getattr(actor, "role", None) != Role.CONSULTANT:
        return
    if not staff_on_team(session, staff_id, engagement.id):
        raise Forbidden.for_field("engagement_id", f"You are not on the team for “{engagement.title}”; ask a manager.")
