"""Planning ahead: a manager books planned days for a person (e.g. the
four-day development programme) and marks them delivered when they happen."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from tracker.dates import check_date
from tracker.days import services
from tracker.days.models import DayState, SupportDay
from tracker.errors import Conflict, Forbidden, ValidationFailed

MAX_BOOKING_DAYS = 60


def working_dates(first: date, count: int) -> list[date]:
    """``count`` working days (Monday to Friday) from ``first``."""
    dates, day = [], first
    while len(dates) < count:
        if day.weekday() < 5:
            dates.append(day)
        day += timedelta(days=1)
    return dates


def book_planned_days(session: Session, actor, *, engagement_id: int, staff_id: int, first: date, count: int,
                      days_each, activity: str, notes: str, today: date) -> list[SupportDay]:
    """Book ``count`` working days from ``first`` as planned; all or none."""
    if not isinstance(first, date):
        raise ValidationFailed.for_field("first", "Give the first date.")
    check_date(first, "first")
    if not (1 <= int(count or 0) <= MAX_BOOKING_DAYS):
        raise ValidationFailed.for_field("count", f"Book from 1 to {MAX_BOOKING_DAYS} working days at a time.")
    booked, errors = [], {}
    for on in working_dates(first, int(count)):
        data = services.DayInput(engagement_id=engagement_id, staff_id=staff_id, worked_on=on, activity=activity,
                                 days=days_each, state=DayState.PLANNED.value, notes=notes)
        try:
            booked.append(services.add_day(session, actor, data, today))
        except (ValidationFailed, Conflict, Forbidden) as exc:
            message = "; ".join(exc.fields.values()) if exc.fields else exc.message
            errors["first" if not errors else f"date {on}"] = f"{on:%a %-d %b %Y}: {message}"
            if exc.fields and set(exc.fields) <= {"engagement_id", "staff_id", "days", "activity"} and not isinstance(exc, Conflict):
                # The same problem would repeat on every date: report it once against its field.
                session.rollback()
                raise ValidationFailed("Nothing was booked.", exc.fields) from None
    if errors:
        session.rollback()
        raise ValidationFailed("Nothing was booked: " + " ".join(errors.values()), {"first": " ".join(errors.values())})
    session.commit()
    return booked


def mark_delivered(session: Session, actor, days: list[SupportDay], today: date) -> int:
    """Planned days that happened become delivered (all or none)."""
    errors = {}
    changed = 0
    for day in days:
        if day.state != DayState.PLANNED:
            continue
        try:
            services.change_day(session, actor, day, services.input_from(day, state=DayState.DELIVERED.value), today)
            changed += 1
        except (ValidationFailed, Conflict, Forbidden) as exc:
            errors[str(day.id)] = f"{day.worked_on:%-d %b}: " + (
                exc.fields.get("worked_on") or exc.fields.get("engagement_id") or exc.message)
    if errors:
        session.rollback()
        raise ValidationFailed("No day was marked delivered; fix these first.", errors)
    session.commit()
    return changed
