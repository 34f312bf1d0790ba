"""The week view: one person's week as a grid of (engagement, activity) rows
× working days, saved all at once or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.days import services
from tracker.days.models import Activity, DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind, EngagementMember, EngagementStatus
from tracker.errors import Conflict, DomainError, Forbidden, ValidationFailed
from tracker.staff.models import StaffMember

WORKING_DAYS = 5
WHOLE_WEEK = 7


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_dates(start: date, weekend: bool = False) -> list[date]:
    """Monday to Friday, or Monday to Sunday when the weekend is shown."""
    return [start + timedelta(days=i) for i in range(WHOLE_WEEK if weekend else WORKING_DAYS)]


def has_weekend_days(session: Session, staff_id: int, start: date) -> bool:
    """Whether the person has any day on the Saturday or Sunday of this week
    (recorded elsewhere, e.g. by import): the grid must then show them."""
    saturday = start + timedelta(days=WORKING_DAYS)
    return session.scalar(sa.select(sa.exists().where(
        SupportDay.staff_id == staff_id, SupportDay.worked_on >= saturday,
        SupportDay.worked_on <= saturday + timedelta(days=1)))) or False


def last_activities(session: Session, staff_id: int, engagement_ids: list[int]) -> dict[int, Activity]:
    """The activity of the person's latest day on each engagement: what a new row
    in their grid starts with (rather than a silent default)."""
    if not engagement_ids:
        return {}
    latest = (
        sa.select(SupportDay.engagement_id, sa.func.max(SupportDay.worked_on).label("worked_on"))
        .where(SupportDay.staff_id == staff_id, SupportDay.engagement_id.in_(engagement_ids))
        .group_by(SupportDay.engagement_id).subquery()
    )
    rows = session.execute(
        sa.select(SupportDay.engagement_id, SupportDay.activity)
        .join(latest, sa.and_(SupportDay.engagement_id == latest.c.engagement_id,
                              SupportDay.worked_on == latest.c.worked_on))
        .where(SupportDay.staff_id == staff_id)
        .order_by(SupportDay.engagement_id, SupportDay.id.desc())
    ).all()
    found: dict[int, Activity] = {}
    for engagement_id, activity in rows:
        found.setdefault(engagement_id, activity)
    return found


@dataclass
class WeekRow:
    engagement: Engagement
    activity: Activity | None  # None: the person has no day on it yet, so they choose
    cells: dict[date, SupportDay | None] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.engagement.id}:{self.activity.value if self.activity else ''}"

    @property
    def total(self) -> Decimal:
        return sum((d.days for d in self.cells.values() if d), Decimal("0"))


def default_activity(engagement: Engagement, last: Activity | None = None) -> Activity | None:
    """A new row's activity: shared-service work is always shared service; otherwise
    the person's last activity on the engagement, or None (they must choose)."""
    if engagement.kind == EngagementKind.SHARED_SERVICE:
        return Activity.SHARED_SERVICE
    return last


def open_engagements_for(session: Session, staff_id: int) -> list[Engagement]:
    """Engagements the person is on that can take days (not closed)."""
    stmt = (
        sa.select(Engagement)
        .join(EngagementMember, EngagementMember.engagement_id == Engagement.id)
        .where(EngagementMember.staff_id == staff_id, Engagement.status != EngagementStatus.CLOSED)
        .order_by(Engagement.title)
    )
    return list(session.scalars(stmt).unique())


def load_week(session: Session, staff: StaffMember, start: date, weekend: bool = False) -> list[WeekRow]:
    """Rows for every (engagement, activity) with days this week, then one empty
    row for each of the person's open engagements not yet shown, starting with
    the activity the person last logged on it."""
    dates = week_dates(start, weekend)
    days = session.scalars(
        sa.select(SupportDay)
        .where(SupportDay.staff_id == staff.id, SupportDay.worked_on >= dates[0], SupportDay.worked_on <= dates[-1])
        .order_by(SupportDay.worked_on)
    ).all()
    rows: dict[tuple[int, str], WeekRow] = {}
    for day in days:
        row = rows.setdefault((day.engagement_id, day.activity.value), WeekRow(day.engagement, day.activity,
                                                                                dict.fromkeys(dates)))
        row.cells[day.worked_on] = day
    shown = {engagement_id for engagement_id, _ in rows}
    result = sorted(rows.values(), key=lambda r: (r.engagement.title, r.activity.value))
    missing = [e for e in open_engagements_for(session, staff.id) if e.id not in shown]
    last = last_activities(session, staff.id, [e.id for e in missing])
    for engagement in missing:
        result.append(WeekRow(engagement, default_activity(engagement, last.get(engagement.id)), dict.fromkeys(dates)))
    return result


