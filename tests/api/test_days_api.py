import io
from datetime import date

import sqlalchemy as sa

from tests.factories import day
from tracker.days.models import DayState, SupportDay


def _body(world, **kw):
    return {"staff_id": world.staff["s1"].id, "worked_on": "2026-11-02", "activity": "scoping", "days": "0.5"} | kw


def test_record_list_patch_delete(api_as, world, session):
    api = api_as("consultant")
    url = f"/api/v1/engagements/{world.engagement_a.id}/days"
    r = api.post(url, json=_body(world, days=0.75, notes="Workshop"))
    assert r.status_code == 201, r.json
    body = r.json
    assert body["days"] == "0.75" and body["state"] == "delivered" and body["billable"] is True
    assert body["engagement_id"] == world.engagement_a.id
    listing = api.get(url).json
    assert listing["total"] == 1 and listing["items"][0]["id"] == body["id"]
    r = api.patch(f"/api/v1/days/{body['id']}", json={"days": "1", "activity": "mentoring"})
    assert r.status_code == 200 and r.json["days"] == "1.00" and r.json["activity"] == "mentoring"
    assert api.delete(f"/api/v1/days/{body['id']}").status_code == 204
    assert api.get(f"/api/v1/days/{body['id']}").status_code == 404


def test_engagement_shows_days_and_income(api_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    day(session, world.engagement_a, world.staff["s2"], date(2026, 11, 2), "0.5")
    day(session, world.engagement_a, world.staff["s2"], date(2026, 12, 2), "1", state="planned")
    e = api_as("manager").get(f"/api/v1/engagements/{world.engagement_a.id}").json
    assert (e["days_delivered"], e["days_planned"], e["income_delivered"]) == ("1.50", "1.00", "750.00")
    listed = api_as("client").get("/api/v1/engagements").json["items"][0]
    assert listed["income_delivered"] == "750.00"


def test_the_rules_answer_with_api_error_codes(api_as, world, session):
    api = api_as("manager")
    url = f"/api/v1/engagements/{world.engagement_a.id}/days"
    r = api.post(url, json=_body(world, days="0.3"))
    assert r.status_code == 422 and "days" in r.json["error"]["fields"]
    r = api.post(url, json=_body(world, days="7.5"))
    assert r.status_code == 422
    api.post(url, json=_body(world, days="0.75"))
    r = api.post(url, json=_body(world, days="0.5", activity="mentoring"))
    assert r.status_code == 409 and r.json["error"]["code"] == "double_booked"
    assert "A support package" in r.json["error"]["fields"]["days"]
    r = api.post(url, json=_body(world, worked_on="2027-01-04"))
    assert r.status_code == 422 and "future" in r.json["error"]["fields"]["worked_on"]
    r = api.post(url, json=_body(world, worked_on="2027-01-04", state="planned", days=1))
    assert r.status_code == 201 and r.json["state"] == "planned"
    r = api.post(url, json=_body(world, state="invoiced", worked_on="2026-11-05"))
    assert r.status_code == 422


def test_invoiced_days_are_409_on_patch_and_delete(api_as, world, session):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    d.state = DayState.INVOICED
    session.commit()
    api = api_as("manager")
    r = api.patch(f"/api/v1/days/{d.id}", json={"days": "0.5"})
    assert r.status_code == 409 and r.json["error"]["code"] == "locked"
    assert api.delete(f"/api/v1/days/{d.id}").status_code == 409


def test_consultants_and_clients_are_confined(api_as, world, session):
    theirs = day(session, world.engagement_b, world.staff["s2"], date(2026, 11, 2), "1")
    consultant = api_as("consultant")
    assert consultant.get(f"/api/v1/days/{theirs.id}").status_code == 404  # not on that team
    r = consultant.post(f"/api/v1/engagements/{world.engagement_a.id}/days", json=_body(world, staff_id=world.staff["s2"].id))
    assert r.status_code == 403
    client = api_as("client")
    assert client.get(f"/api/v1/engagements/{world.engagement_a.id}/days").status_code == 403
    assert client.get(f"/api/v1/engagements/{world.engagement_b.id}").status_code == 404


def test_import_all_or_nothing_lists_every_bad_row(api_as, world, session):
    api = api_as("manager")
    header = "engagement_id,staff_email,worked_on,activity,days,billable,notes\n"
    good = f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-02,scoping,1,,\n"
    bad = f"{world.engagement_a.id},sam.one@lead.example.org,2026-11-03,scoping,2,,\n" \
          f"{world.engagement_a.id},nobody@x.example.org,2026-11-03,scoping,1,,\n"
    r = api.post("/api/v1/days/import", data={"file": (io.BytesIO((header + good + bad).encode()), "d.csv")},
                 content_type="multipart/form-data")
    assert r.status_code == 422
    assert r.json["error"]["rows"] == [{"row": 3, "fields": {"days": "Days must be at most 1 (record days, not hours)."}},
                                       {"row": 4, "fields": {"staff_email": "No staff member has this e-mail."}}]
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay)) == 0
    r = api.post("/api/v1/days/import", data={"file": (io.BytesIO((header + good).encode()), "d.csv")},
                 content_type="multipart/form-data")
    assert r.status_code == 201 and r.json == {"imported": 1}
    r = api.post("/api/v1/days/import", data={}, content_type="multipart/form-data")
    assert r.status_code == 400 and "file" in r.json["error"]["fields"]


def test_days_carry_their_goal(api_as, world, session):
    from tests.factories import goal

    g = goal(session, world.engagement_a)
    api = api_as("manager")
    r = api.post(f"/api/v1/engagements/{world.engagement_a.id}/days", json=_body(world, goal_id=g.id))
    assert r.status_code == 201 and r.json["goal_id"] == g.id
    r2 = api.patch(f"/api/v1/days/{r.json['id']}", json={"days": "1"})
    assert r2.json["goal_id"] == g.id  # a missing key leaves the goal as it is
    r3 = api.patch(f"/api/v1/days/{r.json['id']}", json={"goal_id": None})
    assert r3.json["goal_id"] is None
    other = goal(session, world.engagement_b)
    r4 = api.patch(f"/api/v1/days/{r.json['id']}", json={"goal_id": other.id})
    assert r4.status_code == 422 and "goal_id" in r4.json["error"]["fields"]


def test_the_month_filter_takes_yyyy_mm_and_names_the_parameter_otherwise(api_as, world, session):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 30))
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2))
    api = api_as("manager")
    url = f"/api/v1/engagements/{world.engagement_a.id}/days"
    listing = api.get(url, query_string={"month": "2026-11"}).json
    assert [d["worked_on"] for d in listing["items"]] == ["2026-11-02"]
    for bad in ("2026-13", "November", "2026-11-02"):
        r = api.get(url, query_string={"month": bad})
        assert r.status_code == 422, bad
        assert set(r.json["error"]["fields"]) == {"month"}
