"""Support days: recording, changing and deleting them, with every rule here.

- days are quarter-day steps, more than 0 and at most 1;
- one person's days on one date add up to at most 1 across all engagements
  (DoubleBooked, 409, naming the other bookings);
- delivered days only on approved or active engagements, within the
  engagement's dates, and not in the future; planned days may be in the future;
- invoiced days (and days reserved by a draft invoice) cannot change (Locked);
- shared-service engagements are never billable;
- consultants touch only their own days;
- every create, change and delete writes the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, lazyload

from tracker.access import FINANCE_ROLES, Role, is_system
from tracker.audit import services as audit
from tracker.dates import in_range, out_of_range_message
from tracker.days.models import Activity, DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind, EngagementStatus
from tracker.engagements.policy import check_logs_on_team, check_may_change_days
from tracker.errors import Conflict, Locked, NotFound, ValidationFailed
from tracker.extension_points import extension_points
from tracker.money import QUARTER, to_decimal
from tracker.pagination import Page, paginate_deferred
from tracker.plans.models import Goal
from tracker.staff.models import StaffMember

ONE_DAY = Decimal("1")
DELIVERABLE_STATUSES = frozenset({EngagementStatus.APPROVED, EngagementStatus.ACTIVE})

#: The limit the forms and the API schema take from here.
NOTES_MAX = 2000


class DoubleBooked(Conflict):
    code = "double_booked"


class DuplicateDay(Conflict):
    code = "duplicate"


def lock_reason(day: SupportDay) -> str | None:
    if day.state == DayState.INVOICED:
        return "This day has been invoiced and cannot be changed; a credit note releases it."
    for check in extension_points().day_locks:  # billing's, declared in its init_app
        reason = check(day)
        if reason:
            return reason
    return None


@dataclass
class DayInput:
    engagement_id: object
    staff_id: object
    worked_on: object
    activity: object
    days: object
    billable: object = None  # None = billable unless the engagement is shared-service
    state: object = DayState.DELIVERED.value
    notes: str = ""
    extra: dict = field(default_factory=dict)  # goal_id: None clears it, a missing key keeps the day's goal


# --- who may touch whose days -------------------------------------------------

# --- validation ----------------------------------------------------------------

@dataclass
class CleanDay:
    engagement: Engagement
    staff: StaffMember
    worked_on: date
    activity: Activity
    days: Decimal
    billable: bool
    state: DayState
    notes: str


#: Values of DayInput.extra a day stores and audits besides its own figures.
EXTRA_FIELDS = ("goal_id",)


def _clean_goal(session: Session, clean: CleanDay, extra: dict, fields: dict) -> dict:
    """A day may be tied to a goal of its own engagement's action plan."""
    if "goal_id" not in extra:
        return {}
    raw = extra["goal_id"]
    if raw in (None, "", 0, "0"):
        return {"goal_id": None}
    try:
        if isinstance(raw, bool):
            raise ValueError
        goal_id = int(raw)
    except (TypeError, ValueError):
        fields["goal_id"] = "Choose a goal of this engagement's action plan."
        return {}
    goal = session.get(Goal, goal_id)
    if goal is None:
        fields["goal_id"] = "No such goal."
    elif goal.engagement_id != clean.engagement.id:
        fields["goal_id"] = "That goal is not in this engagement's action plan."
    else:
        return {"goal_id": goal.id}
    return {}


def parse_days(raw) -> Decimal:
    """A quarter-day amount, more than 0 and at most 1; ValueError with why."""
    value = to_decimal(raw)
    if value <= 0:
        raise ValueError("Days must be more than 0.")
    if value > ONE_DAY:
        raise ValueError("Days must be at most 1 (record days, not hours).")
    if value % QUARTER:
        raise ValueError("Days go in quarter steps: 0.25, 0.5, 0.75 or 1.")
    return value.quantize(Decimal("0.01"))


