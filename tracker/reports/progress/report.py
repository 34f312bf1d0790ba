"""The client progress report: what one engagement has delivered against its
estimate, what it has earned and invoiced, how the self-assessment scores
moved round by round, how the action plan is going, and what comes next.

Days and £ by activity are one GROUP BY query; engagement totals come from
tracker.days.figures and tracker.billing.queries; section means from
tracker.assessments.summary; milestone counts from tracker.plans.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from tracker.assessments import framework
from tracker.assessments.summary import Figures, section_means_by_round
from tracker.billing.queries import income_invoiced
from tracker.days.figures import EngagementFigures, day_sums, figures_from
from tracker.days.models import Activity, DayState, SupportDay
from tracker.engagements.models import Engagement
from tracker.exports import Column
from tracker.money import ZERO
from tracker.plans.models import Goal
from tracker.plans.services import PlanCounts, goals_query, plan_counts
from tracker.staff.models import StaffMember

NEXT_DAYS = 5
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    days_delivered: Decimal  # delivered + invoiced
    days_planned: Decimal
    billable_days: Decimal  # delivered billable days
    income_delivered: Decimal  # billable delivered days × the engagement's rate

    @property
    def label(self) -> str:
        return self.activity.label


@dataclass(frozen=True)
class RoundScores:
    assessment_id: int
    label: str
    assessed_on: date
    sections: dict[int, Figures]  # section number → figures (mean, n ...)

    def mean(self, section: int) -> Decimal | None:
        figures = self.sections.get(section)
        return figures.mean if figures else None


@dataclass(frozen=True)
class PlannedDay:
    worked_on: date
    staff_name: str
    activity: Activity
    days: Decimal


@dataclass
class ProgressReport:
    engagement: Engagement
    today: date
    activities: list[ActivityRow]
    figures: EngagementFigures
    income_invoiced: Decimal
    section_titles: dict[int, str]
    rounds: list[RoundScores]
    key_areas: list[str]  # of the latest round
    milestones: PlanCounts
    next_days: list[PlannedDay] = field(default_factory=list)
    overdue: list = field(default_factory=list)  # the overdue milestones themselves, most overdue first

    @property
    def estimate_low_value(self) -> Decimal:
        return self.engagement.estimate_low_value

    @property
    def estimate_high_value(self) -> Decimal:
        return self.engagement.estimate_high_value

    @property
    def latest_round(self) -> RoundScores | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def milestones_total(self) -> int:
        """Milestones that count: all but the dropped ones."""
        return self.milestones.milestones - self.milestones.dropped

    @property
    def milestones_open(self) -> int:
        return self.milestones_total - self.milestones.done

    def share_of_high(self, days: Decimal) -> Decimal | None:
        """days as a percentage of the high estimate (one decimal), None without an estimate."""
        high = self.figures.estimate_high
        return None if high <= 0 else (days / high * 100).quantize(Decimal("0.1"))


def _days(value) -> Decimal:
    return Decimal(value or ZERO).quantize(HUNDREDTH)


def activity_figures(session: Session, engagement: Engagement) -> tuple[list[ActivityRow], EngagementFigures]:
    """Days and £ by activity, in the activities' own order, and the engagement's figures
    as their totals: one pair of aggregate queries (tracker/days/figures.py day_sums).
    £ is the pricing rule's: pricing lines never span activities, so the activities'
    £ add up to the engagement's exactly."""
    sums = {Activity(activity): row for (_engagement, activity), row in
            day_sums(session, [engagement.id], by_activity=True).items()}
    billed = engagement.is_billable_kind
    rows = [
        ActivityRow(activity, _days(s["delivered"]), _days(s["planned"]), _days(s["billable"]),
                    (Decimal(int(s.get("pennies") or 0)) / 100).quantize(HUNDREDTH) if billed else ZERO)
        for activity in Activity if activity in sums for s in [sums[activity]]
    ]
    return rows, figures_from(engagement, list(sums.values()))


def activity_rows(session: Session, engagement: Engagement) -> list[ActivityRow]:
    return activity_figures(session, engagement)[0]


def next_planned_days(session: Session, engagement_id: int, today: date, limit: int = NEXT_DAYS) -> list[PlannedDay]:
    stmt = (
        sa.select(SupportDay.worked_on, StaffMember.name, SupportDay.activity, SupportDay.days)
        .join(StaffMember, StaffMember.id == SupportDay.staff_id)
        .where(SupportDay.engagement_id == engagement_id, SupportDay.state == DayState.PLANNED,
               SupportDay.worked_on >= today)
        .order_by(SupportDay.worked_on, StaffMember.name, SupportDay.id)
        .limit(limit)
    )
    return [PlannedDay(on, name, Activity(activity), _days(days)) for on, name, activity, days in session.execute(stmt)]


def progress_report(session: Session, engagement: Engagement, today: date) -> ProgressReport:
    activities, figures = activity_figures(session, engagement)
    if not engagement.is_billable_kind:
        figures = replace(figures, income_delivered=ZERO)  # shared-service development is not billed
    by_round = section_means_by_round(session, engagement.id)
    goals = list(session.scalars(goals_query(engagement.id).options(selectinload(Goal.milestones))))
    return ProgressReport(
        engagement=engagement,
        today=today,
        activities=activities,
        figures=figures,
        income_invoiced=income_invoiced(session, [engagement.id])[engagement.id],
        section_titles={s.number: s.title for s in framework.current_version(session).sections},
        rounds=[RoundScores(r.id, r.label, r.assessed_on, sections) for r, sections in by_round],
        key_areas=list(by_round[-1][0].key_areas or []) if by_round else [],
        milestones=plan_counts(goals, today),
        next_days=next_planned_days(session, engagement.id, today),
        overdue=sorted((m for g in goals for m in g.milestones if m.is_overdue(today)), key=lambda m: (m.due_on, m.id)),
    )



# --- the activity table, for CSV and XLSX ---------------------------------------------

def activity_table(report: ProgressReport):
    """(columns, rows, totals) of days and £ by activity: what the page's table shows."""

    columns = [
        Column("activity", "Activity"), Column("days_delivered", "Days delivered", "days"),
        Column("days_planned", "Days planned", "days"), Column("income_delivered", "Income delivered (£)", "money"),
    ]
    rows = [{"activity": r.label, "days_delivered": r.days_delivered, "days_planned": r.days_planned,
             "income_delivered": r.income_delivered} for r in report.activities]
    totals = {"activity": "Total", "days_delivered": report.figures.days_delivered,
              "days_planned": report.figures.days_planned, "income_delivered": report.figures.income_delivered}
    return columns, rows, totals
