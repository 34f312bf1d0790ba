"""Rendered pages and API lists kept per worker (tracker/page_cache.py): served
again only to the same question from the same scope, fresh after any recorded
change, each session with its own CSRF token."""

import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import day, engagement
from tests.web.test_query_counts import counting
from tracker import results_cache
from tracker.audit.models import AuditLog
from tracker.auth.services import load_session_user


def without_tokens(html: str) -> str:
    """The page with its CSRF tokens blanked: each request signs its own (with a timestamp)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1", html)


def statements(fetch, url):
    with counting() as seen:
        response = fetch(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, seen


PAGES = ["/engagements/", "/engagements/{a}/days", "/reports/income", "/reports/capacity?month=2026-11",
         "/reports/progress/{a}"]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_asked_again_runs_only_the_sign_in_and_stamp_queries(session, world, login_as, caching, url):
    url = url.format(a=world.engagement_a.id)
    client = login_as("manager")
    first, cold = statements(client.get, url)
    again, warm = statements(client.get, url)
    assert without_tokens(again.get_data(as_text=True)) == without_tokens(first.get_data(as_text=True))
    assert len(warm) < len(cold) and len(warm) <= 3, warm  # the user, the data stamp (and the engagement: 404 check)
    other, _ = statements(client.get, url + ("&" if "?" in url else "?") + "page=1")
    assert other.status_code == 200


def test_a_recorded_change_shows_at_once(session, world, login_as, caching):
    client = login_as("manager")
    url = f"/engagements/{world.engagement_a.id}/days"
    before = client.get(url).get_data(as_text=True)
    assert "3 Nov 2026" not in before
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 3), "0.5", "mentoring")
    assert "3 Nov 2026" in client.get(url).get_data(as_text=True)
    engagement(session, world.client_a, "Freshly added package")
    assert "Freshly added package" in client.get("/engagements/").get_data(as_text=True)


def test_each_scope_sees_its_own_rows(session, world, login_as, caching):
    engagement(session, world.client_b, "Only for B")
    manager = login_as("manager").get("/engagements/").get_data(as_text=True)
    client_a = login_as("client").get("/engagements/").get_data(as_text=True)
    client_b = login_as("client_b").get("/engagements/").get_data(as_text=True)
    assert "Only for B" in manager and "Only for B" in client_b and "Only for B" not in client_a
    assert "A support package" in client_a and "A support package" not in client_b
    # and the frame is each person's own
    assert "Alex of A" in client_a and "Bo of B" in client_b and "Max Manager" in manager


def test_each_session_gets_its_own_csrf_token_in_a_kept_page(app, world, login_as, caching, csrf_enabled):
    url = "/reports/capacity?month=2026-11"
    one, two = login_as("manager"), login_as("manager")
    first = one.get(url).get_data(as_text=True)
    second = two.get(url).get_data(as_text=True)  # served from the cache
    tokens_one = set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', first))
    tokens_two = set(re.findall(r'name="csrf_token"[^>]*value="([^"]+)"', second))
    assert tokens_one and tokens_two and not tokens_one & tokens_two
    assert "\x00" not in second
    # the kept page's review form posts with this session's token
    response = two.post("/reports/capacity/2026-11/review", data={
        "csrf_token": sorted(tokens_two)[0], "reviewed_on": "2026-11-23", "decisions": "Hold"})
    assert response.status_code == 302


def test_an_api_list_is_kept_byte_for_byte_and_fresh_after_a_write(session, world, api_as, caching):
    api = api_as("manager")
    url = f"/api/v1/engagements/{world.engagement_a.id}/days?per_page=5"
    first = api.get(url)
    again, warm = statements(api.get, url)
    assert again.get_data() == first.get_data() and again.mimetype == "application/json" and len(warm) <= 3
    created = api.post(f"/api/v1/engagements/{world.engagement_a.id}/days", json={
        "staff_id": world.staff["s1"].id, "worked_on": "2026-11-05", "activity": "tools", "days": "0.25"})
    assert created.status_code == 201
    assert api.get(url).get_json()["total"] == first.get_json()["total"] + 1
    assert api.get("/api/v1/engagements").get_json()["total"] == 2


def test_the_stamp_moves_when_an_older_audit_id_commits_late(session, world):
    """Two writers on PostgreSQL: ids 100 and 101, 101 committed first. When 100
    lands the newest id is still 101, but the stamp must move."""
    newest = session.scalar(sa.select(sa.func.max(AuditLog.id)))
    row = {"at": datetime.now(UTC), "actor_label": "test", "action": "update", "entity": "x", "entity_id": "1"}
    session.execute(sa.insert(AuditLog), [{**row, "id": newest + 2}])
    session.commit()
    stamp = results_cache.data_stamp(session)
    session.execute(sa.insert(AuditLog), [{**row, "id": newest + 1}])
    session.commit()
    assert results_cache.data_stamp(session) != stamp
    assert results_cache.data_stamp(session)[0] == stamp[0] == newest + 2


def test_the_signed_in_user_is_read_without_joins(session, world):
    session_id = world.users["client"].get_id()
    session.expunge_all()
    with counting() as seen:
        user = load_session_user(session, session_id)
    assert len(seen) == 1 and "JOIN" not in seen[0].upper()  # the users row alone
    assert user.authority.name == "Client A Council"  # read when a page asks for it


def test_a_day_on_one_engagement_leaves_anothers_pages_kept(session, world, login_as, api_as, caching):
    """tracker/cache_scope.py: B's day list and progress page do not show A's days, so they stay
    kept (only the sign-in, the stamp, the changes since and the 404 check run); A's move at once."""
    client, api = login_as("manager"), api_as("manager")
    b_pages = [f"/engagements/{world.engagement_b.id}/days", f"/reports/progress/{world.engagement_b.id}"]
    for url in b_pages:
        statements(client.get, url)
    a_list = f"/api/v1/engagements/{world.engagement_a.id}/days"
    assert api.get(a_list).get_json()["total"] == 0
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 3), "0.5", "mentoring")
    for url in b_pages:
        _, warm = statements(client.get, url)
        assert len(warm) <= 8 and not any("support_days" in s for s in warm), warm  # BEGIN, user, session, …
    assert api.get(a_list).get_json()["total"] == 1
    day(session, world.engagement_b, world.staff["s1"], date(2026, 11, 4), "1", "mentoring")
    assert "4 Nov 2026" in client.get(b_pages[0]).get_data(as_text=True)


