"""One rule for individual support days, decided in the days service and
applied by pages, API and lists alike: admins, managers and finance see every
day; a consultant sees only their own (a team-mate's day answers 404
everywhere, as a missing one does)."""

from datetime import date

from tests.factories import day
from tracker.days import services


def _days(session, world):
    own = day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "1")
    mate = day(session, world.engagement_a, world.staff["s2"], date(2026, 11, 3), "0.5")
    return own, mate


def test_the_service_decides(session, world):
    own, mate = _days(session, world)
    consultant, manager, finance = (world.users[k] for k in ("consultant", "manager", "finance"))
    assert services.may_see(session, consultant, own) and not services.may_see(session, consultant, mate)
    assert services.may_see(session, manager, mate) and services.may_see(session, finance, mate)


def test_pages_and_api_agree_for_a_consultant(login_as, api_as, world, session):
    own, mate = _days(session, world)
    page, api = login_as("consultant"), api_as("consultant")
    assert page.get(f"/days/{own.id}/edit").status_code == 200
    assert api.get(f"/api/v1/days/{own.id}").status_code == 200
    assert page.get(f"/days/{mate.id}/edit").status_code == 404
    assert page.post(f"/days/{mate.id}/edit", data={}).status_code == 404
    assert page.post(f"/days/{mate.id}/delete", data={}).status_code == 404
    assert api.get(f"/api/v1/days/{mate.id}").status_code == 404
    assert api.patch(f"/api/v1/days/{mate.id}", json={"notes": "x"}).status_code == 404
    assert api.delete(f"/api/v1/days/{mate.id}").status_code == 404

    listed = api.get(f"/api/v1/engagements/{world.engagement_a.id}/days").json
    assert [d["id"] for d in listed["items"]] == [own.id]
    html = page.get(f"/engagements/{world.engagement_a.id}/days").get_data(as_text=True)
    assert f"/days/{own.id}/edit" in html and f"/days/{mate.id}/edit" not in html
    # asking a list for someone else's days gives one's own, on the page and in the API
    other = api.get(f"/api/v1/engagements/{world.engagement_a.id}/days?staff_id={world.staff['s2'].id}").json
    assert [d["id"] for d in other["items"]] == [own.id]


def test_managers_and_finance_see_every_day_on_pages_and_api(login_as, api_as, world, session):
    _own, mate = _days(session, world)
    assert api_as("manager").get(f"/api/v1/days/{mate.id}").status_code == 200
    assert api_as("finance").get(f"/api/v1/days/{mate.id}").status_code == 200
    assert login_as("manager").get(f"/days/{mate.id}/edit").status_code == 200
    assert api_as("finance").get(f"/api/v1/engagements/{world.engagement_a.id}/days").json["total"] == 2
