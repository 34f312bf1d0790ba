"""Sign-in throttling counts failures only (tracker/auth/throttle.py), on the
login page and POST /api/v1/tokens alike, per real client behind PROXY_HOPS."""

import pytest

from tests.conftest import make_config
from tests.factories import PASSWORD
from tracker import create_app
from tracker.audit.models import AuditLog
from tracker.auth import throttle
from tracker.database import utcnow
from tracker.extensions import db

MANAGER = "manager@lead.example.org"
FINANCE = "finance@lead.example.org"


def _login(app, ip, email=MANAGER, password="wrong password", headers=None):
    client = app.test_client()
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip}, headers=headers or {})


def test_two_hundred_successful_sign_ins_from_one_address_all_succeed(app, world):
    for i in range(200):
        email = MANAGER if i % 2 else FINANCE
        response = _login(app, "10.0.0.1", email=email, password=PASSWORD)
        assert response.status_code == 302 and response.headers["Location"] == "/", i
    assert db.session.query(AuditLog).filter_by(action="auth.sign_in").count() == 200


def test_twelve_failures_on_one_account_do_not_stop_a_colleague_at_the_same_address(app, world):
    answers = [_login(app, "10.0.0.2").status_code for _ in range(12)]
    assert answers[:5] == [200] * 5  # wrong password, said beside the field
    assert 429 in answers  # then the account slows down
    refused = _login(app, "10.0.0.2")
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= throttle.ACCOUNT_DELAY_CAP
    assert "Too many failed sign-in attempts. Wait" in refused.get_data(as_text=True)
    colleague = _login(app, "10.0.0.2", email=FINANCE, password=PASSWORD)
    assert colleague.status_code == 302 and colleague.headers["Location"] == "/"


def test_failures_are_audited_with_address_and_email_but_never_the_password(app, world):
    _login(app, "10.0.0.3", password="my secret guess")
    _login(app, "10.0.0.3", email="nobody@nowhere.example.org", password="another guess")
    rows = db.session.query(AuditLog).filter_by(action="auth.sign_in_failed").order_by(AuditLog.id).all()
    assert [(r.after["email"], r.after["address"], r.entity) for r in rows] == [
        (MANAGER, "10.0.0.3", "user"), ("nobody@nowhere.example.org", "10.0.0.3", "sign_in")]
    assert all("guess" not in str(r.after) and "guess" not in str(r.before) for r in rows)


def test_the_token_endpoint_follows_the_same_rules(app, world):
    client = app.test_client()
    env = {"REMOTE_ADDR": "10.0.2.1"}
    codes = [client.post("/api/v1/tokens", json={"email": FINANCE, "password": "nope"}, environ_base=env).status_code
             for _ in range(7)]
    assert codes[:5] == [401] * 5 and codes[-1] == 429
    r = client.post("/api/v1/tokens", json={"email": FINANCE, "password": "nope"}, environ_base=env)
    assert r.status_code == 429 and r.json["error"]["code"] == "too_many_requests"
    assert int(r.headers["Retry-After"]) == r.json["error"]["retry_after"] >= 1
    ok = client.post("/api/v1/tokens", json={"email": MANAGER, "password": PASSWORD}, environ_base=env)
    assert ok.status_code == 201
    for _ in range(50):  # successes never count
        assert client.post("/api/v1/tokens", json={"email": MANAGER, "password": PASSWORD},
                           environ_base=env).status_code == 201


@pytest.fixture
def proxied_app(app, database_url):
    config = make_config(database_url)
    config.PROXY_HOPS = 1
    config.WTF_CSRF_ENABLED = False
    return create_app(config)


def test_behind_one_proxy_failures_count_per_real_client(proxied_app, world):
    proxy = "10.9.9.9"  # every request comes from nginx's address
    for _ in range(throttle.PAIR_LOCK_AFTER + 2):
        _login(proxied_app, proxy, headers={"X-Forwarded-For": "203.0.113.7"})
    rows = db.session.query(AuditLog).filter_by(action="auth.sign_in_failed").all()
    assert rows and {r.after["address"] for r in rows} == {"203.0.113.7"}
    assert {f.address for f in db.session.query(throttle.SignInFailure)} == {"203.0.113.7"}
    # Another client behind the same proxy: the address rule does not touch them.
    assert throttle.wait_needed(db.session, FINANCE, "198.51.100.2", utcnow()) == 0
    ok = _login(proxied_app, proxy, email=FINANCE, password=PASSWORD, headers={"X-Forwarded-For": "198.51.100.2"})
    assert ok.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    signed_in = db.session.query(AuditLog).filter_by(action="auth.sign_in").one()
    assert signed_in.after["address"] == "198.51.100.2"


def test_without_proxy_hops_a_forged_forwarded_header_is_ignored(app, world):
    _login(app, "10.0.4.4", headers={"X-Forwarded-For": "1.2.3.4"})
    row = db.session.query(AuditLog).filter_by(action="auth.sign_in_failed").one()
    assert row.after["address"] == "10.0.4.4"
