"""Two mail workers at once on PostgreSQL (FOR UPDATE SKIP LOCKED) never send
the same message twice, and between them send every message."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from tests.mail.smtp import SmtpServer
from tests.postgres.conftest import meet_before, race
from tracker.extensions import db
from tracker.mail import sender
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, MessageStatus, OutboxMessage

COUNT = 40


def test_two_workers_never_send_the_same_message_twice(app, world, session):
    for n in range(COUNT):
        mail.queue(session, kind=MessageKind.PASSWORD_RESET, to_address=f"person{n}@lead.example.org",
                   subject=f"Message {n}", template="resets/mail/reset",
                   context={"user": world.users["manager"], "link": "https://x.example.org/r", "lead": "Lead",
                            "hours": 1})
    session.commit()
    session.remove()
    server = SmtpServer().start()
    server.handler.delay = 0.01  # each delivery takes a moment: the workers overlap
    policy = sender.Policy(mail_from="tracker@lead.example.org")

    def worker():
        transport = sender.SmtpTransport(sender.parse_smtp_url(server.url, 10))
        return sender.send_due(db.session, transport, policy, batch=5).sent

    try:
        with meet_before(r"FOR UPDATE SKIP LOCKED", 2):
            results = race(app, worker, worker)
    finally:
        server.stop()
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    sent = [value for _, value in results]
    assert sum(sent) == COUNT and all(n > 0 for n in sent), sent  # both worked, together they sent all
    subjects = Counter(r.message["Subject"] for r in server.received)
    assert len(subjects) == COUNT and set(subjects.values()) == {1}  # each exactly once
    statuses = session.scalars(sa.select(OutboxMessage.status)).all()
    assert statuses == [MessageStatus.SENT] * COUNT
