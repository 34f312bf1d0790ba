"""What each role's home page shows. Plain functions with explicit arguments
(a staff id, an authority id, today); every figure is aggregated in SQL, one
query (or one service call) per panel, never a query per row.

- consultant: their week (days delivered and planned) and their next bookings;
- manager / admin: this month's capacity flags and active engagements near or
  past their estimate (delivered + planned past 80% of the high estimate);
- finance: work waiting to be invoiced and overdue invoices;
- client: their engagements' progress (days, milestones) with the report link.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import dates
from tracker.authorities.models import Authority
from tracker.billing import queries as billing
from tracker.billing.models import Invoice
from tracker.database import dsum
from tracker.days.figures import EngagementFigures, figures_for
from tracker.days.models import Activity, DayState, SupportDay
from tracker.days.week import week_start
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.money import ZERO
from tracker.plans.models import Goal, Milestone, MilestoneStatus
from tracker.reports.capacity import report as capacity
from tracker.reports.capacity import reviews

UPCOMING = 8
OVERDUE_LISTED = 10


# --- consultant -------------------------------------------------------------------

@dataclass(frozen=True)
class Booking:
    worked_on: date
    engagement_id: int
    engagement_title: str
    client_name: str
    activity: Activity
    days: Decimal


@dataclass
class ConsultantDashboard:
    week_start: date
    delivered: Decimal = ZERO  # this week, delivered or invoiced
    planned: Decimal = ZERO  # this week, planned
    upcoming: list[Booking] = field(default_factory=list)


def consultant_dashboard(session: Session, staff_id: int | None, today: date) -> ConsultantDashboard:
    monday = week_start(today)
    board = ConsultantDashboard(monday)
    if staff_id is None:
        return board
    planned = SupportDay.state == DayState.PLANNED
    delivered, planned_days = session.execute(
        sa.select(dsum(sa.case((planned, 0), else_=SupportDay.days)), dsum(sa.case((planned, SupportDay.days), else_=0)))
        .where(SupportDay.staff_id == staff_id, SupportDay.worked_on.between(monday, monday + timedelta(days=6)))
    ).one()
    board.delivered, board.planned = Decimal(delivered), Decimal(planned_days)
    stmt = (
        sa.select(SupportDay.worked_on, Engagement.id, Engagement.title, Authority.name, SupportDay.activity,
                  SupportDay.days)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .join(Authority, Authority.id == Engagement.client_id)
        .where(SupportDay.staff_id == staff_id, SupportDay.state == DayState.PLANNED, SupportDay.worked_on >= today)
        .order_by(SupportDay.worked_on, SupportDay.id)
        .limit(UPCOMING)
    )
    board.upcoming = [Booking(on, eid, title, client, Activity(activity), Decimal(days))
                      for on, eid, title, client, activity, days in session.execute(stmt)]
    return board


# --- manager / admin ----------------------------------------------------------------

@dataclass(frozen=True)
class EngagementProgress:
    engagement: Engagement
    figures: EngagementFigures

    @property
    def share_of_high(self) -> Decimal:
        return self.figures.percent_of_high(self.figures.days_committed)


@dataclass
class ManagerDashboard:
    month: date
    capacity: capacity.CapacityReport
    review_status: str  # "signed", "draft" or "none"
    near_estimate: list[EngagementProgress]

    @property
    def flagged(self) -> list[capacity.StaffRow]:
        """Staff flagged red or amber this month, red first."""
        order = {"red": 0, "amber": 1}
        return sorted((r for r in self.capacity.rows if r.flag in order), key=lambda r: (order[r.flag], r.name))


def engagements_near_estimate(session: Session) -> list[EngagementProgress]:
    """Active engagements whose delivered + planned days are past 80% of the high
    estimate: the same amber/red flag as the engagement page's progress bar."""
    active = list(session.scalars(
        sa.select(Engagement).where(Engagement.status == EngagementStatus.ACTIVE, Engagement.estimated_days_high > 0)
    ))
    figures = figures_for(session, active)
    near = [EngagementProgress(e, figures[e.id]) for e in active
            if figures[e.id].flag in ("amber", "red")]
    return sorted(near, key=lambda p: (-p.share_of_high, p.engagement.title))


def manager_dashboard(session: Session, today: date) -> ManagerDashboard:
    month = dates.month_start(today)
    review = reviews.review_for(session, month)
    return ManagerDashboard(
        month=month, capacity=reviews.report_of(session, review, month),
        review_status=review.status.value if review else "none",
        near_estimate=engagements_near_estimate(session),
    )


# --- finance ------------------------------------------------------------------------

@dataclass
class FinanceDashboard:
    waiting: list[billing.WaitingClient]
    overdue: list[Invoice]
    overdue_totals: billing.Totals

    @property
    def waiting_days(self) -> Decimal:
        return sum((c.days for c in self.waiting), ZERO)

    @property
    def waiting_net(self) -> Decimal:
        return sum((c.net for c in self.waiting), ZERO)


def finance_dashboard(session: Session, today: date) -> FinanceDashboard:
    stmt = billing.filtered(None, billing.InvoiceFilters(status="overdue"), today)
    overdue = list(session.scalars(stmt.order_by(Invoice.due_on, Invoice.id).limit(OVERDUE_LISTED)))
    return FinanceDashboard(billing.uninvoiced(session, today), overdue, billing.totals(session, stmt))


# --- client -------------------------------------------------------------------------

@dataclass(frozen=True)
class MilestoneCounts:
    total: int = 0  # not dropped
    done: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class ClientEngagement:
    engagement: Engagement
    figures: EngagementFigures
    milestones: MilestoneCounts


def milestone_counts(session: Session, engagement_ids: list[int], today: date) -> dict[int, MilestoneCounts]:
    if not engagement_ids:
        return {}
    open_ = Milestone.status.in_([MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS])
    stmt = (
        sa.select(Goal.engagement_id,
                  sa.func.count(Milestone.id).filter(Milestone.status != MilestoneStatus.DROPPED),
                  sa.func.count(Milestone.id).filter(Milestone.status == MilestoneStatus.DONE),
                  sa.func.count(Milestone.id).filter(open_, Milestone.due_on < today))
        .join(Goal, Goal.id == Milestone.goal_id)
        .where(Goal.engagement_id.in_(engagement_ids))
        .group_by(Goal.engagement_id)
    )
    return {eid: MilestoneCounts(total, done, overdue) for eid, total, done, overdue in session.execute(stmt)}


def client_dashboard(session: Session, authority_id: int, today: date) -> list[ClientEngagement]:
    engagements = list(session.scalars(
        sa.select(Engagement)
        .where(Engagement.client_id == authority_id)
        .order_by(Engagement.status == EngagementStatus.CLOSED, Engagement.start_date.desc(), Engagement.id.desc())
    ))
    figures = figures_for(session, engagements)
    counts = milestone_counts(session, [e.id for e in engagements], today)
    return [ClientEngagement(e, figures[e.id], counts.get(e.id, MilestoneCounts())) for e in engagements]