def clean_day(session: Session, data: DayInput, today: date, *, engagement_cache: dict | None = None,
              staff_cache: dict | None = None) -> tuple[CleanDay, dict]:
    """Check one day's fields and the rules that need no other bookings."""
    fields: dict[str, str] = {}
    engagement = staff = None
    try:
        engagement_id = int(data.engagement_id)
        engagement = (engagement_cache or {}).get(engagement_id) or session.get(Engagement, engagement_id)
    except (TypeError, ValueError):
        pass
    if engagement is None:
        fields["engagement_id"] = "No such engagement."
    try:
        staff_id = int(data.staff_id)
        staff = (staff_cache or {}).get(staff_id) or session.get(StaffMember, staff_id)
    except (TypeError, ValueError):
        pass
    if staff is None:
        fields["staff_id"] = "No such staff member."
    elif not staff.active:
        fields["staff_id"] = f"{staff.name} is no longer active."

    worked_on = data.worked_on
    if isinstance(worked_on, str):
        try:
            worked_on = date.fromisoformat(worked_on.strip())
        except ValueError:
            worked_on = None
    if not isinstance(worked_on, date):
        fields["worked_on"] = "Give the date as YYYY-MM-DD."
        worked_on = None
    elif not in_range(worked_on):
        fields["worked_on"] = out_of_range_message()
        worked_on = None

    try:
        activity = Activity(data.activity)
    except ValueError:
        activity = None
        fields["activity"] = "Choose one of: " + ", ".join(a.value for a in Activity) + "."

    try:
        amount = parse_days(data.days)
    except ValueError as exc:
        amount = None
        fields["days"] = str(exc) if str(exc) not in ("", "not a number", "empty") else "Enter days such as 0.5 or 1."

    try:
        state = DayState(data.state)
    except ValueError:
        state = None
        fields["state"] = "State must be planned or delivered."
    if state == DayState.INVOICED:
        fields["state"] = "Days become invoiced only through an invoice."

    billable = data.billable
    if engagement is not None:
        if engagement.kind == EngagementKind.SHARED_SERVICE:
            if billable is True:
                fields["billable"] = "Shared-service development is never billable."
            billable = False
        elif billable is None:
            billable = True
    billable = bool(billable)

    if engagement is not None and worked_on is not None and state is not None and "state" not in fields:
        if engagement.status == EngagementStatus.CLOSED:
            fields["engagement_id"] = f"“{engagement.title}” is closed; reopen it to record days."
        elif state == DayState.DELIVERED and engagement.status not in DELIVERABLE_STATUSES:
            fields["engagement_id"] = (
                f"“{engagement.title}” is {engagement.status.value}: delivered days need an approved or active engagement."
            )
        if worked_on < engagement.start_date or (engagement.end_date and worked_on > engagement.end_date):
            end = engagement.end_date.strftime("%-d %b %Y") if engagement.end_date else "open"
            fields["worked_on"] = (
                f"{worked_on:%-d %b %Y} is outside the engagement ({engagement.start_date:%-d %b %Y} – {end})."
            )
        elif state == DayState.DELIVERED and worked_on > today:
            fields["worked_on"] = "A delivered day cannot be in the future; book it as planned."

    notes = (data.notes or "").strip()
    if len(notes) > NOTES_MAX:
        fields["notes"] = "Notes are limited to 2,000 characters."

    clean = CleanDay(engagement, staff, worked_on, activity, amount, billable, state, notes)
    extra_values: dict = {}
    if not fields:
        extra_values.update(_clean_goal(session, clean, data.extra or {}, fields))
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return clean, extra_values


def check_on_team(session: Session, actor, clean: CleanDay) -> None:
    check_logs_on_team(session, actor, clean.engagement, clean.staff.id)


