"""The outbox: one row per e-mail, written in the transaction of the change
that causes it, and its attachments.

A message is ``queued`` until a worker claims it (``sending``, with a lease),
then ``sent`` once the SMTP server accepted it, or back to ``queued`` with the
error and a later ``next_attempt_at``; after the last try it is ``failed``.
``dedupe_key`` is unique: a reminder or alert queued twice is refused by the
database itself.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, enum_type, utcnow


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class MessageKind(StrEnum):
    INVOICE = "invoice"
    OVERDUE_REMINDER = "overdue_reminder"
    ESTIMATE_ALERT = "estimate_alert"
    CAPACITY_REVIEW_DUE = "capacity_review_due"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a message kind, not a password)
    INVITATION = "invitation"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
        sa.Index("ix_outbox_messages_ref", "ref_kind", "ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(enum_type(MessageKind, "message_kind"))
    status: Mapped[MessageStatus] = mapped_column(
        enum_type(MessageStatus, "message_status"), default=MessageStatus.QUEUED
    )
    from_name: Mapped[str] = mapped_column(sa.String(160), default="")
    to_address: Mapped[str] = mapped_column(sa.String(254))
    to_name: Mapped[str] = mapped_column(sa.String(160), default="")
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: A reminder's or alert's identity ("overdue:12:7"): queued at most once.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    #: What the message is about (e.g. "invoice", 12), for the object's page.
    ref_kind: Mapped[str] = mapped_column(sa.String(30), default="")
    ref_id: Mapped[int | None]
    #: The user it is for, when it is for a user (preferences, resets).
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(sa.String(254), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: While ``sending``: another worker may take it over after this moment.
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    sent_at: Mapped[datetime | None]

    attachments = relationship(
        "OutboxAttachment", back_populates="message", order_by="OutboxAttachment.id",
        cascade="all, delete-orphan", passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} to {self.to_address} {self.status}>"


class OutboxAttachment(Base):
    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100), default="application/octet-stream")
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)

    message = relationship(OutboxMessage, back_populates="attachments")

    @property
    def size(self) -> int:
        return len(self.content or b"")
