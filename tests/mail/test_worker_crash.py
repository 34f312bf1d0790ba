"""A worker killed (SIGKILL, a real subprocess) between "SMTP accepted" and
"marked sent": the message is not lost; it is sent again once the dead
worker's lease ends, so the worst case is one duplicate."""

from __future__ import annotations

import signal
import time
from datetime import timedelta

import sqlalchemy as sa

from tests.faults.test_crashes import _flask, _wait_for
from tests.mail.conftest import send_mail
from tracker.database import utcnow
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, MessageStatus, OutboxMessage


def _row(session, message_id):
    session.rollback()
    session.expire_all()
    return session.get(OutboxMessage, message_id)


def test_killing_the_worker_after_the_server_accepted_loses_nothing(database_url, session, world, smtp, runner,
                                                                   tmp_path):
    smtp_server = smtp  # the same server for the killed worker (a subprocess) and the later runs (in process)
    message = mail.queue(session, kind=MessageKind.PASSWORD_RESET, to_address="manager@lead.example.org",
                         subject="Reset your password", template="resets/mail/reset",
                         context={"user": world.users["manager"], "link": "https://x.example.org/r", "lead": "Lead",
                                  "hours": 1})
    session.commit()
    message_id = message.id
    session.remove()  # no lock held by the test while the worker writes
    env = {"SMTP_URL": smtp_server.url, "MAIL_FROM": "tracker@lead.example.org", "MAIL_LEASE_SECONDS": "300"}

    worker = _flask(["mail", "send"], database_url, tmp_path,
                    env | {"TRACKER_FAULT_PAUSE": "mail.after_accept", "TRACKER_FAULT_SECONDS": "20"})
    try:
        _wait_for(worker, "fault point mail.after_accept reached", timeout=30)
        worker.send_signal(signal.SIGKILL)  # the server has the message; the outbox does not know yet
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL
    assert len(smtp_server.received) == 1
    row = _row(session, message_id)
    assert row.status == MessageStatus.SENDING and row.sent_at is None  # not lost, not marked sent
    assert row.lease_until > utcnow() + timedelta(seconds=200)
    session.remove()

    # While the dead worker's lease lasts (5 minutes), no other worker takes the message.
    assert "Sent 0 message(s)" in send_mail(runner)
    assert len(smtp_server.received) == 1

    # Five minutes later (moved on in the database rather than waited for), the next run sends it again.
    row = _row(session, message_id)
    row.lease_until = utcnow() - timedelta(seconds=1)
    session.commit()
    session.remove()

    assert "Sent 1 message(s)" in send_mail(runner)
    row = _row(session, message_id)
    assert row.status == MessageStatus.SENT and row.attempts == 2
    # Worst case: one duplicate (the same Message-ID twice), never a loss.
    assert len(smtp_server.received) == 2
    assert all(r.rcpt_tos == ["manager@lead.example.org"] for r in smtp_server.received)
    assert session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_the_long_running_worker_delivers_and_stops_on_sigterm(database_url, session, world, smtp, tmp_path):
    message = mail.queue(session, kind=MessageKind.PASSWORD_RESET, to_address="finance@lead.example.org",
                         subject="Reset your password", template="resets/mail/reset",
                         context={"user": world.users["finance"], "link": "https://x.example.org/r", "lead": "Lead",
                                  "hours": 1})
    session.commit()
    message_id = message.id
    session.remove()
    worker = _flask(["mail", "send", "--loop", "--interval", "0.2"], database_url, tmp_path,
                    {"SMTP_URL": smtp.url, "MAIL_FROM": "tracker@lead.example.org"})
    try:
        deadline = time.monotonic() + 60
        while _row(session, message_id).status != MessageStatus.SENT:
            assert worker.poll() is None and time.monotonic() < deadline, worker.stderr.read()
            time.sleep(0.1)
        session.remove()
        worker.send_signal(signal.SIGTERM)
        out, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    assert worker.returncode == 0 and "Sent 1 message(s)" in out
    assert [r.rcpt_tos for r in smtp.received] == [["finance@lead.example.org"]]
