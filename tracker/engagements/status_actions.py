"""Engagement status by explicit actions (Approve, Activate, Close, Reopen, and
back to proposed), each offered only from the state it applies to. Closing and
moving backwards need a confirmation and a reason, which is stored on the
status change and in the audit log. The API's PATCH status obeys the same
transitions (services.TRANSITIONS)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tracker.engagements import services
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.errors import InvalidTransition, ValidationFailed

S = EngagementStatus


@dataclass(frozen=True)
class StatusAction:
    name: str
    label: str
    sources: frozenset
    target: EngagementStatus
    #: Closing and moving backwards ask for a confirmation and a reason.
    needs_reason: bool
    question: str = ""


ACTIONS = {a.name: a for a in (
    StatusAction("approve", "Approve", frozenset({S.PROPOSED}), S.APPROVED, False),
    StatusAction("activate", "Activate", frozenset({S.APPROVED}), S.ACTIVE, False),
    StatusAction("close", "Close", frozenset({S.PROPOSED, S.APPROVED, S.ACTIVE}), S.CLOSED, True,
                 "Close this engagement? No more days can be planned on it."),
    StatusAction("reopen", "Reopen", frozenset({S.CLOSED}), S.ACTIVE, True,
                 "Reopen this closed engagement as active?"),
    StatusAction("unapprove", "Back to proposed", frozenset({S.APPROVED}), S.PROPOSED, True,
                 "Move this approved engagement back to proposed?"),
)}


def available(engagement: Engagement) -> list[StatusAction]:
    """The actions allowed from the engagement's current status, forward ones first."""
    return [a for a in ACTIONS.values()
            if engagement.status in a.sources and a.target in services.TRANSITIONS[engagement.status]]


def action_for(engagement: Engagement, name: str) -> StatusAction:
    action = ACTIONS.get(name or "")
    if action is None:
        raise ValidationFailed.for_field("action", "Choose one of the status buttons.")
    if engagement.status not in action.sources:
        raise InvalidTransition.for_field(
            "action", f"“{action.label}” is not possible: the engagement is {engagement.status.label.lower()}.")
    return action


def apply(session: Session, actor, engagement: Engagement, name: str, reason: str = "") -> Engagement:
    action = action_for(engagement, name)
    reason = (reason or "").strip()
    if action.needs_reason and not reason:
        raise ValidationFailed.for_field("reason", f"Give a reason to {action.label.lower()} the engagement.")
    if len(reason) > 255:
        raise ValidationFailed.for_field("reason", "Keep the reason to 255 characters.")
    return services.change_status(session, actor, engagement, action.target.value, reason)
