"""Each support package's estimate band against its days: delivered, planned
and the forecast to completion (delivered + planned), in days and £.

Days are billable days of the engagement over its whole life (not only the
report's period); £ = days × the engagement's day rate, rounded half-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.authorities.models import Authority
from tracker.cache_scope import ALL_DATA, Change
from tracker.database import dsum
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind, EngagementStatus
from tracker.estimate_position import EstimatePosition, estimate_position
from tracker.money import line_net


@dataclass(frozen=True)
class EstimateBand:
    engagement_id: int
    title: str
    client_name: str
    status: str
    day_rate: Decimal
    low_days: Decimal
    high_days: Decimal
    delivered_days: Decimal
    planned_days: Decimal

    @property
    def forecast_days(self) -> Decimal:
        return self.delivered_days + self.planned_days

    @property
    def low_value(self) -> Decimal:
        return line_net(self.low_days, self.day_rate)

    @property
    def high_value(self) -> Decimal:
        return line_net(self.high_days, self.day_rate)

    @property
    def delivered_value(self) -> Decimal:
        return line_net(self.delivered_days, self.day_rate)

    @property
    def planned_value(self) -> Decimal:
        return line_net(self.planned_days, self.day_rate)

    @property
    def forecast_value(self) -> Decimal:
        return line_net(self.forecast_days, self.day_rate)

    @property
    def estimate(self) -> EstimatePosition:
        """Within, near or over the high estimate, by forecast (tracker.estimate_position)."""
        return estimate_position(self.delivered_days, self.planned_days, self.high_days)

    @property
    def position(self) -> str:
        """below, within or above the estimate band (by forecast days)."""
        if self.forecast_days < self.low_days:
            return "below"
        if self.forecast_days > self.high_days:
            return "above"
        return "within"


def estimate_bands(session: Session, start: date, end: date, client_id: int | None = None,
                   only: frozenset[int] | None = None) -> list[EstimateBand]:
    """Support packages (not merely proposed) whose dates overlap the period (of ``only`` these ids)."""
    wanted = sa.and_(
        Engagement.kind == EngagementKind.SUPPORT_PACKAGE, Engagement.status != EngagementStatus.PROPOSED,
        Engagement.start_date <= end, sa.or_(Engagement.end_date.is_(None), Engagement.end_date >= start),
    )
    if client_id:
        wanted = sa.and_(wanted, Engagement.client_id == client_id)
    if only is not None:
        wanted = sa.and_(wanted, Engagement.id.in_(only))
    done = SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED])
    sums = (
        sa.select(SupportDay.engagement_id,
                  dsum(sa.case((done, SupportDay.days), else_=0)).label("delivered"),
                  dsum(sa.case((SupportDay.state == DayState.PLANNED, SupportDay.days), else_=0)).label("planned"))
        .where(SupportDay.billable.is_(True), SupportDay.engagement_id.in_(sa.select(Engagement.id).where(wanted)))
        .group_by(SupportDay.engagement_id)
        .subquery()
    )
    stmt = (
        sa.select(Engagement.id, Engagement.title, Authority.name, Engagement.status, Engagement.day_rate,
                  Engagement.estimated_days_low, Engagement.estimated_days_high,
                  sa.func.coalesce(sums.c.delivered, 0), sa.func.coalesce(sums.c.planned, 0))
        .join(Authority, Authority.id == Engagement.client_id)
        .outerjoin(sums, sums.c.engagement_id == Engagement.id)
        .where(wanted)
        .order_by(Authority.name, Engagement.start_date, Engagement.id)
    )
    two = Decimal("0.01")
    return [EstimateBand(i, title, client, EngagementStatus(status).value, rate, low, high,
                         Decimal(delivered).quantize(two), Decimal(planned).quantize(two))
            for i, title, client, status, rate, low, high, delivered, planned in session.execute(stmt)]


def cached_estimate_bands(session: Session, start: date, end: date, client_id: int | None = None) -> list[EstimateBand]:
    """estimate_bands, kept until data changes (the page and the API both call this). When only
    some engagements' days changed, just their bands are recomputed: which packages the
    list holds depends on the engagements alone, and any change to one recomputes it all."""

    def refresh(bands: list[EstimateBand], changes: list[Change]) -> list[EstimateBand]:
        touched = frozenset().union(*(c.engagements for c in changes))
        fresh = {b.engagement_id: b for b in estimate_bands(session, start, end, client_id, only=touched)}
        return [fresh.get(b.engagement_id, b) for b in bands]

    return results_cache.cached(session, "income-bands", (start, end, client_id),
                                lambda: estimate_bands(session, start, end, client_id), scope=ALL_DATA, refresh=refresh)
