"""Password reset and invitations, end to end through the pages and a real
SMTP server: same answer for every address, single use, an hour, every
session and API token ended."""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import login
from tests.mail.conftest import send_mail
from tracker.auth import services as auth
from tracker.auth.models import User
from tracker.database import utcnow
from tracker.mail.models import MessageKind, OutboxMessage
from tracker.resets import services as resets

NEW_PASSWORD = "a brand new long passphrase"


def _link(received) -> str:
    body = received.message.get_body(("plain",)).get_content()
    return re.search(r"https://tracker\.lead\.example\.org(/password/reset/\S+)", body).group(1)


def test_forgot_password_answers_the_same_and_mails_a_single_use_link(app, smtp, world, session, runner, api_as):
    anonymous = app.test_client()
    known = anonymous.post("/password/forgot", data={"email": "Manager@lead.example.org"}, follow_redirects=True)
    unknown = anonymous.post("/password/forgot", data={"email": "nobody@lead.example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "If that address belongs to an account" in known.text and known.text == unknown.text
    assert session.scalars(sa.select(OutboxMessage.to_address)).all() == ["manager@lead.example.org"]

    manager_id = world.users["manager"].id
    old_session = login(app.test_client(), world.users["manager"])
    old_token = api_as("manager")
    assert old_session.get("/").status_code == 200 and old_token.get("/api/v1/engagements").status_code == 200

    send_mail(runner)
    [got] = smtp.received
    assert got.rcpt_tos == ["manager@lead.example.org"] and got.message["Subject"] == "Reset your password"
    link = _link(got)
    assert link.split("/")[-1] not in str(session.scalars(sa.select(OutboxMessage.subject)).all())

    form = anonymous.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    mismatch = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert "The two passwords are not the same." in mismatch.text
    weak = anonymous.post(link, data={"password": "short", "confirm": "short"})
    assert "at least 10 characters" in weak.text
    done = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")

    # Every earlier session and API token of that user has ended; the new password works.
    assert old_session.get("/").status_code == 302
    assert old_token.get("/api/v1/engagements").status_code == 401
    session.expire_all()
    assert auth.authenticate(session, "manager@lead.example.org", NEW_PASSWORD, utcnow()).id == manager_id

    # The link works once.
    again = anonymous.get(link)
    assert "This link no longer works" in again.text
    assert anonymous.post(link, data={"password": "another long passphrase", "confirm": "another long passphrase"}
                          ).status_code == 200
    session.expire_all()
    assert auth.authenticate(session, "manager@lead.example.org", "another long passphrase", utcnow()) is None


def test_a_reset_link_expires_after_an_hour_and_a_newer_one_replaces_it(app, world, session):
    user = world.users["finance"]
    now = utcnow()
    first = resets.issue_link(session, user, resets.TokenPurpose.RESET, now)
    session.commit()
    assert resets.valid_token(session, first, now + timedelta(minutes=59)) is not None
    assert resets.valid_token(session, first, now + timedelta(minutes=61)) is None
    second = resets.issue_link(session, user, resets.TokenPurpose.RESET, now)
    session.commit()
    assert resets.valid_token(session, first, now) is None and resets.valid_token(session, second, now) is not None
    # Only the hash is stored.
    assert second not in str(session.execute(sa.text("SELECT token_hash FROM password_tokens")).all())


def test_an_inactive_account_gets_no_link(app, world, session):
    user = world.users["consultant"]
    user.active = False
    session.commit()
    resets.request_reset(session, user.email, utcnow())
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_new_user_is_invited_to_choose_their_own_password(app, smtp, world, session, runner, login_as):
    created = login_as("admin").post("/users/new", data={"email": "new.person@lead.example.org", "name": "New Person",
                                                         "role": "consultant", "authority_id": 0, "staff_id": 0,
                                                         "password": ""}, follow_redirects=True)
    assert "sent an invitation" in created.text
    user = session.scalars(sa.select(User).where(User.email == "new.person@lead.example.org")).one()
    assert auth.authenticate(session, user.email, "", utcnow()) is None  # no password works yet
    [message] = session.scalars(sa.select(OutboxMessage)).all()
    assert message.kind == MessageKind.INVITATION and message.user_id == user.id

    send_mail(runner)
    [got] = smtp.received
    assert got.rcpt_tos == ["new.person@lead.example.org"]
    assert got.message["Subject"].strip() == "Your account on the Lead Borough Council Commissioning Support Tracker"
    link = _link(got)
    anonymous = app.test_client()
    assert "Choose your password" in anonymous.get(link).text
    assert anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    session.expire_all()
    assert auth.authenticate(session, "new.person@lead.example.org", NEW_PASSWORD, utcnow()).id == user.id


def test_login_page_links_to_forgotten_password(client):
    assert 'href="/password/forgot"' in client.get("/login").text
