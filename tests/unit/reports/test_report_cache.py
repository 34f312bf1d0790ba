"""Report results are served again only while no data has changed."""

from datetime import date
from decimal import Decimal

from tests.factories import day, seed_days
from tracker import results_cache as cache
from tracker.reports.income import report as income


def test_the_same_question_is_computed_once_until_data_changes(session, world, caching):
    calls = []

    def compute():
        calls.append(1)
        return income.income_report(session, date(2026, 4, 1), date(2026, 11, 23), "client")

    seed_days(session, world)
    first = cache.cached(session, "income", ("q",), compute)
    again = cache.cached(session, "income", ("q",), compute)
    assert again is first and len(calls) == 1
    cache.cached(session, "income", ("other",), compute)  # another question
    assert len(calls) == 2
    day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 5), "0.5", "mentoring")  # audited write
    fresh = cache.cached(session, "income", ("q",), compute)
    assert len(calls) == 3 and fresh.totals.days == first.totals.days + Decimal("0.5")


def test_off_means_computed_every_time(session, world):
    calls = []
    for _ in range(2):
        cache.cached(session, "income", ("q",), lambda: calls.append(1))
    assert len(calls) == 2


def test_the_page_shows_a_new_day_at_once_with_the_cache_on(login_as, session, world, caching):
    seed_days(session, world)
    client = login_as("finance")
    url = "/reports/income?start=2026-04-01&end=2026-11-23&by=client"
    assert "20.00" in client.get(url).get_data(as_text=True)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "0.5", "mentoring")
    assert "20.50" in client.get(url).get_data(as_text=True)


def test_engagement_totals_on_the_api_list_and_day_list_move_with_each_write(api_as, login_as, session, world, caching):
    seed_days(session, world)
    api = api_as("manager")

    def delivered_on_the_api():
        items = api.get("/api/v1/engagements?per_page=50").json["items"]
        return next(i["days_delivered"] for i in items if i["id"] == world.engagement_a.id)

    assert delivered_on_the_api() == "20.00"
    page = login_as("manager")
    listing = page.get(f"/engagements/{world.engagement_a.id}/days").get_data(as_text=True)
    assert "20.00" in listing and "20 in all" in listing
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "0.5", "mentoring")
    assert delivered_on_the_api() == "20.50"
    listing = page.get(f"/engagements/{world.engagement_a.id}/days").get_data(as_text=True)
    assert "20.50" in listing and "21 in all" in listing  # the cached count moved too


def test_a_new_client_is_in_the_list_filters_at_once_with_the_cache_on(login_as, session, world, caching):
    from tests.factories import authority

    page = login_as("manager")
    assert "Newtown Council" not in page.get("/engagements/").get_data(as_text=True)
    authority(session, "Newtown Council")
    assert ">Newtown Council</option>" in page.get("/engagements/").get_data(as_text=True)
