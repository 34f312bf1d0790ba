"""The week grid for everyday use: the last activity per engagement (no silent
default), weekend columns, and "copy last week" as planned days, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, engagement
from tracker.days import copy_week, week
from tracker.days.models import DayState, SupportDay

MONDAY = date(2026, 11, 16)  # the week before TODAY (Mon 23 Nov 2026)


def _row(e, activity, cells, original=None, weekend=False):
    dates = week.week_dates(MONDAY, weekend)
    return week.RowInput(e.id, original, activity, {d: cells.get(i, "") for i, d in enumerate(dates)}, {})


def test_a_new_row_starts_with_the_persons_last_activity_on_that_engagement(session, world):
    s1, s2 = world.staff["s1"], world.staff["s2"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id, s2.id])
    day(session, world.engagement_a, s1, date(2026, 10, 5), "1", "training")
    day(session, world.engagement_a, s1, date(2026, 11, 2), "0.5", "mentoring")  # the latest
    day(session, other, s2, date(2026, 11, 3), "1", "tools")  # someone else's: not s1's memory
    rows = {r.engagement.title: r for r in week.load_week(session, s1, MONDAY)}
    assert rows["A support package"].activity.value == "mentoring"
    assert rows["Other"].activity is None  # never worked on by s1: they choose


def test_typed_days_without_an_activity_are_refused_and_untouched_rows_are_fine(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    with pytest.raises(week.WeekInvalid) as err:
        week.save_week(session, world.users["consultant"], s1, MONDAY,
                       [_row(world.engagement_a, "", {0: "1"}), _row(other, "", {})], TODAY)
    assert err.value.fields == {"0-activity": "Choose the activity for these days."}
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 0
    assert week.save_week(session, world.users["consultant"], s1, MONDAY,
                          [_row(world.engagement_a, "tools", {0: "1"}), _row(other, "", {})], TODAY) == 1


def test_weekend_columns_appear_when_the_week_has_a_weekend_day(session, world):
    s1 = world.staff["s1"]
    assert not week.has_weekend_days(session, s1.id, MONDAY)
    assert len(week.week_dates(MONDAY)) == 5
    day(session, world.engagement_a, s1, date(2026, 11, 22), "0.5")  # Sunday
    assert week.has_weekend_days(session, s1.id, MONDAY)
    assert not week.has_weekend_days(session, s1.id, date(2026, 11, 9))
    rows = week.load_week(session, s1, MONDAY, weekend=True)
    assert rows[0].cells[date(2026, 11, 22)].days == Decimal("0.50")
    # Saving the whole week keeps (and can change) the Sunday cell.
    week.save_week(session, world.users["consultant"], s1, MONDAY,
                   [_row(world.engagement_a, "scoping", {6: "0.75", 5: "0.25"}, original="scoping", weekend=True)],
                   TODAY, weekend=True)
    saved = {d.worked_on: d.days for d in session.scalars(sa.select(SupportDay))}
    assert saved == {date(2026, 11, 21): Decimal("0.25"), date(2026, 11, 22): Decimal("0.75")}


def test_copy_last_week_books_the_same_days_as_planned(session, world):
    s1 = world.staff["s1"]
    day(session, world.engagement_a, s1, date(2026, 11, 17), "0.5", "mentoring", notes="with the Trust")
    day(session, world.engagement_a, s1, date(2026, 11, 19), "1", "training")
    count = copy_week.copy_previous_week(session, world.users["consultant"], s1, TODAY, TODAY)
    assert count == 2
    copies = session.scalars(sa.select(SupportDay).where(SupportDay.worked_on >= TODAY)
                             .order_by(SupportDay.worked_on)).all()
    assert [(c.worked_on, c.activity.value, c.days, c.state, c.notes) for c in copies] == [
        (date(2026, 11, 24), "mentoring", Decimal("0.50"), DayState.PLANNED, "with the Trust"),
        (date(2026, 11, 26), "training", Decimal("1.00"), DayState.PLANNED, "")]


def test_copy_last_week_saves_nothing_when_one_day_cannot_be_booked(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other", staff_ids=[s1.id])
    day(session, world.engagement_a, s1, date(2026, 11, 9), "0.5", "mentoring")
    day(session, world.engagement_a, s1, date(2026, 11, 10), "1", "training")
    day(session, other, s1, date(2026, 11, 17), "0.75", "tools")  # Tuesday this week is taken: 1 + 0.75 > 1
    before = session.scalar(sa.select(sa.func.count()).select_from(SupportDay))
    with pytest.raises(copy_week.CopyInvalid) as err:
        copy_week.copy_previous_week(session, world.users["consultant"], s1, MONDAY, TODAY)
    assert "Nothing was copied: 1 of 2" in err.value.message
    assert list(err.value.fields) == ["Tue 17 Nov · A support package"]
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == before


def test_copy_last_week_with_nothing_to_copy_says_so(session, world):
    with pytest.raises(copy_week.ValidationFailed, match="Nothing to copy"):
        copy_week.copy_previous_week(session, world.users["consultant"], world.staff["s1"], MONDAY, TODAY)


def test_a_consultant_cannot_copy_someone_elses_week(session, world):
    with pytest.raises(copy_week.Forbidden):
        copy_week.copy_previous_week(session, world.users["consultant"], world.staff["s2"], MONDAY, TODAY)
