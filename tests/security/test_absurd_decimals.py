"""Absurd numbers in money and days fields — huge exponents, NaN, Infinity —
get 422 (API) or a message on the field (pages), never decimal.Overflow/500."""

import pytest
import sqlalchemy as sa

from tests.factories import billing_samples
from tracker.money import days, money, to_decimal
from tracker.staff.models import StaffMember

ABSURD = ["1e999999999", "-1e999999999", "1E+30", "NaN", "sNaN", "Infinity", "-inf"]


@pytest.mark.parametrize("text", ABSURD)
def test_the_one_parser_refuses_them_as_a_value_error(text):
    for parse in (to_decimal, money, days):
        with pytest.raises(ValueError):
            parse(text)


def test_sane_numbers_still_parse():
    assert str(money("1e3")) == "1000.00" and str(days("0.25")) == "0.25"
    assert str(money("£12,500.005")) == "12500.01"
    assert str(to_decimal("99999999999.99")) == "99999999999.99"


@pytest.mark.parametrize("text", ["1e999999999", "NaN", "Infinity"])
def test_api_money_and_days_fields_answer_422_naming_the_field(api_as, world, session, text):
    manager, finance = api_as("manager"), api_as("finance")
    engagement = {"client_id": world.client_a.id, "title": "T", "start_date": "2026-06-01",
                  "end_date": "2027-05-31", "estimated_days_low": "20", "estimated_days_high": "30"}
    for name in ("day_rate", "estimated_days_low", "estimated_days_high", "vat_rate"):
        r = manager.post("/api/v1/engagements", json=engagement | {name: text})
        assert r.status_code == 422 and name in r.json["error"]["fields"], (name, r.status_code)
        r = manager.patch(f"/api/v1/engagements/{world.engagement_a.id}", json={name: text})
        assert r.status_code == 422 and name in r.json["error"]["fields"], (name, r.status_code)
    staff = {"name": "New Person", "email": "new@lead.example.org", "monthly_capacity_days": "18",
             "external_cap_share": "0.20"}
    for name in ("monthly_capacity_days", "external_cap_share"):
        r = manager.post("/api/v1/staff", json=staff | {name: text})
        assert r.status_code == 422 and name in r.json["error"]["fields"], (name, r.status_code)
    r = manager.post(f"/api/v1/engagements/{world.engagement_a.id}/days",
                     json={"staff_id": world.staff["s1"].id, "worked_on": "2026-11-02", "activity": "scoping",
                           "days": text})
    assert r.status_code == 422 and "days" in r.json["error"]["fields"]
    invoice = billing_samples(session, world)["a"]
    r = finance.post(f"/api/v1/invoices/{invoice.id}/payments", json={"amount": text, "paid_on": "2026-11-20"})
    assert r.status_code == 422 and "amount" in r.json["error"]["fields"]


def test_json_numbers_beyond_float_are_refused_too(api_as, world):
    r = api_as("manager").post("/api/v1/staff", data='{"name": "N", "email": "n@lead.example.org", '
                               '"monthly_capacity_days": 1e999999999, "external_cap_share": NaN}',
                               content_type="application/json")
    assert r.status_code == 422
    assert {"monthly_capacity_days", "external_cap_share"} <= set(r.json["error"]["fields"])


@pytest.mark.parametrize("text", ["1e999999999", "NaN", "-Infinity"])
def test_forms_show_the_message_on_the_field(login_as, world, session, text):
    manager, admin, finance = login_as("manager"), login_as("admin"), login_as("finance")
    staff = {"name": "New Person", "email": "new@lead.example.org", "monthly_capacity_days": "18",
             "external_cap_share": "20"}
    posts = [
        (manager, "/staff/new", staff, "monthly_capacity_days"),
        (manager, "/staff/new", staff, "external_cap_share"),
        (manager, "/engagements/new", {"client_id": world.client_a.id, "title": "T", "kind": "support_package",
                                       "start_date": "2026-06-01", "end_date": "2027-05-31",
                                       "estimated_days_low": "20", "estimated_days_high": "30",
                                       "vat": "0.20"}, "day_rate"),
        (manager, f"/engagements/{world.engagement_a.id}/days/new",
         {"staff_id": world.staff["s1"].id, "worked_on": "2026-11-02", "activity": "scoping",
          "state": "delivered"}, "days"),
        (manager, f"/engagements/{world.engagement_a.id}/days/plan",
         {"staff_id": world.staff["s1"].id, "first": "2026-12-01", "count": "1", "activity": "scoping"}, "days_each"),
        (admin, "/settings/day_rate", {"effective_from": "2026-12-01", "note": "x"}, "value"),
    ]
    invoice = billing_samples(session, world)["a"]
    posts.append((finance, f"/invoices/{invoice.id}/payments", {"paid_on": "2026-11-20"}, "amount"))
    for client, url, form, name in posts:
        r = client.post(url, data=form | {name: text})
        assert r.status_code in (200, 302, 422), (url, name, r.status_code)
        if r.status_code == 302:
            r = client.get(r.headers["Location"])
        body = r.get_data(as_text=True)
        assert "Something went wrong" not in body, (url, name)
        assert r.status_code != 500
    assert session.scalar(sa.select(sa.func.count()).select_from(StaffMember)
                          .where(StaffMember.email == "new@lead.example.org")) == 0
