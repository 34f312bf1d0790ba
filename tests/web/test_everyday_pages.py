"""Everyday pages: "My days" with filters and CSV/XLSX, the week grid's weekend
and copy controls, and exactly one main-navigation item marked current."""

import io
import re
from datetime import date

import openpyxl
import pytest

from tests.factories import day, engagement
from tracker.access import Role, access_rule
from tracker.web import current_nav


def _current(html: str) -> list[str]:
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page">([^<]+)<', nav)


@pytest.fixture
def my_days_world(session, world):
    s1 = world.staff["s1"]
    other = engagement(session, world.client_b, "Other package", staff_ids=[s1.id, world.staff["s2"].id])
    day(session, world.engagement_a, s1, date(2026, 11, 2), "0.5", "mentoring")
    day(session, world.engagement_a, s1, date(2026, 10, 5), "1", "training")
    day(session, other, s1, date(2026, 11, 3), "0.75", "tools", notes="=SUM(A1)")
    day(session, other, world.staff["s2"], date(2026, 11, 3), "1", "tools")  # not Sam's
    return world


def test_my_days_lists_only_the_consultants_own_days_across_engagements(login_as, my_days_world):
    html = login_as("consultant").get("/days/mine").get_data(as_text=True)
    assert "Other package" in html and "A support package" in html
    assert "<strong>2.25</strong> days in 3 entries" in html
    assert _current(html) == ["My days"]


def test_my_days_filters_by_engagement_activity_and_dates(login_as, my_days_world):
    client = login_as("consultant")
    html = client.get(f"/days/mine?engagement_id={my_days_world.engagement_a.id}&start=2026-11-01").get_data(as_text=True)
    assert "<strong>0.50</strong> days in 1 entry" in html
    html = client.get("/days/mine?activity=tools").get_data(as_text=True)
    assert "<strong>0.75</strong> days in 1 entry" in html


def test_my_days_names_a_bad_filter_instead_of_failing(login_as, my_days_world):
    response = login_as("consultant").get("/days/mine?start=2026-12-01&end=2026-11-01")
    assert response.status_code == 200
    assert "The end date is before the start date." in response.get_data(as_text=True)
    response = login_as("consultant").get("/days/mine?start=not-a-date&per_page=9999")
    assert response.status_code == 422


def test_my_days_exports_csv_and_xlsx_with_the_same_days(login_as, my_days_world):
    client = login_as("consultant")
    csv = client.get("/days/mine?format=csv").get_data(as_text=True)
    lines = csv.lstrip("\ufeff").strip().splitlines()
    assert lines[0] == "Date,Engagement,Client,Activity,Days,State,Billable,Notes"
    assert len(lines) == 1 + 3 + 1  # header, Sam's three days, totals
    assert lines[1].startswith("2026-10-05,A support package,Client A Council,Bespoke commissioning training,1.00")
    assert "'=SUM(A1)" in csv  # a formula is escaped
    assert lines[-1].split(",")[4] == "2.25"
    xlsx = client.get("/days/mine?format=xlsx&activity=tools")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0][:2] == ["Date", "Engagement"]
    assert values[1][1] == "Other package" and float(values[1][4]) == 0.75


def test_my_days_is_for_people_who_log_days(app):
    assert access_rule(app, "days.my_days") == frozenset({Role.ADMIN, Role.MANAGER, Role.CONSULTANT})
    assert access_rule(app, "days.copy_last_week") == frozenset({Role.ADMIN, Role.MANAGER, Role.CONSULTANT})


def test_week_shows_the_weekend_when_a_weekend_day_exists_and_on_demand(login_as, world, session):
    client = login_as("consultant")
    html = client.get("/days/week?start=2026-11-16").get_data(as_text=True)
    assert "Sat<br>" not in html and "Show Saturday and Sunday" in html
    html = client.get("/days/week?start=2026-11-16&weekend=1").get_data(as_text=True)
    assert "Sat<br>" in html and "Sun<br>" in html and "Hide the weekend" in html
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 21), "0.5")
    html = client.get("/days/week?start=2026-11-16").get_data(as_text=True)
    assert "Sat<br>" in html and "This week has days on Saturday or Sunday" in html


