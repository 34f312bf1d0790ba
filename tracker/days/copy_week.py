"""“Copy last week”: the person's days of the week before, booked again as
planned days on the same weekdays, through the days service (every rule
applies) and all at once or not at all."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.days import services
from tracker.days.models import DayState, SupportDay
from tracker.errors import Conflict, Forbidden, ValidationFailed
from tracker.staff.models import StaffMember


class CopyInvalid(ValidationFailed):
    """Nothing was copied; ``fields`` maps "<date> <engagement>" to why."""


def copy_previous_week(session: Session, actor, staff: StaffMember, start: date, today: date) -> int:
    """Book each of the person's days of the week before ``start`` (Monday) again,
    as a planned day on the same weekday of this week, with the same engagement,
    activity, days, billable flag, notes and goal. Returns how many were booked.
    Any refusal (double booking, closed engagement, outside its dates, a date
    already taken) → nothing is saved and every refusal is listed."""
    services.check_may_change_days(actor, staff.id)
    previous = start - timedelta(days=7)
    days = session.scalars(
        sa.select(SupportDay)
        .where(SupportDay.staff_id == staff.id, SupportDay.worked_on >= previous,
               SupportDay.worked_on < start)
        .order_by(SupportDay.worked_on, SupportDay.id)
    ).all()
    if not days:
        raise ValidationFailed(f"Nothing to copy: {staff.name} has no days in the week of {previous:%-d %b %Y}.")
    copies = [
        (f"{day.worked_on + timedelta(days=7):%a %-d %b} · {day.engagement.title}",
         services.input_from(day, worked_on=day.worked_on + timedelta(days=7), state=DayState.PLANNED.value))
        for day in days
    ]
    problems: dict[str, str] = {}
    for label, data in copies:
        try:
            services.add_day(session, actor, data, today)
        except (ValidationFailed, Conflict, Forbidden) as exc:
            problems[label] = "; ".join(exc.fields.values()) if exc.fields else exc.message
    if problems:
        session.rollback()
        raise CopyInvalid(f"Nothing was copied: {len(problems)} of {len(copies)} days cannot be booked.", problems)
    session.commit()
    return len(copies)
