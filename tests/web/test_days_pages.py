"""Support days through the pages: the week view, lists, planning, import."""

import io
import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from tests.factories import day, engagement
from tracker.days.models import DayState, SupportDay

MONDAY = "2026-11-16"


def _week_form(rows):
    data = {"start": MONDAY}
    for r, (engagement_id, activity, original, cells) in enumerate(rows):
        data[f"rows-{r}-engagement_id"] = str(engagement_id)
        data[f"rows-{r}-activity"] = activity
        data[f"rows-{r}-original_activity"] = original
        for c in range(5):
            data[f"rows-{r}-d{c}"] = cells.get(c, "")
    return data


def test_consultant_fills_a_week_and_sees_errors_in_the_cells(login_as, world, session):
    client = login_as("consultant")
    page = client.get(f"/days/week?start={MONDAY}").get_data(as_text=True)
    assert "A support package" in page and "Week of 16 Nov 2026" in page
    other = engagement(session, world.client_b, "Other package", staff_ids=[world.staff["s1"].id])
    bad = _week_form([(world.engagement_a.id, "scoping", "", {0: "0.75"}), (other.id, "mentoring", "", {0: "0.5", 1: "two"})])
    response = client.post(f"/days/week?start={MONDAY}", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="err-1-0"' in html and 'id="err-1-1"' in html  # over-booked Monday, "two" on Tuesday
    assert 'value="two"' in html  # what was typed is kept
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 0
    good = _week_form([(world.engagement_a.id, "scoping", "", {0: "0.5"}), (other.id, "mentoring", "", {0: "0.5", 1: "1"})])
    response = client.post(f"/days/week?start={MONDAY}", data=good)
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.sum(SupportDay.days))) == Decimal("2.00")


def test_a_consultant_cannot_open_someone_elses_week(login_as, world):
    client = login_as("consultant")
    html = client.get(f"/days/week?start={MONDAY}&staff_id={world.staff['s2'].id}").get_data(as_text=True)
    assert "Sam One" in html and "Kim Two" not in html


def test_a_manager_logs_a_week_for_someone(login_as, world, session):
    client = login_as("manager")
    s2 = world.staff["s2"]
    response = client.post(f"/days/week?start={MONDAY}&staff_id={s2.id}",
                           data=_week_form([(world.engagement_b.id, "training", "", {2: "1"})]) | {"staff_id": s2.id})
    assert response.status_code == 302
    assert session.scalar(sa.select(SupportDay.staff_id)) == s2.id


