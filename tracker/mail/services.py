"""Queue, render and look up messages: the one place features go to send mail.

:func:`queue` renders a message from its feature's templates (plain text and
HTML, ``<template>.txt`` and ``<template>.html``) and adds it to the caller's
session: it is committed with the change that causes it, or not at all.
Headers are built from cleaned one-line values (no CR/LF can reach them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, render_template
from sqlalchemy.orm import Session

from tracker.audit.services import actor_label
from tracker.authorities.models import Authority
from tracker.errors import NotFound, ValidationFailed
from tracker.mail.models import MessageKind, MessageStatus, OutboxAttachment, OutboxMessage

SUBJECT_MAX = 300
NAME_MAX = 160


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


def one_line(text: str | None, limit: int) -> str:
    """Whitespace (CR, LF, tabs...) collapsed to single spaces: safe in a header."""
    return " ".join(str(text or "").split())[:limit]


def valid_address(raw: str, field: str = "email") -> str:
    try:
        return validate_email(one_line(raw, 254), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValidationFailed.for_field(field, f"Not a valid e-mail address ({exc}).") from None


def sender_name(session: Session) -> str:
    """The lead authority's name: what recipients see as the sender."""
    return one_line(session.scalar(sa.select(Authority.name).where(Authority.is_lead)) or "Commissioning Support Tracker",
                    NAME_MAX)


def public_url(path: str = "") -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


def render(template: str, **context) -> tuple[str, str]:
    """(plain text, HTML) of ``<template>.txt`` and ``<template>.html``."""
    context.setdefault("public_url", public_url())
    return render_template(f"{template}.txt", **context), render_template(f"{template}.html", **context)


def queued_keys(session: Session, keys: Iterable[str]) -> set[str]:
    keys = list(keys)
    if not keys:
        return set()
    return set(session.scalars(sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))


def queue(
    session: Session,
    *,
    kind: MessageKind,
    to_address: str,
    subject: str,
    template: str,
    context: dict | None = None,
    to_name: str = "",
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    ref: tuple[str, int | None] = ("", None),
    user_id: int | None = None,
    actor=None,
) -> OutboxMessage | None:
    """Add a message to the session (the caller commits). None when ``dedupe_key``
    was queued before; a race between two runs ends at the unique constraint."""
    if dedupe_key and queued_keys(session, [dedupe_key]):
        return None
    text, html = render(template, **(context or {}))
    message = OutboxMessage(
        kind=kind, status=MessageStatus.QUEUED, from_name=sender_name(session),
        to_address=valid_address(to_address, "to_address"), to_name=one_line(to_name, NAME_MAX),
        subject=one_line(subject, SUBJECT_MAX), body_text=text, body_html=html, dedupe_key=dedupe_key,
        ref_kind=ref[0], ref_id=ref[1], user_id=user_id, created_by=actor_label(actor) if actor else "system",
        attachments=[OutboxAttachment(filename=one_line(a.filename, 200), content=a.content,
                                      content_type=a.content_type) for a in attachments],
    )
    session.add(message)
    return message


def messages_about(session: Session, ref_kind: str, ref_id: int) -> list[OutboxMessage]:
    stmt = (sa.select(OutboxMessage).where(OutboxMessage.ref_kind == ref_kind, OutboxMessage.ref_id == ref_id)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))
    return list(session.scalars(stmt))


def outbox(status: str | None = None) -> sa.Select:
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if status:
        stmt = stmt.where(OutboxMessage.status == MessageStatus(status))
    return stmt


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status))
    counts = {s.value: 0 for s in MessageStatus}
    counts.update({status.value: n for status, n in rows})
    return counts


def get_message(session: Session, message_id: int) -> OutboxMessage:
    message = session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound("No such message.")
    return message


def retry_now(session: Session, message: OutboxMessage, now) -> OutboxMessage:
    """An admin sends a failed (or waiting) message again at the next run."""
    if message.status in (MessageStatus.FAILED, MessageStatus.QUEUED):
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = now
        session.commit()
    return message