def test_a_kept_page_is_one_query_and_the_mfa_rule_is_kept(
        session, world, login_as, caching):
    """A kept page costs one query: the user with its session record and the data stamp. The MFA
    rule (a setting) is kept too, and a change to it is in force on the next request."""
    from tracker.settings import services as settings

    client = login_as("manager")
    statements(client.get, "/reports/income")
    _, warm = statements(client.get, "/reports/income")
    warm = [statement for statement in warm if statement.strip().upper() not in ("BEGIN", "COMMIT", "ROLLBACK")]
    # One query: the user, its session record and the data stamp (results_cache.stamp_columns).
    assert len(warm) == 1 and "JOIN user_sessions" in warm[0] and "audit_log" in warm[0], warm
    settings.set_value(session, "mfa_required_roles", "manager", date(2026, 1, 1), None)
    response = client.get("/reports/income")
    assert response.status_code == 302 and response.headers["Location"] == "/account/mfa"


def test_the_menu_links_are_built_once_per_mount_point(app):
    from flask import url_for

    from tracker.web import fixed_url

    for root in ("", "/tracker"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for args in (("engagements.list_engagements",), ("static",)):
                kw = {"filename": "css/app.css"} if args[0] == "static" else {}
                assert fixed_url(*args, **kw) == url_for(*args, **kw)
                assert fixed_url(*args, **kw).startswith(f"{root}/")