def test_week_offers_no_silent_default_activity(login_as, world):
    html = login_as("consultant").get("/days/week?start=2026-11-16").get_data(as_text=True)
    select = html.split('name="rows-0-activity"', 1)[1].split("</select>", 1)[0]
    assert re.search(r'<option value="" selected>Choose an activity</option>', select)


def test_copy_last_week_through_the_page(login_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 17), "0.5", "mentoring")
    client = login_as("consultant")
    response = client.post("/days/week/copy", data={"start": "2026-11-23"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Copied 1 day from last week as planned days." in html
    response = client.post("/days/week/copy", data={"start": "2026-11-23"}, follow_redirects=True)
    assert "Nothing was copied" in response.get_data(as_text=True)  # Tuesday is booked now


@pytest.mark.parametrize(("role", "path", "expected"), [
    ("manager", "/reports/capacity", "Capacity"),
    ("manager", "/reports/reviews", "Capacity"),
    ("manager", "/reports/income", "Income"),
    ("finance", "/reports/income", "Income"),
    ("consultant", "/days/week", "My week"),
    ("consultant", "/engagements/{e}/days", "Engagements"),
    ("manager", "/reports/progress/{e}", "Engagements"),
    ("client", "/reports/progress/{e}", "Progress"),
    ("client", "/engagements/{e}/plan", "Engagements"),
    ("admin", "/users/new", "Users"),
    ("finance", "/invoices/aged-debt", "Invoices"),
])
def test_exactly_one_navigation_item_is_current(login_as, world, role, path, expected):
    html = login_as(role).get(path.format(e=world.engagement_a.id)).get_data(as_text=True)
    assert _current(html) == [expected]


def test_pages_outside_the_menu_mark_no_navigation_item(app, login_as):
    html = login_as("admin").get("/account/password").get_data(as_text=True)
    assert _current(html) == []
    with app.test_request_context("/"):
        assert current_nav("auth.change_password") is None


def test_every_page_uses_the_same_words_for_the_estimate_position(login_as, world, session):
    """28.25 delivered + 2 planned of a 30-day high estimate is over it by forecast,
    and every page says so in the same words."""
    e = world.engagement_a
    for i in range(28):
        day(session, e, world.staff["s1"], date(2026, 7, 1 + i), "1")
    day(session, e, world.staff["s1"], date(2026, 8, 3), "0.25")
    day(session, e, world.staff["s1"], date(2026, 12, 1), "1", state="planned")
    day(session, e, world.staff["s1"], date(2026, 12, 2), "1", state="planned")
    manager = login_as("manager")
    pages = {
        "engagement": manager.get(f"/engagements/{e.id}"),
        "list": manager.get("/engagements/"),
        "dashboard": manager.get("/"),
        "income": manager.get("/reports/income?start=2026-06-01&end=2026-11-23"),
        "progress": manager.get(f"/reports/progress/{e.id}"),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "over the high estimate" in html, name
        for wrong in ("OVER THE HIGH", ">over<", ">Above<", "Past 80%"):
            assert wrong not in html, (name, wrong)
        assert "forecast (delivered + planned)" in html.lower(), name


def test_numeric_settings_are_typed_into_number_inputs(login_as, world):
    admin = login_as("admin")
    terms = admin.get("/settings/payment_terms_days").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="value"[^>]*type="number"|<input[^>]*type="number"[^>]*id="value"', terms)
    assert '<textarea id="value"' not in terms and 'step="1"' in terms
    rate = admin.get("/settings/day_rate").get_data(as_text=True)
    assert 'type="number"' in rate and 'step="0.01"' in rate
    assert '<textarea' in admin.get("/settings/remittance_details").get_data(as_text=True)
    response = admin.post("/settings/payment_terms_days", data={"value": "abc", "effective_from": "2026-11-23"})
    assert "must be a whole number from 1 to 365" in response.get_data(as_text=True)
