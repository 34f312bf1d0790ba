"""“My days”: one person's own days across every engagement, filtered, paged
and exported. Consultants see only their own days (the same rule as the
engagement day list); managers and admins use it for their own days too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from tracker.days.models import Activity, DayState, SupportDay
from tracker.days.services import DAY_ORDER
from tracker.engagements.models import Engagement
from tracker.errors import ValidationFailed
from tracker.exports import Column
from tracker.pagination import Page, paginate_deferred

#: An export holds at most this many days (about 40 years of one person's days).
EXPORT_LIMIT = 10_000

COLUMNS = [
    Column("worked_on", "Date", "date"), Column("engagement", "Engagement"), Column("client", "Client"),
    Column("activity", "Activity"), Column("days", "Days", "days"), Column("state", "State"),
    Column("billable", "Billable"), Column("notes", "Notes"),
]


@dataclass
class OwnDayFilters:
    engagement_id: int | None = None
    activity: str | None = None
    state: str | None = None
    start: date | None = None
    end: date | None = None

    def check(self) -> None:
        fields = {}
        if self.activity and self.activity not in {a.value for a in Activity}:
            fields["activity"] = "Choose an activity from the list."
        if self.state and self.state not in {s.value for s in DayState}:
            fields["state"] = "Choose a state from the list."
        if self.start and self.end and self.end < self.start:
            fields["end"] = "The end date is before the start date."
        if fields:
            raise ValidationFailed("Check the filters.", fields)


def own_days_query(staff_id: int, filters: OwnDayFilters) -> sa.Select:
    filters.check()
    stmt = sa.select(SupportDay).where(SupportDay.staff_id == staff_id)
    if filters.engagement_id:
        stmt = stmt.where(SupportDay.engagement_id == filters.engagement_id)
    if filters.activity:
        stmt = stmt.where(SupportDay.activity == Activity(filters.activity))
    if filters.state:
        stmt = stmt.where(SupportDay.state == DayState(filters.state))
    if filters.start:
        stmt = stmt.where(SupportDay.worked_on >= filters.start)
    if filters.end:
        stmt = stmt.where(SupportDay.worked_on <= filters.end)
    return stmt.order_by(*DAY_ORDER)


def _rows() -> tuple:
    return (joinedload(SupportDay.engagement).joinedload(Engagement.client),)


def own_days_page(session: Session, staff_id: int, filters: OwnDayFilters, page: int, per_page: int) -> Page:
    return paginate_deferred(session, own_days_query(staff_id, filters), SupportDay, DAY_ORDER, page, per_page,
                             options=_rows())


def own_days_total(session: Session, staff_id: int, filters: OwnDayFilters) -> Decimal:
    stmt = own_days_query(staff_id, filters).order_by(None).subquery()
    return session.scalar(sa.select(sa.func.coalesce(sa.func.sum(stmt.c.days), 0))) or Decimal("0")


def own_days_export_rows(session: Session, staff_id: int, filters: OwnDayFilters) -> tuple[list[dict], dict]:
    """Rows and a totals row for CSV/XLSX: the same days the page lists, oldest first."""
    stmt = own_days_query(staff_id, filters).order_by(None).order_by(SupportDay.worked_on, SupportDay.id).limit(EXPORT_LIMIT)
    rows = [{
        "worked_on": d.worked_on, "engagement": d.engagement.title, "client": d.engagement.client.name,
        "activity": d.activity.label, "days": d.days, "state": d.state.label,
        "billable": "Yes" if d.billable else "No", "notes": d.notes or "",
    } for d in session.scalars(stmt.options(*_rows())).unique()]
    total = sum((r["days"] for r in rows), Decimal("0"))
    return rows, {"worked_on": None, "engagement": f"Total of {len(rows)} days", "days": total}


def engagement_choices(session: Session, staff_id: int) -> list[tuple[int, str]]:
    """Engagements the person has days on, for the filter."""
    stmt = (sa.select(Engagement.id, Engagement.title).where(Engagement.id.in_(
        sa.select(SupportDay.engagement_id).where(SupportDay.staff_id == staff_id).distinct()))
        .order_by(Engagement.title))
    return [(i, t) for i, t in session.execute(stmt)]
