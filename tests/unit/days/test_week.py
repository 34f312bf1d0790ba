"""The week grid: saved all at once or not at all."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, engagement
from tracker.access import SystemActor
from tracker.days import week
from tracker.days.models import DayState, SupportDay

MONDAY = date(2026, 11, 16)  # the week before TODAY (Mon 23 Nov 2026)


def _row(e, activity="scoping", cells=None, original=None, extra=None):
    dates = week.week_dates(MONDAY)
    return week.RowInput(e.id, original, activity, {d: (cells or {}).get(i, "") for i, d in enumerate(dates)}, extra or {})


def _days(session, staff):
    return {(d.engagement_id, d.worked_on, d.activity.value): d.days
            for d in session.scalars(sa.select(SupportDay).where(SupportDay.staff_id == staff.id))}


def test_a_week_saves_new_days_as_delivered(session, world):
    s1 = world.staff["s1"]
    count = week.save_week(session, world.users["consultant"], s1, MONDAY,
                           [_row(world.engagement_a, cells={0: "1", 1: "0.5", 4: "0.25"})], TODAY)
    assert count == 3
    saved = _days(session, s1)
    assert saved[(world.engagement_a.id, MONDAY, "scoping")] == Decimal("1.00")
    assert all(d.state == DayState.DELIVERED for d in session.scalars(sa.select(SupportDay)))


def test_one_bad_cell_saves_nothing_and_names_the_cell(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    rows = [_row(world.engagement_a, cells={0: "1", 1: "0.75"}), _row(other, cells={1: "0.5", 2: "0.3"})]
    with pytest.raises(week.WeekInvalid) as err:
        week.save_week(session, world.users["consultant"], s1, MONDAY, rows, TODAY)
    # every problem at once: 0.75 + 0.5 on Tuesday, and 0.3 is not a quarter step
    assert set(err.value.fields) == {"1-1", "1-2"}
    rows[1].cells[date(2026, 11, 18)] = "0.5"
    with pytest.raises(week.WeekInvalid) as err:
        week.save_week(session, world.users["consultant"], s1, MONDAY, rows, TODAY)
    assert set(err.value.fields) == {"1-1"}  # 0.75 + 0.5 on Tuesday
    assert "A support package" in err.value.fields["1-1"]
    assert _days(session, s1) == {}


def test_moving_time_between_engagements_on_one_date_does_not_trip_the_limit(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    day(session, world.engagement_a, s1, MONDAY, "1")
    rows = [_row(world.engagement_a, cells={0: ""}, original="scoping"), _row(other, cells={0: "1"})]
    week.save_week(session, world.users["consultant"], s1, MONDAY, rows, TODAY)
    assert _days(session, s1) == {(other.id, MONDAY, "scoping"): Decimal("1.00")}


def test_decreases_apply_before_increases(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    day(session, world.engagement_a, s1, MONDAY, "0.5")
    day(session, other, s1, MONDAY, "0.5")
    rows = [_row(world.engagement_a, cells={0: "0.75"}, original="scoping"),
            _row(other, cells={0: "0.25"}, original="scoping")]
    week.save_week(session, world.users["consultant"], s1, MONDAY, rows, TODAY)
    assert _days(session, s1)[(world.engagement_a.id, MONDAY, "scoping")] == Decimal("0.75")


def test_changing_a_rows_activity_moves_its_days(session, world):
    s1 = world.staff["s1"]
    day(session, world.engagement_a, s1, MONDAY, "1", "scoping")
    week.save_week(session, SystemActor("test"), s1, MONDAY,
                   [_row(world.engagement_a, "mentoring", cells={0: "1"}, original="scoping")], TODAY)
    assert _days(session, s1) == {(world.engagement_a.id, MONDAY, "mentoring"): Decimal("1.00")}


def test_future_cells_are_planned_and_past_planned_days_become_delivered(session, world):
    s1 = world.staff["s1"]
    this_monday = week.week_start(TODAY)
    dates = week.week_dates(this_monday)
    planned = day(session, world.engagement_a, s1, dates[0], "1", state="planned")
    row = week.RowInput(world.engagement_a.id, "scoping", "scoping", {dates[0]: "1", dates[2]: "0.5"})
    week.save_week(session, SystemActor("test"), s1, this_monday, [row], TODAY)
    session.refresh(planned)
    assert planned.state == DayState.DELIVERED  # Monday 23 Nov is today
    wednesday = session.scalar(sa.select(SupportDay).where(SupportDay.worked_on == dates[2]))
    assert wednesday.state == DayState.PLANNED


def test_invoiced_cells_cannot_change_in_the_week(session, world):
    s1 = world.staff["s1"]
    d = day(session, world.engagement_a, s1, MONDAY, "1")
    d.state = DayState.INVOICED
    session.commit()
    with pytest.raises(week.WeekInvalid) as err:
        week.save_week(session, SystemActor("test"), s1, MONDAY, [_row(world.engagement_a, cells={0: "0.5"}, original="scoping")], TODAY)
    assert "invoiced" in err.value.fields["0-0"]
    with pytest.raises(week.WeekInvalid):
        week.save_week(session, SystemActor("test"), s1, MONDAY, [_row(world.engagement_a, cells={0: ""}, original="scoping")], TODAY)
    assert session.get(SupportDay, d.id).days == Decimal("1.00")


def test_two_rows_for_the_same_engagement_and_activity_are_refused(session, world):
    s1 = world.staff["s1"]
    rows = [_row(world.engagement_a, cells={0: "0.5"}), _row(world.engagement_a, cells={1: "0.5"})]
    with pytest.raises(week.WeekInvalid) as err:
        week.save_week(session, SystemActor("test"), s1, MONDAY, rows, TODAY)
    assert "1-activity" in err.value.fields


def test_load_week_shows_days_and_the_persons_open_engagements(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    engagement(session, world.client_b, "Closed", status="closed", staff_ids=[s1.id])
    day(session, world.engagement_a, s1, MONDAY, "0.5", "mentoring")
    rows = week.load_week(session, s1, MONDAY)
    # "Other" has no day of this person yet: no silent default activity, they choose.
    assert [(r.engagement.title, r.activity and r.activity.value, r.total) for r in rows] == [
        ("A support package", "mentoring", Decimal("0.50")), ("Other", None, Decimal("0"))]
    assert other.id in {r.engagement.id for r in rows}
