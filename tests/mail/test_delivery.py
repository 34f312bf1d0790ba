"""Delivery against real peers: a server that refuses, one that never answers,
one that hangs up; retries with back-off until "failed"; no header injection;
the embedded default (no SMTP_URL) sends nothing and shows the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from jinja2 import ChoiceLoader, DictLoader

from tests.mail import smtp as peers
from tests.mail.conftest import send_mail
from tracker.database import utcnow
from tracker.mail import sender
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, MessageStatus, OutboxMessage


def _queue(session, **kw):
    values = {"kind": MessageKind.INVOICE, "to_address": "ap@a.example.org", "subject": "Invoice INV-1",
              "template": "mail/test_message", "context": {"body": "Hello"}}
    values.update(kw)
    message = mail.queue(session, **values)
    session.commit()
    return message.id


@pytest.fixture(autouse=True)
def _test_template(app):
    """A tiny template pair for messages these tests queue directly."""
    original = app.jinja_env.loader
    app.jinja_env.loader = ChoiceLoader([DictLoader({"mail/test_message.txt": "{{ body }}",
                                                     "mail/test_message.html": "<p>{{ body }}</p>"}), original])
    yield
    app.jinja_env.loader = original


def _row(session, message_id):
    session.expire_all()
    return session.get(OutboxMessage, message_id)


@pytest.mark.parametrize("peer", ["refuses", "silent", "hangs_up"])
def test_a_failing_server_leaves_the_message_queued_with_the_error(peer, app, smtp, world, session, runner,
                                                                    login_as, monkeypatch):
    message_id = _queue(session)
    broken = None
    if peer == "refuses":
        smtp.handler.refuse = True
    else:
        broken = peers.silent_server() if peer == "silent" else peers.hang_up_server()
        monkeypatch.setitem(app.config, "SMTP_URL", broken.url)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 0.5)
    try:
        before = utcnow()
        output = send_mail(runner)
    finally:
        if broken:
            broken.stop()
    assert "Sent 0 message(s); 1 failed" in output
    row = _row(session, message_id)
    assert row.status == MessageStatus.QUEUED and row.attempts == 1 and row.sent_at is None
    expected = {"refuses": "554", "silent": "timed out", "hangs_up": "SMTPServerDisconnected"}[peer]
    assert expected in row.last_error
    assert row.next_attempt_at >= before + timedelta(seconds=app.config["MAIL_RETRY_SECONDS"])
    assert smtp.received == []
    page = login_as("admin").get("/admin/outbox/")
    assert page.status_code == 200 and expected in page.text
    detail = login_as("admin").get(f"/admin/outbox/{message_id}")
    assert "Last error" in detail.text and "Queued" in detail.text


def test_retries_back_off_then_give_up_as_failed(app, smtp, world, session):
    message_id = _queue(session)
    smtp.handler.refuse = True
    policy = sender.policy_from(app.config)  # 3 tries, 60 s doubling
    now = utcnow()
    waits = []
    def run(at):
        return sender.send_due(session, sender.SmtpTransport(sender.parse_smtp_url(smtp.url, 2)), policy, lambda: at)

    for attempt in range(1, 4):
        result = run(now)
        assert result.failed == 1
        row = _row(session, message_id)
        assert row.attempts == attempt
        if attempt < 3:
            waits.append((row.next_attempt_at - now).total_seconds())
            # not due before its time
            assert run(now).tried == 0
            now = row.next_attempt_at
    assert waits == [60, 120]
    row = _row(session, message_id)
    assert row.status == MessageStatus.FAILED and "554" in row.last_error
    # An admin can send it again at the next run.
    smtp.handler.refuse = False
    mail.retry_now(session, row, utcnow())
    assert sender.send_due(session, sender.SmtpTransport(sender.parse_smtp_url(smtp.url, 2)), policy).sent == 1
    assert len(smtp.received) == 1


def test_cr_lf_in_names_and_subjects_cannot_inject_headers(smtp, world, session, runner):
    world.lead.name = "Lead Borough Council\r\nBcc: spy@evil.example.org"
    session.commit()
    _queue(session, to_name="Ann Payable\r\nBcc: spy@evil.example.org",
           subject="Invoice INV-1\r\nBcc: spy@evil.example.org\nX-Injected: yes")
    send_mail(runner)
    [got] = smtp.received
    assert got.rcpt_tos == ["ap@a.example.org"]
    message = got.message
    assert message["Bcc"] is None and message["X-Injected"] is None
    assert "\n" not in str(message["Subject"]) and "\r" not in str(message["Subject"])
    assert message["To"].addresses[0].addr_spec == "ap@a.example.org"
    assert b"\nBcc:" not in got.raw and b"\nX-Injected:" not in got.raw


def test_without_smtp_url_nothing_is_sent_and_the_admin_reads_the_outbox(app, world, session, runner, login_as,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_URL", "")
    message_id = _queue(session, subject="Invoice INV-9 from Lead", context={"body": "Please pay INV-9"})
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "SMTP_URL is not set" in result.output and "1 message(s) wait" in result.output
    assert _row(session, message_id).status == MessageStatus.QUEUED
    admin = login_as("admin")
    listing = admin.get("/admin/outbox/?status=queued")
    assert "Invoice INV-9 from Lead" in listing.text and "No mail server is set" in listing.text
    detail = admin.get(f"/admin/outbox/{message_id}")
    assert "Please pay INV-9" in detail.text and "ap@a.example.org" in detail.text
    assert login_as("manager").get("/admin/outbox/").status_code == 403


def test_smtp_urls_are_parsed_with_tls_choices():
    office = sender.parse_smtp_url("smtp://user%40council.gov.uk:p%40ss@smtp.office365.com:587?starttls=true")
    assert (office.host, office.port, office.starttls, office.implicit_tls) == ("smtp.office365.com", 587, True, False)
    assert (office.username, office.password) == ("user@council.gov.uk", "p@ss")
    implicit = sender.parse_smtp_url("smtps://relay.example.org")
    assert (implicit.port, implicit.implicit_tls, implicit.starttls) == (465, True, False)
    assert sender.parse_smtp_url("smtp://relay").port == 25
    with pytest.raises(ValueError):
        sender.parse_smtp_url("http://relay")


def test_two_runs_send_each_message_once(smtp, world, session, runner):
    for n in range(3):
        _queue(session, subject=f"Message {n}")
    assert "Sent 3 message(s)" in send_mail(runner)
    assert "Sent 0 message(s)" in send_mail(runner)
    assert sorted(r.message["Subject"] for r in smtp.received) == ["Message 0", "Message 1", "Message 2"]
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                          .where(OutboxMessage.status == MessageStatus.SENT)) == 3


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_credentials_in_smtp_url_sign_in_to_the_relay(app, smtp, world, session, runner, monkeypatch):
    relay = peers.SmtpServer(credentials=("tracker@council.gov.uk", "s3cret:pass")).start()
    try:
        monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{relay.port}")  # no credentials
        message_id = _queue(session)
        assert "1 failed" in send_mail(runner)
        assert "530" in _row(session, message_id).last_error and relay.received == []
        _row(session, message_id).next_attempt_at = utcnow()
        session.commit()
        monkeypatch.setitem(app.config, "SMTP_URL",
                            f"smtp://tracker%40council.gov.uk:s3cret%3Apass@127.0.0.1:{relay.port}")
        assert "Sent 1 message(s)" in send_mail(runner)
        assert [r.rcpt_tos for r in relay.received] == [["ap@a.example.org"]]
    finally:
        relay.stop()
