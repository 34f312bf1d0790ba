"""MFA through the pages: enrolment, the second step, recovery codes, the
admin's "require MFA for roles", and a fresh session at each sign-in."""

import re
from datetime import date

import pyotp

from tests.conftest import login
from tests.factories import ACTOR, PASSWORD
from tracker.audit.models import AuditLog
from tracker.auth import mfa
from tracker.database import utcnow
from tracker.extensions import db
from tracker.settings import services as settings

MANAGER = "manager@lead.example.org"


def csrf_token(client, url):
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def password_step(client, email=MANAGER, next_url=""):
    return client.post("/login", data={"email": email, "password": PASSWORD, "next": next_url})


def test_enrol_on_the_page_then_sign_in_with_a_code(app, world):
    client = login(app.test_client(), world.users["manager"])
    page = client.get("/account/mfa")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg " in html and "<script" not in html.split("<main")[1].split("</main>")[0]
    secret = re.search(r'<code class="mfa-key" data-key="([A-Z2-7]+)">', html).group(1)
    wrong = client.post("/account/mfa", data={"code": "12345x"})
    assert "That code is not right" in wrong.get_data(as_text=True)
    shown = client.post("/account/mfa", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", shown.get_data(as_text=True))
    assert len(codes) == 10 and "shown only now" in shown.get_data(as_text=True)
    assert "MFA is on" in client.get("/account/mfa").get_data(as_text=True)

    browser = app.test_client()
    first = password_step(browser, next_url="/engagements/")
    assert first.status_code == 302 and first.headers["Location"] == "/login/code"
    assert browser.get("/").status_code == 302  # not signed in yet
    bad = browser.post("/login/code", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"})
    assert "That code is not right" in bad.get_data(as_text=True)
    ok = browser.post("/login/code", data={"code": codes[0]})
    assert ok.status_code == 302 and ok.headers["Location"] == "/engagements/"
    assert browser.get("/").status_code == 200
    db.session.rollback()
    methods = [r.after["method"] for r in db.session.query(AuditLog).filter_by(action="auth.sign_in")]
    assert methods == ["password+recovery"]
    failed = db.session.query(AuditLog).filter_by(action="auth.sign_in_failed").one()
    assert failed.after["reason"] == "mfa_code" and failed.after["email"] == MANAGER

    again = app.test_client()
    password_step(again)
    reused = again.post("/login/code", data={"code": codes[0]})
    assert reused.status_code == 200 and "already used" in reused.get_data(as_text=True)


def test_the_code_step_expires_and_needs_the_password_first(app, world):
    assert app.test_client().get("/login/code").headers["Location"].startswith("/login")
    user = world.users["manager"]
    secret, _ = mfa.start_enrolment(db.session, user)
    mfa.confirm_enrolment(db.session, user, user, pyotp.TOTP(secret).now(), utcnow())
    browser = app.test_client()
    password_step(browser)
    with browser.session_transaction() as sess:
        pending = sess["mfa_pending"]
        pending["at"] -= 600
        sess["mfa_pending"] = pending
    assert browser.get("/login/code").headers["Location"].startswith("/login")


def test_required_roles_are_sent_to_enrolment_until_they_have_it(app, world):
    settings.set_value(db.session, "mfa_required_roles", "admin, finance", date(2026, 1, 1), ACTOR)
    browser = app.test_client()
    assert password_step(browser, "finance@lead.example.org").status_code == 302
    home = browser.get("/invoices/")
    assert home.status_code == 302 and home.headers["Location"] == "/account/mfa"
    html = browser.get("/account/mfa").get_data(as_text=True)
    assert "must use multi-factor" in html
    secret = re.search(r'<code class="mfa-key" data-key="([A-Z2-7]+)">', html).group(1)
    browser.post("/account/mfa", data={"code": pyotp.TOTP(secret).now()})
    assert browser.get("/invoices/").status_code == 200
    # a role not named is not sent there
    manager = app.test_client()
    password_step(manager)
    assert manager.get("/engagements/").status_code == 200
    # and a required user cannot turn it off
    off = browser.post("/account/mfa/disable", data={"code": "123456"}, follow_redirects=True)
    assert "cannot be turned off" in off.get_data(as_text=True)


def test_the_setting_names_roles_or_none(app, world):
    client = login(app.test_client(), world.users["admin"])
    bad = client.post("/settings/mfa_required_roles", data={"value": "admin, wizard", "effective_from": "2026-11-23"})
    assert "Unknown role wizard" in bad.get_data(as_text=True)
    ok = client.post("/settings/mfa_required_roles", data={"value": "Finance,admin", "effective_from": "2026-11-23"})
    assert ok.status_code == 302
    assert settings.value_on(db.session, "mfa_required_roles", date(2026, 11, 23)) == "admin, finance"


def test_sign_in_gives_a_fresh_session_and_csrf_token(app, world, csrf_enabled):
    browser = app.test_client()
    before = csrf_token(browser, "/login")
    with browser.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    browser.post("/login", data={"email": MANAGER, "password": PASSWORD, "csrf_token": before})
    with browser.session_transaction() as sess:
        assert "planted" not in sess and sess.get("csrf_token") is None
    after = csrf_token(browser, "/")
    assert after != before
    browser.post("/logout", data={"csrf_token": after})
    with browser.session_transaction() as sess:
        assert set(sess) <= {"_flashes"}


def test_account_page_lists_sessions_and_tokens_and_revokes_them(app, world, api_as):
    user = world.users["consultant"]
    laptop = app.test_client()
    password_step(laptop, "consultant@lead.example.org")
    phone = app.test_client()
    password_step(phone, "consultant@lead.example.org")
    api = api_as("consultant")
    assert api.get("/api/v1/engagements").status_code == 200
    html = laptop.get("/account/").get_data(as_text=True)
    assert "This browser" in html and html.count('name="session_id"') == 1 and 'name="token_id"' in html
    session_id = re.search(r'name="session_id" value="(\d+)"', html).group(1)
    assert laptop.post("/account/sessions/revoke", data={"session_id": session_id}).status_code == 302
    assert phone.get("/").status_code == 302  # signed out
    assert laptop.get("/").status_code == 200
    token_id = re.search(r'name="token_id" value="(\d+)"', html).group(1)
    laptop.post("/account/tokens/revoke", data={"token_id": token_id})
    assert api.get("/api/v1/engagements").status_code == 401
    other = login(app.test_client(), world.users["manager"])
    assert other.post("/account/sessions/revoke", data={"session_id": session_id}).status_code == 404
    db.session.rollback()
    actions = {r.action for r in db.session.query(AuditLog).filter(AuditLog.actor_id == user.id)}
    assert {"auth.sign_in", "auth.session_revoke", "auth.token_revoke"} <= actions


def test_sign_out_can_also_revoke_api_tokens(app, world, api_as):
    api = api_as("consultant")
    browser = app.test_client()
    password_step(browser, "consultant@lead.example.org")
    browser.post("/logout")
    assert api.get("/api/v1/engagements").status_code == 200  # plain sign-out keeps tokens
    password_step(browser, "consultant@lead.example.org")
    response = browser.post("/logout", data={"revoke_tokens": "yes"}, follow_redirects=True)
    assert "API tokens were revoked" in response.get_data(as_text=True)
    assert api.get("/api/v1/engagements").status_code == 401
    db.session.rollback()
    outs = [r.after["tokens_revoked"] for r in db.session.query(AuditLog).filter_by(action="auth.sign_out")]
    assert outs == [False, True]


def test_admin_resets_a_users_mfa(app, world):
    user = world.users["finance"]
    secret, _ = mfa.start_enrolment(db.session, user)
    mfa.confirm_enrolment(db.session, user, user, pyotp.TOTP(secret).now(), utcnow())
    admin = login(app.test_client(), world.users["admin"])
    assert "Reset MFA" in admin.get(f"/users/{user.id}/edit").get_data(as_text=True)
    admin.post(f"/users/{user.id}/mfa/reset")
    db.session.rollback()
    assert not db.session.get(type(user), user.id).mfa_enabled