@dataclass
class RowInput:
    engagement_id: int
    original_activity: str | None  # the activity the row showed (None for a new row)
    activity: str
    cells: dict[date, str]  # date → what was typed ("" = no day)
    extra: dict = field(default_factory=dict)


class WeekInvalid(ValidationFailed):
    """Errors keyed "row-col" (e.g. "0-2") or "row-activity"; nothing was saved."""


def _existing(session: Session, staff_id: int, row: RowInput, on: date) -> SupportDay | None:
    if not row.original_activity:
        return None
    return session.scalar(sa.select(SupportDay).where(
        SupportDay.staff_id == staff_id, SupportDay.engagement_id == row.engagement_id,
        SupportDay.worked_on == on, SupportDay.activity == Activity(row.original_activity),
    ))


def _message(error: DomainError) -> str:
    return next(iter(error.fields.values()), error.message) if error.fields else error.message


def save_week(session: Session, actor, staff: StaffMember, start: date, rows: list[RowInput], today: date,
              weekend: bool = False) -> int:
    """Apply the whole grid: deletions, then decreases, then increases and new
    days, so moving time between engagements on one date never trips the
    one-day limit half-way. Any error → nothing saved, every error returned."""
    services.check_may_change_days(actor, staff.id)
    dates = week_dates(start, weekend)
    errors: dict[str, str] = {}
    seen: dict[tuple[int, str], int] = {}
    deletes, decreases, increases = [], [], []
    for r, row in enumerate(rows):
        if not row.activity and not row.original_activity and not any((v or "").strip() for v in row.cells.values()):
            continue  # an untouched new row: nothing to save, nothing to choose
        try:
            activity = Activity(row.activity)
        except ValueError:
            errors[f"{r}-activity"] = "Choose the activity for these days."
            continue
        key = (row.engagement_id, activity.value)
        if key in seen:
            errors[f"{r}-activity"] = "This engagement already has a row for that activity; use one row."
            continue
        seen[key] = r
        for c, on in enumerate(dates):
            raw = (row.cells.get(on) or "").strip()
            existing = _existing(session, staff.id, row, on)
            cell = f"{r}-{c}"
            if not raw:
                if existing is not None:
                    deletes.append((cell, existing))
                continue
            try:
                amount = services.parse_days(raw)
            except ValueError as exc:
                errors[cell] = str(exc) if "quarter" in str(exc) or "most" in str(exc) or "more" in str(exc) else "Enter days such as 0.5 or 1."
                continue
            state = DayState.DELIVERED if on <= today else DayState.PLANNED
            if existing is not None:
                if existing.state == DayState.PLANNED and on > today:
                    state = DayState.PLANNED
                unchanged = (existing.days == amount and existing.activity == activity and existing.state == state
                             and all(getattr(existing, k) == v for k, v in row.extra.items()))
                if unchanged:
                    continue
                data = services.input_from(existing, days=amount, activity=activity.value, state=state.value,
                                           extra=dict(row.extra))
                (decreases if amount <= existing.days else increases).append((cell, "update", existing, data))
            else:
                data = services.DayInput(engagement_id=row.engagement_id, staff_id=staff.id, worked_on=on,
                                         activity=activity.value, days=amount, state=state.value, extra=dict(row.extra))
                increases.append((cell, "create", None, data))
    # Apply every well-formed cell even when others are malformed, so the person
    # sees every problem at once; any error rolls the lot back below.
    changed = 0
    for cell, day in deletes:
        try:
            services.remove_day(session, actor, day)
            changed += 1
        except (Conflict, Forbidden) as exc:
            errors[cell] = _message(exc)
    for cell, action, day, data in decreases + increases:
        try:
            if action == "update":
                services.change_day(session, actor, day, data, today)
            else:
                services.add_day(session, actor, data, today)
            changed += 1
        except (ValidationFailed, Conflict, Forbidden) as exc:
            errors[cell] = _message(exc)
    if errors:
        session.rollback()
        count = len(errors)
        raise WeekInvalid(f"Nothing was saved: {count} cell{'s' if count != 1 else ''} need{'s' if count == 1 else ''} attention.",
                          errors)
    session.commit()
    return changed
