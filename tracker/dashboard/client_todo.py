"""A client user's home leads with what needs them: the self-assessment rounds
to score, the action-plan milestones due or overdue, and recent invoices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from tracker.assessments.models import Assessment, AssessmentResponse
from tracker.billing.models import Invoice, InvoiceStatus
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.plans.models import DUE_SOON_DAYS, Goal, Milestone, MilestoneStatus

#: A round is open for scoring from a fortnight before its date until 90 days after.
ROUND_OPEN_BEFORE = timedelta(days=14)
ROUND_OPEN_AFTER = timedelta(days=90)
RECENT_INVOICES = 3


@dataclass(frozen=True)
class RoundToScore:
    assessment: Assessment
    engagement: Engagement
    groups: int  # group responses recorded so far


@dataclass
class ClientToDo:
    rounds: list[RoundToScore] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)  # overdue first, then due soon
    invoices: list[Invoice] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.rounds or self.milestones or self.invoices)


def rounds_to_score(session: Session, authority_id: int, today: date) -> list[RoundToScore]:
    """The latest round of each of the authority's open engagements, while it is
    open for scoring (a fortnight before its date to 90 days after)."""
    latest = (sa.select(Assessment.engagement_id, sa.func.max(Assessment.assessed_on).label("on"))
              .group_by(Assessment.engagement_id).subquery())
    groups = (sa.select(sa.func.count(AssessmentResponse.id))
              .where(AssessmentResponse.assessment_id == Assessment.id).scalar_subquery())
    stmt = (
        sa.select(Assessment, Engagement, groups)
        .join(Engagement, Engagement.id == Assessment.engagement_id)
        .join(latest, sa.and_(latest.c.engagement_id == Assessment.engagement_id, latest.c.on == Assessment.assessed_on))
        .where(Engagement.client_id == authority_id, Engagement.status != EngagementStatus.CLOSED,
               Assessment.assessed_on <= today + ROUND_OPEN_BEFORE, Assessment.assessed_on >= today - ROUND_OPEN_AFTER)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
    )
    return [RoundToScore(a, e, n) for a, e, n in session.execute(stmt)]


def milestones_due(session: Session, authority_id: int, today: date) -> list[Milestone]:
    """Open milestones of the authority's engagements that are overdue or due
    within the fortnight, most overdue first."""
    stmt = (
        sa.select(Milestone).join(Goal, Goal.id == Milestone.goal_id)
        .join(Engagement, Engagement.id == Goal.engagement_id)
        .where(Engagement.client_id == authority_id,
               Milestone.status.in_([MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS]),
               Milestone.due_on <= today + timedelta(days=DUE_SOON_DAYS))
        .options(joinedload(Milestone.goal))
        .order_by(Milestone.due_on, Milestone.id)
    )
    return list(session.scalars(stmt).unique())


def recent_invoices(session: Session, authority_id: int) -> list[Invoice]:
    """The authority's latest issued invoices and credit notes (never drafts)."""
    stmt = (sa.select(Invoice).where(Invoice.client_id == authority_id, Invoice.status != InvoiceStatus.DRAFT)
            .order_by(Invoice.issued_on.desc(), Invoice.id.desc()).limit(RECENT_INVOICES))
    return list(session.scalars(stmt).unique())


def client_to_do(session: Session, authority_id: int, today: date) -> ClientToDo:
    return ClientToDo(rounds_to_score(session, authority_id, today), milestones_due(session, authority_id, today),
                      recent_invoices(session, authority_id))
