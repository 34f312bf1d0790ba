"""Single sign-on against a real OpenID provider (oidc-provider, started by the
tests on loopback): matching by verified e-mail, and every refusal audited,
clear, without a session and without a 500."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import ACTOR, PASSWORD
from tests.oidc_peer import CLIENT_ID, CLIENT_SECRET, oidc_provider, sign_in_at_provider
from tracker.audit.models import AuditLog
from tracker.auth.models import User
from tracker.extensions import db
from tracker.settings import services as settings

ACCOUNTS = {
    "unverified": {"email": "manager@lead.example.org", "email_verified": False},
    "no-email": {"name": "Nobody"},
    "new-colleague": {"email": "new.colleague@lead.example.org", "email_verified": True, "name": "New Colleague"},
}


@pytest.fixture(scope="module")
def issuer():
    with oidc_provider(["http://localhost/login/sso/callback"], ACCOUNTS) as url:
        yield url


@pytest.fixture
def sso_app(app, issuer):
    app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET)
    yield app
    app.config.update(OIDC_ISSUER="", OIDC_CLIENT_ID="", OIDC_CLIENT_SECRET="")


def _round_trip(client, login):
    start = client.get("/login/sso/?next=/engagements/")
    assert start.status_code == 302, start.get_data(as_text=True)
    back = sign_in_at_provider(start.headers["Location"], login)
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}"), parts


def _failures():
    db.session.rollback()
    return [(r.after["reason"], r.after["email"]) for r in db.session.query(AuditLog).filter_by(action="auth.sso_failed")]


def test_the_login_page_offers_sso_only_when_configured(app, sso_app):
    assert "Sign in with your council account" in sso_app.test_client().get("/login").get_data(as_text=True)
    sso_app.config["OIDC_ISSUER"] = ""
    assert "council account" not in app.test_client().get("/login").get_data(as_text=True)
    assert app.test_client().get("/login/sso/").headers["Location"] == "/login"


def test_a_verified_email_of_an_active_user_signs_in(sso_app, world):
    client = sso_app.test_client()
    response, _ = _round_trip(client, "manager@lead.example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/engagements/"
    assert "Max Manager" in client.get("/").get_data(as_text=True)
    db.session.rollback()
    row = db.session.query(AuditLog).filter_by(action="auth.sign_in").one()
    assert row.after["method"] == "sso" and row.actor_id == world.users["manager"].id


def test_a_replayed_callback_is_refused(sso_app, world):
    client = sso_app.test_client()
    first, parts = _round_trip(client, "consultant@lead.example.org")
    assert first.status_code == 302
    client.post("/logout")
    replay = client.get(f"{parts.path}?{parts.query}")
    assert replay.status_code == 401 and "expired or was already used" in replay.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _failures() == [("state", "")]


def test_an_expired_state_is_refused(sso_app, world):
    client = sso_app.test_client()
    start = client.get("/login/sso/")
    state = parse_qs(urlsplit(start.headers["Location"]).query)["state"][0]
    with client.session_transaction() as sess:
        key = f"_state_council_{state}"
        data = sess[key]
        data["exp"] -= 601  # started eleven minutes ago
        sess[key] = data
    back = urlsplit(sign_in_at_provider(start.headers["Location"], "consultant@lead.example.org"))
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 401 and "expired" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert _failures() == [("state_expired", "")]


@pytest.mark.parametrize(("login", "reason", "message"), [
    ("stranger@elsewhere.example.org", "unknown_user", "There is no account for stranger@elsewhere.example.org"),
    ("unverified", "email_unverified", "is not verified"),
    ("no-email", "no_email", "did not share an e-mail address"),
])
def test_unknown_unverified_and_missing_emails_are_refused(sso_app, world, login, reason, message):
    client = sso_app.test_client()
    response, _ = _round_trip(client, login)
    assert response.status_code == 401 and message in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [r for r, _ in _failures()] == [reason]


def test_a_deactivated_user_is_refused(sso_app, world):
    user = world.users["consultant"]
    user.active = False
    db.session.commit()
    client = sso_app.test_client()
    response, _ = _round_trip(client, "consultant@lead.example.org")
    assert response.status_code == 401 and "switched off" in response.get_data(as_text=True)
    assert _failures() == [("inactive", "consultant@lead.example.org")]


def test_the_admin_may_allow_new_consultants_from_one_domain(sso_app, world):
    client = sso_app.test_client()
    refused, _ = _round_trip(client, "new-colleague")
    assert refused.status_code == 401
    settings.set_value(db.session, "sso_new_user_domain", "@Lead.Example.Org", date(2026, 1, 1), ACTOR)
    created, _ = _round_trip(sso_app.test_client(), "new-colleague")
    assert created.status_code == 302
    db.session.rollback()
    user = db.session.query(User).filter_by(email="new.colleague@lead.example.org").one()
    assert user.role.value == "consultant" and user.name == "New Colleague"
    assert db.session.query(AuditLog).filter_by(action="auth.sso_create_user").count() == 1


def test_staff_can_be_kept_to_sso_and_sso_satisfies_required_mfa(sso_app, world):
    settings.set_value(db.session, "sso_only_for_staff", "yes", date(2026, 1, 1), ACTOR)
    settings.set_value(db.session, "mfa_required_roles", "admin, finance", date(2026, 1, 1), ACTOR)
    page = sso_app.test_client().post("/login", data={"email": "manager@lead.example.org", "password": PASSWORD})
    assert "Staff sign in with their council account" in page.get_data(as_text=True)
    token = sso_app.test_client().post("/api/v1/tokens", json={"email": "manager@lead.example.org",
                                                               "password": PASSWORD})
    assert token.status_code == 401 and token.json["error"]["code"] == "sso_required"
    client_user = sso_app.test_client().post("/login", data={"email": "user@a.example.org", "password": PASSWORD})
    assert client_user.status_code == 302  # client users keep passwords
    finance = sso_app.test_client()
    response, _ = _round_trip(finance, "finance@lead.example.org")
    assert response.status_code == 302
    assert finance.get("/invoices/").status_code == 200  # not sent to MFA enrolment


def test_an_unreachable_provider_is_a_clear_message(app, world):
    app.config.update(OIDC_ISSUER="http://127.0.0.1:9", OIDC_CLIENT_ID="x", OIDC_CLIENT_SECRET="y")
    try:
        response = app.test_client().get("/login/sso/")
        assert response.status_code == 503 and "cannot be reached" in response.get_data(as_text=True)
    finally:
        app.config.update(OIDC_ISSUER="", OIDC_CLIENT_ID="", OIDC_CLIENT_SECRET="")
