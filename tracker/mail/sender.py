"""Delivery: claim due messages, send them over SMTP, record the outcome.

A worker claims a batch in one short transaction (PostgreSQL: ``FOR UPDATE
SKIP LOCKED``; SQLite: ``BEGIN IMMEDIATE``, one writer): each claimed message
becomes ``sending`` with a lease, so no other worker takes it. It is marked
``sent`` only after the SMTP server accepted it. A failure puts it back to
``queued`` with the error and an exponential back-off, or ``failed`` after the
last try. A worker killed between "accepted" and "marked sent" leaves the
message ``sending``; when its lease ends another run sends it again: at worst
one duplicate, never a loss.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.database import sqlite_write_intent, utcnow
from tracker.mail.models import MessageStatus, OutboxMessage
from tracker.ops import faults

#: What a failed delivery may raise: the server said no, or the network failed.
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, TimeoutError, UnicodeError, ValueError)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str = ""
    password: str = ""
    timeout: float = 30.0


def parse_smtp_url(url: str, timeout: float = 30.0) -> SmtpSettings:
    """smtp://[user:pass@]host[:port][?starttls=true] or smtps://... (implicit TLS)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("SMTP_URL must look like smtp://[user:pass@]host[:port][?starttls=true] or smtps://...")
    query = parse_qs(parts.query)
    starttls = (query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes"))
    implicit = parts.scheme == "smtps"
    return SmtpSettings(
        host=parts.hostname, port=parts.port or (465 if implicit else 25), implicit_tls=implicit,
        starttls=starttls and not implicit, username=unquote(parts.username or ""),
        password=unquote(parts.password or ""), timeout=timeout,
    )


def build_email(message: OutboxMessage, mail_from: str) -> EmailMessage:
    """The message as MIME: text and HTML alternatives, then attachments.
    Names and subject were cleaned when queued; headerregistry refuses CR/LF anyway."""
    email = EmailMessage()
    email["From"] = Address(display_name=message.from_name, addr_spec=mail_from)
    email["To"] = Address(display_name=message.to_name, addr_spec=message.to_address)
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=mail_from.rpartition("@")[2] or None)
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                             filename=attachment.filename)
    return email


class SmtpTransport:
    """One connection per batch, opened on the first message, reopened after an error."""

    def __init__(self, settings: SmtpSettings):
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.implicit_tls:
            connection: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        connection.ehlo()
        if s.starttls:
            connection.starttls(context=context)
            connection.ehlo()
        if s.username:
            connection.login(s.username, s.password)
        return connection

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._open()
        try:
            self.connection.send_message(email)  # raises unless every recipient was accepted
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except DELIVERY_ERRORS:
                self.connection.close()
            self.connection = None


@dataclass(frozen=True)
class Policy:
    mail_from: str
    max_attempts: int = 6
    retry_seconds: int = 60
    lease_seconds: int = 300

    def next_try(self, attempts: int, now: datetime) -> datetime:
        return now + timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0))


def policy_from(config) -> Policy:
    return Policy(mail_from=config["MAIL_FROM"], max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
                  retry_seconds=int(config["MAIL_RETRY_SECONDS"]), lease_seconds=int(config["MAIL_LEASE_SECONDS"]))


def due(now: datetime):
    return sa.or_(
        sa.and_(OutboxMessage.status == MessageStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        sa.and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim(session: Session, now: datetime, policy: Policy, limit: int = 50, exclude=()) -> list[int]:
    """Take up to ``limit`` due messages for this worker (committed before sending)."""
    session.commit()  # start a fresh transaction: on SQLite a writing one (BEGIN IMMEDIATE)
    token = sqlite_write_intent.set(True)
    try:
        stmt = sa.select(OutboxMessage.id).where(due(now)).order_by(OutboxMessage.next_attempt_at,
                                                                     OutboxMessage.id).limit(limit)
        if exclude:
            stmt = stmt.where(OutboxMessage.id.notin_(list(exclude)))
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(session.scalars(stmt))
        if ids:
            session.execute(
                sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(
                    status=MessageStatus.SENDING, lease_until=now + timedelta(seconds=policy.lease_seconds),
                    attempts=OutboxMessage.attempts + 1,
                ).execution_options(synchronize_session=False)
            )
        session.commit()
    finally:
        sqlite_write_intent.reset(token)
    return ids


def _finish(session: Session, message: OutboxMessage, **values) -> None:
    token = sqlite_write_intent.set(True)
    try:
        for name, value in values.items():
            setattr(message, name, value)
        session.commit()
    finally:
        sqlite_write_intent.reset(token)


def deliver(session: Session, message_id: int, transport, policy: Policy, clock=utcnow) -> bool:
    """Send one claimed message; True when the server accepted it."""
    message = session.get(OutboxMessage, message_id)
    try:
        transport.send(build_email(message, policy.mail_from))
    except DELIVERY_ERRORS as error:
        reason = f"{type(error).__name__}: {error}".strip()[:2000]
        if message.attempts >= policy.max_attempts:
            _finish(session, message, status=MessageStatus.FAILED, lease_until=None, last_error=reason)
        else:
            _finish(session, message, status=MessageStatus.QUEUED, lease_until=None, last_error=reason,
                    next_attempt_at=policy.next_try(message.attempts, clock()))
        return False
    faults.point("mail.after_accept")  # the crash test kills the worker here
    _finish(session, message, status=MessageStatus.SENT, sent_at=clock(), lease_until=None, last_error="")
    return True


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0

    @property
    def tried(self) -> int:
        return self.sent + self.failed


def send_due(session: Session, transport, policy: Policy, clock=utcnow, batch: int = 50) -> RunResult:
    """Deliver every message due now, batch after batch; each message at most once per run."""
    result, seen = RunResult(), set()
    try:
        while True:
            ids = claim(session, clock(), policy, batch, exclude=seen)
            if not ids:
                return result
            for message_id in ids:
                seen.add(message_id)
                if deliver(session, message_id, transport, policy, clock):
                    result.sent += 1
                else:
                    result.failed += 1
    finally:
        transport.close()
