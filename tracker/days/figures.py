"""Days and income per engagement, aggregated in SQL (one query for many)."""

from __future__ import annotations

import functools
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


@functools.cache
def _priced(by_activity: bool) -> sa.Select:
    """The pricing rule's sums by engagement (and activity), for the engagements bound as
    ``ids``: built once, as building the rule's statement takes longer than running it
    for one engagement. The figures have no WIP, so its claim lookups are skipped."""
    keys = {"engagement_id": SupportDay.engagement_id} | ({"activity": SupportDay.activity} if by_activity else {})
    return rule.priced(keys, SupportDay.engagement_id.in_(sa.bindparam("ids", expanding=True)), with_wip=False)


@functools.cache
def _day_sums(by_activity: bool) -> sa.Select:
    """Days delivered (incl. invoiced), planned, billable delivered and written off by
    engagement (and activity), for the engagements bound as ``ids``."""
    done = SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED])
    keys = [SupportDay.engagement_id, *([SupportDay.activity] if by_activity else [])]
    return (
        sa.select(
            *keys,
            dsum(sa.case((done, SupportDay.days), else_=0)).label("delivered"),
            dsum(sa.case((SupportDay.state == DayState.PLANNED, SupportDay.days), else_=0)).label("planned"),
            dsum(sa.case((sa.and_(done, SupportDay.billable), SupportDay.days), else_=0)).label("billable"),
            dsum(sa.case((SupportDay.written_off.is_(True), SupportDay.days), else_=0)).label("days_off"),
        )
        .where(SupportDay.engagement_id.in_(sa.bindparam("ids", expanding=True)))
        .group_by(*keys)
    )


_NO_DAYS = {"delivered": ZERO, "planned": ZERO, "billable": ZERO, "days_off": ZERO}


def day_sums(session: Session, ids: list[int], by_activity: bool = False) -> dict[tuple, dict]:
    """{(engagement_id,) or (engagement_id, activity): {delivered, planned, billable,
    days_off, pennies, written_off}} in two queries: the day sums and the pricing rule's
    (£ as invoices and reports have it). Only keys with days appear."""
    sums: dict[tuple, dict] = {}
    if not ids:
        return sums
    for row in session.execute(_day_sums(by_activity), {"ids": ids}):
        sums[tuple(row[:2] if by_activity else row[:1])] = {
            "delivered": row.delivered, "planned": row.planned, "billable": row.billable, "days_off": row.days_off}
    for row in session.execute(_priced(by_activity), {"ids": ids}):
        # A day committed between the two queries (PostgreSQL reads each at its own snapshot)
        # can give a priced key the day sums lack: it counts from the next read on.
        sums.setdefault(tuple(row[:2] if by_activity else row[:1]), dict(_NO_DAYS)).update(
            pennies=row.pennies, written_off=row.written_off)
    return sums


def figures_from(engagement: Engagement, sums: list[dict]) -> EngagementFigures:
    """An engagement's figures from its day_sums rows (one, or one per activity)."""
    def total(name: str) -> Decimal:
        return sum((Decimal(s.get(name) or ZERO) for s in sums), ZERO)

    def pounds(name: str) -> Decimal:
        return _pounds(sum(int(s.get(name) or 0) for s in sums))

    return EngagementFigures(
        days_delivered=total("delivered").quantize(Decimal("0.01")),
        days_planned=total("planned").quantize(Decimal("0.01")),
        billable_days_delivered=total("billable").quantize(Decimal("0.01")),
        income_delivered=pounds("pennies"),
        estimate_low=engagement.estimated_days_low, estimate_high=engagement.estimated_days_high,
        day_rate=engagement.day_rate,
        days_written_off=total("days_off").quantize(Decimal("0.01")),
        income_written_off=pounds("written_off"),
    )


def figures_for(session: Session, engagements: list[Engagement]) -> dict[int, EngagementFigures]:
    sums = day_sums(session, [e.id for e in engagements])
    return {e.id: figures_from(e, [sums[(e.id,)]] if (e.id,) in sums else []) for e in engagements}


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
