"""Login throttling by IP and by account (Flask-Limiter)."""

import pytest

from tests.conftest import make_config
from tests.factories import PASSWORD
from tracker import create_app
from tracker.extensions import limiter


@pytest.fixture
def throttled_app(app, database_url, world):
    config = make_config(database_url)
    config.RATELIMIT_ENABLED = True
    config.RATELIMIT_STORAGE_URI = "memory://"
    config.LOGIN_RATE_LIMIT = "5 per minute"
    config.WTF_CSRF_ENABLED = False
    yield create_app(config)
    # Flask-Limiter keeps its state on the one Limiter object: hand it back to the
    # suite's app (throttling off) so no other test is throttled.
    limiter.init_app(app)
    assert limiter.enabled is False


def _attempt(app, ip, email="manager@lead.example.org", password="wrong password"):
    client = app.test_client()
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def test_too_many_attempts_from_one_address_are_refused(throttled_app):
    for _ in range(5):
        assert _attempt(throttled_app, "10.0.0.1", email="someone@x.example.org").status_code == 200
    blocked = _attempt(throttled_app, "10.0.0.1", email="other@x.example.org")
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)


def test_one_account_is_protected_across_addresses(throttled_app):
    for i in range(5):
        _attempt(throttled_app, f"10.0.1.{i}")
    assert _attempt(throttled_app, "10.0.1.99").status_code == 429
    # even the right password waits: the account is throttled, not just the address
    assert _attempt(throttled_app, "10.0.1.100", password=PASSWORD).status_code == 429


def test_the_token_endpoint_is_throttled_too(throttled_app):
    client = throttled_app.test_client()
    for _ in range(5):
        client.post("/api/v1/tokens", json={"email": "finance@lead.example.org", "password": "nope"},
                    environ_base={"REMOTE_ADDR": "10.0.2.1"})
    r = client.post("/api/v1/tokens", json={"email": "finance@lead.example.org", "password": "nope"},
                    environ_base={"REMOTE_ADDR": "10.0.2.1"})
    assert r.status_code == 429 and r.json["error"]["code"] == "too_many_requests"
