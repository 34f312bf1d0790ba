"""Days and income per engagement, aggregated in SQL (one query for many)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.billing import rule
from tracker.cache_scope import Scope
from tracker.database import dsum
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement
from tracker.estimate_position import NEAR_FROM, EstimatePosition, estimate_position
from tracker.money import ZERO, line_net

AMBER_FROM = NEAR_FROM  # of the high estimate


@dataclass(frozen=True)
class EngagementFigures:
    days_delivered: Decimal  # delivered + invoiced
    days_planned: Decimal
    billable_days_delivered: Decimal
    income_delivered: Decimal  # billable delivered days priced by the one rule (docs/finance.md)
    estimate_low: Decimal
    estimate_high: Decimal
    day_rate: Decimal
    days_written_off: Decimal = ZERO  # credited and written off: never billable again
    income_written_off: Decimal = ZERO

    @property
    def days_committed(self) -> Decimal:
        return self.days_delivered + self.days_planned

    @property
    def income_planned(self) -> Decimal:
        return line_net(self.days_planned, self.day_rate)

    @property
    def estimate(self) -> EstimatePosition:
        return estimate_position(self.days_delivered, self.days_planned, self.estimate_high)

    @property
    def flag(self) -> str:
        """green (within estimate), amber (past 80% of the high estimate), red
        (over it), or none when there is no estimate (e.g. shared-service
        development): the colour of tracker.estimate_position's one rule."""
        return self.estimate.colour

    def percent_of_high(self, amount: Decimal) -> Decimal:
        if self.estimate_high <= 0:
            return Decimal("100") if amount else Decimal("0")
        return (amount / self.estimate_high * 100).quantize(Decimal("0.1"))


def _pounds(pennies) -> Decimal:
    return (Decimal(int(pennies or 0)) / 100).quantize(Decimal("0.01"))


def figures_for(session: Session, engagements: list[Engagement]) -> dict[int, EngagementFigures]:
    ids = [e.id for e in engagements]
    sums: dict[int, dict] = {i: {} for i in ids}
    if ids:
        done = SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED])
        stmt = (
            sa.select(
                SupportDay.engagement_id,
                dsum(sa.case((done, SupportDay.days), else_=0)).label("delivered"),
                dsum(sa.case((SupportDay.state == DayState.PLANNED, SupportDay.days), else_=0)).label("planned"),
                dsum(sa.case((sa.and_(done, SupportDay.billable), SupportDay.days), else_=0)).label("billable"),
            )
            .where(SupportDay.engagement_id.in_(ids))
            .group_by(SupportDay.engagement_id)
        )
        for row in session.execute(stmt):
            sums[row.engagement_id] = {"delivered": row.delivered, "planned": row.planned, "billable": row.billable}
        # £ by the pricing rule: the sum of pricing lines, as invoices and reports have it.
        priced = rule.priced({"engagement_id": SupportDay.engagement_id}, SupportDay.engagement_id.in_(ids))
        for row in session.execute(priced):
            sums[row.engagement_id]["pennies"] = row.pennies
            sums[row.engagement_id]["written_off"] = row.written_off
        off = sa.select(SupportDay.engagement_id, dsum(SupportDay.days)).where(
            SupportDay.engagement_id.in_(ids), SupportDay.written_off.is_(True)).group_by(SupportDay.engagement_id)
        for engagement_id, days_off in session.execute(off):
            sums[engagement_id]["days_off"] = days_off
    result = {}
    for e in engagements:
        s = sums[e.id]
        billable = Decimal(s.get("billable", ZERO))
        result[e.id] = EngagementFigures(
            days_delivered=Decimal(s.get("delivered", ZERO)).quantize(Decimal("0.01")),
            days_planned=Decimal(s.get("planned", ZERO)).quantize(Decimal("0.01")),
            billable_days_delivered=billable.quantize(Decimal("0.01")),
            income_delivered=_pounds(s.get("pennies")),
            estimate_low=e.estimated_days_low, estimate_high=e.estimated_days_high, day_rate=e.day_rate,
            days_written_off=Decimal(s.get("days_off", ZERO)).quantize(Decimal("0.01")),
            income_written_off=_pounds(s.get("written_off")),
        )
    return result


def figures_of(session: Session, engagement: Engagement) -> EngagementFigures:
    return figures_for(session, [engagement])[engagement.id]


def shared_figures_for(session: Session, engagements: list[Engagement]) -> dict[int, EngagementFigures]:
    """figures_for, each engagement's figures kept (tracker/results_cache.py) until a change
    touches that engagement's days or anything else but days (an invoice, the engagement
    itself): logging a day on one engagement leaves every other's figures kept. The ones
    not kept are computed together, in the same few queries as figures_for."""
    if not results_cache.enabled():
        return figures_for(session, engagements)
    result: dict[int, EngagementFigures] = {}
    for e in engagements:
        kept = results_cache.lookup(session, "engagement-figures", e.id)
        if kept is not results_cache.MISSING:
            result[e.id] = kept
    missing = [e for e in engagements if e.id not in result]
    if missing:
        stamp = results_cache.data_stamp(session)  # before computing
        for engagement_id, figures in figures_for(session, missing).items():
            results_cache.store(session, "engagement-figures", engagement_id, figures, stamp,
                                Scope.of_engagements([engagement_id]))
            result[engagement_id] = figures
    return result


def shared_figures_of(session: Session, engagement: Engagement) -> EngagementFigures:
    """One engagement's figures, kept as shared_figures_for keeps them: for pages that
    show one engagement's totals on every request (its day list)."""
    return shared_figures_for(session, [engagement])[engagement.id]