def test_day_list_filters_and_pages(login_as, world, session):
    for i in range(60):
        day(session, world.engagement_a, world.staff["s1" if i % 2 else "s2"], date(2026, 7, 1 + i // 2) if i < 60 else None,
            "0.5", "mentoring" if i % 3 else "scoping")
    client = login_as("manager")
    page = client.get(f"/engagements/{world.engagement_a.id}/days").get_data(as_text=True)
    assert "1–50 of 60" in page
    filtered = client.get(f"/engagements/{world.engagement_a.id}/days?activity=scoping&staff_id={world.staff['s2'].id}").get_data(as_text=True)
    assert "of " not in filtered or "1–" not in filtered
    assert filtered.count("Scoping of current practice") == 10 + 1  # rows + the filter's option
    bad = client.get(f"/engagements/{world.engagement_a.id}/days?month=Nov").get_data(as_text=True)
    assert "Give the month as YYYY-MM." in bad


def test_consultants_list_only_their_own_days(login_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    day(session, world.engagement_a, world.staff["s2"], date(2026, 11, 2), "1", "mentoring")
    html = login_as("consultant").get(f"/engagements/{world.engagement_a.id}/days").get_data(as_text=True)
    assert "Sam One" in html and "Kim Two</td>" not in html


def test_engagement_page_shows_progress_against_the_estimate(login_as, world, session):
    for i in range(25):
        day(session, world.engagement_a, world.staff["s1"], date(2026, 7, 1 + i), "1")
    html = login_as("manager").get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert "25.00" in html and "&pound;12,500.00" in html
    assert "progress-block amber" in html and "near the high estimate (past 80%)" in html and "by delivered" in html
    for i in range(6):
        day(session, world.engagement_a, world.staff["s2"], date(2026, 8, 3 + i), "1")
    html = login_as("client").get(f"/engagements/{world.engagement_a.id}").get_data(as_text=True)
    assert "progress-block red" in html and "over the high estimate" in html
    assert "Log a day" not in html  # clients read progress only


def test_manager_books_the_four_day_programme_and_marks_it_delivered(login_as, world, session):
    client = login_as("manager")
    response = client.post(f"/engagements/{world.engagement_a.id}/days/plan", data={
        "staff_id": world.staff["s1"].id, "first": "2026-11-19", "count": "4", "days_each": "1",
        "activity": "training_programme", "notes": "Four-day programme"})
    assert response.status_code == 302
    planned = session.scalars(sa.select(SupportDay).order_by(SupportDay.worked_on)).all()
    assert [d.worked_on for d in planned] == [date(2026, 11, 19), date(2026, 11, 20), date(2026, 11, 23), date(2026, 11, 24)]
    assert {d.state for d in planned} == {DayState.PLANNED}
    response = client.post(f"/engagements/{world.engagement_a.id}/days/deliver",
                           data={"day_id": [str(d.id) for d in planned]})
    assert response.status_code == 302
    session.expire_all()
    assert {d.state for d in session.scalars(sa.select(SupportDay))} == {DayState.PLANNED}  # 24 Nov is future: none
    client.post(f"/engagements/{world.engagement_a.id}/days/deliver", data={"day_id": [str(d.id) for d in planned[:3]]})
    session.expire_all()
    assert [d.state.value for d in session.scalars(sa.select(SupportDay).order_by(SupportDay.worked_on))] == [
        "delivered", "delivered", "delivered", "planned"]


def test_plan_refuses_a_double_booking_and_books_nothing(login_as, world, session):
    day(session, world.engagement_b, world.staff["s1"], date(2026, 11, 30), "1", state="planned")
    response = login_as("manager").post(f"/engagements/{world.engagement_a.id}/days/plan", data={
        "staff_id": world.staff["s1"].id, "first": "2026-11-26", "count": "4", "days_each": "1",
        "activity": "training_programme", "notes": ""})
    assert "Mon 30 Nov 2026" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 1


def test_edit_and_delete_a_day(login_as, world, session):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    client = login_as("consultant")
    response = client.post(f"/days/{d.id}/edit", data={"staff_id": world.staff["s1"].id, "worked_on": "2026-11-02",
                                                       "activity": "mentoring", "days": "0.3", "state": "delivered",
                                                       "billable": "y", "notes": ""})
    assert 'id="days-error"' in response.get_data(as_text=True)
    response = client.post(f"/days/{d.id}/edit", data={"staff_id": world.staff["s1"].id, "worked_on": "2026-11-02",
                                                       "activity": "mentoring", "days": "0.5", "state": "delivered",
                                                       "billable": "y", "notes": "Moved"})
    assert response.status_code == 302
    session.refresh(d)
    assert (d.activity.value, d.days) == ("mentoring", Decimal("0.50"))
    assert client.post(f"/days/{d.id}/delete").status_code == 302
    assert session.get(SupportDay, d.id) is None


def test_a_consultant_cannot_edit_another_persons_day(login_as, world, session):
    d = day(session, world.engagement_a, world.staff["s2"], date(2026, 11, 2), "1")
    assert login_as("consultant").get(f"/days/{d.id}/edit").status_code == 404  # the days rule: not theirs


def test_invoiced_days_show_read_only(login_as, world, session):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    d.state = DayState.INVOICED
    session.commit()
    client = login_as("manager")
    html = client.get(f"/days/{d.id}/edit").get_data(as_text=True)
    assert "has been invoiced" in html and ">Save</button>" not in html
    client.post(f"/days/{d.id}/delete")
    assert session.get(SupportDay, d.id) is not None


def test_import_page_lists_every_bad_row_and_saves_nothing(login_as, world, session):
    client = login_as("manager")
    csv = ("engagement_id,staff_email,worked_on,activity,days,billable,notes\n"
           f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-02,scoping,1,,\n"
           f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-03,scoping,9,,\n"
           f"{world.engagement_a.id},ghost@lead.example.org,2026-11-03,scoping,1,,\n").encode()
    response = client.post("/days/import", data={"file": (io.BytesIO(csv), "days.csv")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "Nothing was imported: 2 rows have problems." in html
    assert re.search(r'<td class="num">3</td><td><code>days</code>', html)
    assert re.search(r'<td class="num">4</td><td><code>staff_email</code>', html)
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 0
    fixed = csv.replace(b",9,", b",1,").replace(b"ghost", b"kim.two")
    response = client.post("/days/import", data={"file": (io.BytesIO(fixed), "days.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 3


def test_oversized_uploads_are_refused_with_413(login_as, world, app):
    client = login_as("manager")
    big = io.BytesIO(b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post("/days/import", data={"file": (big, "big.csv")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_week_rows_can_be_tied_to_an_action_plan_goal(login_as, world, session):
    from tests.factories import goal

    g = goal(session, world.engagement_a, "Joint needs assessment refreshed")
    client = login_as("consultant")
    page = client.get(f"/days/week?start={MONDAY}").get_data(as_text=True)
    assert "Joint needs assessment refreshed" in page and 'name="rows-0-goal_id"' in page
    data = _week_form([(world.engagement_a.id, "action_planning", "", {0: "1", 1: "0.5"})]) | {"rows-0-goal_id": str(g.id)}
    assert client.post(f"/days/week?start={MONDAY}", data=data).status_code == 302
    assert {d.goal_id for d in session.scalars(sa.select(SupportDay))} == {g.id}
    other = goal(session, world.engagement_b, "B's goal")
    bad = _week_form([(world.engagement_a.id, "action_planning", "action_planning", {0: "1", 1: "0.5"})]) | {
        "rows-0-goal_id": str(other.id)}
    html = client.post(f"/days/week?start={MONDAY}", data=bad).get_data(as_text=True)
    assert "not in this engagement" in html
    assert {d.goal_id for d in session.scalars(sa.select(SupportDay))} == {g.id}