def _lock_staff(session: Session, staff_id: int) -> None:
    """Serialise bookings for one person (PostgreSQL row lock; SQLite already
    holds the write lock from BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(StaffMember.id).where(StaffMember.id == staff_id).with_for_update())


def bookings_on(session: Session, staff_id: int, worked_on: date, exclude_ids=()) -> list[SupportDay]:
    stmt = sa.select(SupportDay).where(SupportDay.staff_id == staff_id, SupportDay.worked_on == worked_on)
    if exclude_ids:
        stmt = stmt.where(SupportDay.id.not_in(list(exclude_ids)))
    return list(session.scalars(stmt.order_by(SupportDay.id)))


def describe(day: SupportDay) -> str:
    return f"{day.days} on “{day.engagement.title}” ({day.state.value})"


def check_one_day_per_date(session: Session, clean: CleanDay, exclude_ids=()) -> None:
    others = bookings_on(session, clean.staff.id, clean.worked_on, exclude_ids)
    booked = sum((d.days for d in others), Decimal("0"))
    if booked + clean.days > ONE_DAY:
        listing = "; ".join(describe(d) for d in others)
        raise DoubleBooked.for_field(
            "days",
            f"Over one day on {clean.worked_on:%-d %b %Y}: {clean.staff.name} already has {listing}. "
            f"A person's days on one date cannot add up to more than 1.",
            other_bookings=[d.id for d in others],
        )


def _check_unique_cell(session: Session, clean: CleanDay, exclude_id: int | None = None) -> None:
    stmt = sa.select(SupportDay.id).where(
        SupportDay.staff_id == clean.staff.id, SupportDay.engagement_id == clean.engagement.id,
        SupportDay.worked_on == clean.worked_on, SupportDay.activity == clean.activity,
    )
    found = session.scalar(stmt)
    if found is not None and found != exclude_id:
        raise DuplicateDay.for_field(
            "activity",
            f"{clean.staff.name} already has a {clean.activity.label.lower()} record on this engagement on "
            f"{clean.worked_on:%-d %b %Y} (day {found}); change that one instead.",
            existing_id=found,
        )


def _apply(day: SupportDay, clean: CleanDay, extra_values: dict) -> None:
    day.engagement_id = clean.engagement.id
    day.staff_id = clean.staff.id
    day.worked_on = clean.worked_on
    day.activity = clean.activity
    day.days = clean.days
    day.billable = clean.billable
    day.state = clean.state
    day.notes = clean.notes
    if "goal_id" in extra_values:
        day.goal_id = extra_values["goal_id"]


def _snapshot(day: SupportDay) -> dict:
    return audit.snapshot(day) | {k: getattr(day, k) for k in EXTRA_FIELDS}


# --- the three use cases --------------------------------------------------------

def add_day(session: Session, actor, data: DayInput, today: date) -> SupportDay:
    """Validate and add one day to the session (no commit): for batches."""
    clean, extra_values = clean_day(session, data, today)
    check_may_change_days(actor, clean.staff.id)
    check_on_team(session, actor, clean)
    _lock_staff(session, clean.staff.id)
    _check_unique_cell(session, clean)
    check_one_day_per_date(session, clean)
    day = SupportDay()
    _apply(day, clean, extra_values)
    session.add(day)
    session.flush()
    audit.record(session, actor, "create", "support_day", day.id, None, _snapshot(day))
    return day


def record_support_day(session: Session, actor, data: DayInput, today: date) -> SupportDay:
    day = add_day(session, actor, data, today)
    session.commit()
    return day


def change_day(session: Session, actor, day: SupportDay, data: DayInput, today: date) -> SupportDay:
    """Validate and change one day in the session (no commit)."""
    reason = lock_reason(day)
    if reason:
        raise Locked(reason)
    check_may_change_days(actor, day.staff_id)
    clean, extra_values = clean_day(session, data, today)
    check_may_change_days(actor, clean.staff.id)
    if clean.engagement.id != day.engagement_id:
        check_on_team(session, actor, clean)
    _lock_staff(session, clean.staff.id)
    _check_unique_cell(session, clean, exclude_id=day.id)
    check_one_day_per_date(session, clean, exclude_ids=[day.id])
    before = _snapshot(day)
    _apply(day, clean, extra_values)
    session.flush()
    audit.record(session, actor, "update", "support_day", day.id, before, _snapshot(day))
    return day


def update_support_day(session: Session, actor, day: SupportDay, data: DayInput, today: date) -> SupportDay:
    change_day(session, actor, day, data, today)
    session.commit()
    return day


def remove_day(session: Session, actor, day: SupportDay) -> None:
    reason = lock_reason(day)
    if reason:
        raise Locked(reason)
    check_may_change_days(actor, day.staff_id)
    audit.record(session, actor, "delete", "support_day", day.id, _snapshot(day), None)
    session.delete(day)
    session.flush()


def delete_support_day(session: Session, actor, day: SupportDay) -> None:
    remove_day(session, actor, day)
    session.commit()


def input_from(day: SupportDay, **changes) -> DayInput:
    """A DayInput holding a day's current values, with some changed."""
    values = {
        "engagement_id": day.engagement_id, "staff_id": day.staff_id, "worked_on": day.worked_on,
        "activity": day.activity.value, "days": day.days, "billable": day.billable, "state": day.state.value,
        "notes": day.notes,
    }
    extra = {k: getattr(day, k) for k in EXTRA_FIELDS}
    extra |= changes.pop("extra", {})
    values |= changes
    return DayInput(**values, extra=extra)


