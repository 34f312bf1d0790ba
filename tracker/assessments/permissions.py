"""Who may do what with self-assessments and action plans (pages and API alike).

- admins and managers change every engagement's rounds, scores and plans;
- a consultant changes them only on engagements whose team they are on
  (EngagementMember); other consultants and finance read only;
- a client user reads their own authority's rounds and plans, records and
  corrects their groups' scores, and updates milestone status and evidence;
  another authority's objects answer 404, as if they did not exist.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import MANAGERS, Role
from tracker.engagements.models import Engagement, EngagementMember
from tracker.errors import Forbidden


def is_on_team(session: Session, actor, engagement_id: int) -> bool:
    staff_id = getattr(actor, "staff_id", None)
    if staff_id is None:
        return False
    stmt = sa.select(EngagementMember.staff_id).where(
        EngagementMember.engagement_id == engagement_id, EngagementMember.staff_id == staff_id
    )
    return session.scalar(stmt) is not None


def may_edit(session: Session, actor, engagement: Engagement) -> bool:
    """Rounds, goals and milestones in full: managers, admins, the engagement's team."""
    if isinstance(actor, str):  # CLI, demo
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
