"""Months and dates are bounded (2000-01-01 .. 2100-12-31): outside that a
page or API call answers 422 naming the parameter, never "year 10000 is out
of range" (500), and nothing far outside is stored to break reports later."""

import pytest
import sqlalchemy as sa

from tests.factories import billing_samples, sap_objects
from tracker.dates import EARLIEST, LATEST, check_date, parse_month
from tracker.days.models import SupportDay
from tracker.errors import ValidationFailed


def test_the_shared_helpers():
    assert str(parse_month("2100-12")) == "2100-12-01" and str(parse_month("2000-01")) == "2000-01-01"
    for raw in ("9999-12", "1999-12", "0000-01", "2026-13", "2026", "abc", "10000-01"):
        with pytest.raises(ValidationFailed) as err:
            parse_month(raw)
        assert "month" in err.value.fields
    check_date(EARLIEST, "on")
    check_date(LATEST, "on")
    with pytest.raises(ValidationFailed) as err:
        check_date(LATEST.replace(year=2101), "end_date")
    assert "2100" in err.value.fields["end_date"]


@pytest.mark.parametrize("month", ["9999-12", "1999-12", "0001-01"])
def test_capacity_page_and_api_refuse_months_out_of_range(login_as, api_as, world, month):
    r = login_as("manager").get(f"/reports/capacity?month={month}")
    assert r.status_code == 422 and "2100" in r.get_data(as_text=True)
    r = api_as("manager").get(f"/api/v1/reports/capacity?month={month}")
    assert r.status_code == 422 and "month" in r.json["error"]["fields"]
    assert login_as("manager").get("/reports/capacity?month=2100-12").status_code == 200


def test_capacity_review_actions_and_exports_refuse_them_too(login_as, world):
    manager = login_as("manager")
    assert manager.get("/reports/capacity?month=9999-12&format=csv").status_code == 422
    r = manager.post("/reports/capacity/9999-12/review", data={"reviewed_on": "2026-11-20", "notes": "x"})
    assert r.status_code in (404, 422)


def test_day_lists_refuse_them(login_as, api_as, world):
    url = f"/engagements/{world.engagement_a.id}/days?month=9999-12"
    r = login_as("manager").get(url)
    assert r.status_code == 200 and "2100" in r.get_data(as_text=True)  # shown beside the filter
    r = api_as("manager").get(f"/api/v1/engagements/{world.engagement_a.id}/days?month=9999-12")
    assert r.status_code == 422 and "month" in r.json["error"]["fields"]


def test_income_page_and_api_refuse_dates_out_of_range(login_as, api_as, world):
    r = api_as("finance").get("/api/v1/reports/income?start=2026-01-01&end=9999-12-31")
    assert r.status_code == 422 and "end" in r.json["error"]["fields"]
    r = login_as("finance").get("/reports/income?start=0001-01-01&end=2026-01-01")
    assert r.status_code in (200, 422) and "2000" in r.get_data(as_text=True)


def test_stored_dates_are_bounded(api_as, login_as, world):
    body = {"client_id": world.client_a.id, "title": "T", "start_date": "2026-06-01", "end_date": "9999-12-31",
            "estimated_days_low": "20", "estimated_days_high": "30"}
    r = api_as("manager").post("/api/v1/engagements", json=body)
    assert r.status_code == 422 and "end_date" in r.json["error"]["fields"]
    r = api_as("manager").post(f"/api/v1/engagements/{world.engagement_a.id}/days",
                               json={"staff_id": world.staff["s1"].id, "worked_on": "9999-12-31",
                                     "activity": "scoping", "days": "1", "state": "planned"})
    assert r.status_code == 422 and "worked_on" in r.json["error"]["fields"]
    r = login_as("manager").post("/engagements/new", data=body | {"kind": "support_package", "vat": "0.20"})
    assert r.status_code in (200, 422) and "2100" in r.get_data(as_text=True)


def test_week_page_far_dates_fall_back_to_this_week(login_as, world):
    assert login_as("manager").get("/days/week?start=9999-12-31").status_code == 200


def test_cli_capacity_refuses_them(runner, world):
    result = runner.invoke(args=["reports", "capacity", "--month", "9999-12", "--format", "csv"])
    assert result.exit_code != 0 and "2100" in result.output


FAR = "9999-12-31"


def test_no_page_with_a_date_field_fails_on_a_far_date(login_as, world, session):
    """Every form and filter with a date, given 31 Dec 9999: a message or no filter, never a 500."""
    invoice = billing_samples(session, world)["a"]
    goal = sap_objects(session, world)["a"].goal
    e = world.engagement_a.id
    manager, admin, finance = login_as("manager"), login_as("admin"), login_as("finance")
    s1 = world.staff["s1"].id
    posts = [
        (manager, f"/engagements/{e}/days/new", {"staff_id": s1, "worked_on": FAR, "activity": "scoping", "days": "1",
                                                 "state": "planned"}),
        (manager, f"/engagements/{e}/days/plan", {"staff_id": s1, "first": FAR, "count": "3", "days_each": "1",
                                                  "activity": "scoping"}),
        (manager, f"/engagements/{e}/assessments/new", {"label": "Far", "assessed_on": FAR}),
        (manager, f"/goals/{goal.id}/milestones/new", {"title": "Far", "owner": "Me", "due_on": FAR,
                                                       "status": "not_started"}),
        (admin, "/settings/day_rate", {"value": "600.00", "effective_from": FAR, "note": ""}),
        (finance, "/invoices/new", {"client_id": world.client_a.id, "up_to": FAR}),
        (finance, f"/invoices/{invoice.id}/payments", {"amount": "1.00", "paid_on": FAR}),
        (manager, "/reports/capacity/2026-11/review", {"reviewed_on": FAR, "notes": "x"}),
    ]
    for client, url, data in posts:
        r = client.post(url, data=data)
        assert r.status_code in (200, 302, 422), (url, r.status_code)
    gets = [(admin, f"/audit/?start=0001-01-01&end={FAR}"), (finance, f"/invoices/?issued_from={FAR}&issued_to={FAR}"),
            (finance, f"/invoices/export?issued_to={FAR}&format=csv"), (manager, f"/reports/income?end={FAR}"),
            (manager, f"/days/week?start={FAR}")]
    for client, url in gets:
        r = client.get(url)
        assert r.status_code in (200, 422), (url, r.status_code)
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay).where(SupportDay.worked_on > LATEST)) == 0