# --- reading ------------------------------------------------------------------

# The one rule for individual days, used by pages, API and lists alike:
# admins, managers and finance see every day; a consultant sees only their own
# (their diary; engagements' totals on the engagement and report pages still
# count everyone's days); client users see no individual day, only their
# engagements' figures in progress reports. A day outside the rule answers 404,
# as a missing one does.

def get_day(session: Session, actor, day_id: int) -> SupportDay:
    """A day the actor may see (see the rule above), or NotFound."""
    day = session.get(SupportDay, day_id)
    if day is None or not may_see(session, actor, day):
        raise NotFound("No such support day.")
    return day


def may_see(session: Session, actor, day: SupportDay) -> bool:
    if is_system(actor):  # CLI and system jobs
        return True
    role = getattr(actor, "role", None)
    if role in FINANCE_ROLES:  # admins, managers, finance: every day
        return True
    if role == Role.CONSULTANT:
        return actor.staff_id is not None and actor.staff_id == day.staff_id
    return False


@dataclass
class DayFilters:
    staff_id: int | None = None
    activity: str | None = None
    state: str | None = None
    month: date | None = None  # any date in the month
    billable: bool | None = None


def confine_to_own_days(actor, filters: DayFilters) -> DayFilters:
    """Lists follow may_see's rule (pages and API alike): a consultant lists
    only their own days; a role that sees no individual day lists none."""
    role = getattr(actor, "role", None)
    if not is_system(actor) and role not in FINANCE_ROLES:
        filters.staff_id = (actor.staff_id if role == Role.CONSULTANT else None) or -1
    return filters


#: Newest first; ix_support_days_engagement_id_worked_on_id serves it (see pagination.paginate_deferred).
DAY_ORDER = (SupportDay.worked_on.desc(), SupportDay.id.desc())


def one_engagement_rows() -> tuple:
    """Loader options for one engagement's day list: every row's engagement (and
    its client) is the page's own, already in the session; join only the person.
    (A function: building options at import would configure the mappers before
    every model is imported.)"""
    return (lazyload(SupportDay.engagement),)


def days_query(engagement_id: int, filters: DayFilters) -> sa.Select:
    stmt = sa.select(SupportDay).where(SupportDay.engagement_id == engagement_id)
    if filters.staff_id:
        stmt = stmt.where(SupportDay.staff_id == filters.staff_id)
    if filters.activity:
        stmt = stmt.where(SupportDay.activity == Activity(filters.activity))
    if filters.state:
        stmt = stmt.where(SupportDay.state == DayState(filters.state))
    if filters.billable is not None:
        stmt = stmt.where(SupportDay.billable.is_(filters.billable))
    if filters.month:
        first = filters.month.replace(day=1)
        nxt = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        stmt = stmt.where(SupportDay.worked_on >= first, SupportDay.worked_on < nxt)
    return stmt.order_by(*DAY_ORDER)


def list_days(session: Session, actor, engagement_id: int, filters: DayFilters, page: int, per_page: int,
              count: Callable[[int], int] | None = None) -> Page:
    """One page of an engagement's days, newest first, for the page and the API alike
    (a consultant sees only their own). ``count`` may cache the total (see paginate_deferred)."""
    confine_to_own_days(actor, filters)
    return paginate_deferred(session, days_query(engagement_id, filters), SupportDay, DAY_ORDER, page, per_page,
                             options=one_engagement_rows(), count=count)
