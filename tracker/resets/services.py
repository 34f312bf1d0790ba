"""Single-use links to set a password: "forgot my password" and invitations.

A link carries a random token; only its SHA-256 is stored. A reset link lasts
an hour, an invitation a week; each works once, and a newer link of the same
kind replaces older ones. Setting a password through a link ends every
session and API token of the user. Asking for a reset answers the same for
every address (and queues mail only for an active account).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import SYSTEM
from tracker.audit import services as audit
from tracker.auth.models import ApiToken, User
from tracker.auth.passwords import hash_password, password_problem
from tracker.auth.session_end import end_all_sessions
from tracker.errors import ValidationFailed
from tracker.mail import services as mail
from tracker.mail.models import MessageKind, OutboxMessage
from tracker.resets.models import PasswordToken, TokenPurpose

LIFETIMES = {TokenPurpose.RESET: timedelta(hours=1), TokenPurpose.INVITATION: timedelta(days=7)}
#: Stored instead of a hash for an invited user: no password matches it.
NO_PASSWORD = "!invited"  # noqa: S105 (not a password: a marker no password can match)


class LinkNotValid(ValidationFailed):
    code = "link_not_valid"


def _digest(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def issue_link(session: Session, user: User, purpose: TokenPurpose, now: datetime) -> str:
    """A new link token (returned once); older unused ones of this kind stop working."""
    session.execute(
        sa.update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.purpose == purpose, PasswordToken.used_at.is_(None))
        .values(used_at=now)
    )
    plain = secrets.token_urlsafe(32)
    session.add(PasswordToken(user_id=user.id, purpose=purpose, token_hash=_digest(plain), created_at=now,
                              expires_at=now + LIFETIMES[purpose]))
    return plain


def link_for(plain: str) -> str:
    return mail.public_url(f"/password/reset/{plain}")


def request_reset(session: Session, email: str, now: datetime) -> None:
    """Queue a reset link when the address is an active user's; otherwise nothing (same answer)."""
    address = " ".join((email or "").split()).lower()
    user = session.scalar(sa.select(User).where(User.email == address)) if address else None
    if user is None or not user.active:
        return
    plain = issue_link(session, user, TokenPurpose.RESET, now)
    mail.queue(
        session, kind=MessageKind.PASSWORD_RESET, to_address=user.email, to_name=user.name,
        subject="Reset your password", template="resets/mail/reset", user_id=user.id,
        context={"user": user, "link": link_for(plain), "lead": mail.sender_name(session), "hours": 1},
    )
    audit.record(session, SYSTEM, "password_reset_requested", "user", user.id, None, {"requested": True})
    session.commit()


def queue_invitation(session: Session, user: User, now: datetime, actor) -> OutboxMessage:
    """Add an invitation for a new user to the session (the caller commits)."""
    plain = issue_link(session, user, TokenPurpose.INVITATION, now)
    lead = mail.sender_name(session)
    return mail.queue(
        session, kind=MessageKind.INVITATION, to_address=user.email, to_name=user.name,
        subject=f"Your account on the {lead} Commissioning Support Tracker", template="resets/mail/invitation",
        user_id=user.id, actor=actor,
        context={"user": user, "link": link_for(plain), "lead": lead, "days": 7, "inviter": audit.actor_label(actor)},
    )


def valid_token(session: Session, plain: str, now: datetime) -> PasswordToken | None:
    if not plain or len(plain) > 100:
        return None
    token = session.scalar(sa.select(PasswordToken).where(PasswordToken.token_hash == _digest(plain)))
    if token is None or token.used_at is not None or token.expires_at <= now or not token.user.active:
        return None
    return token


def set_password_with_link(session: Session, plain: str, password: str, confirm: str, now: datetime) -> User:
    """Use a link once: set the password, end every session and API token, audit it."""
    token = valid_token(session, plain, now)
    if token is None:
        raise LinkNotValid.for_field("token", "This link has expired or has already been used. Ask for a new one.")
    problem = password_problem(password or "", (token.user.email, token.user.name))
    if problem:
        raise ValidationFailed.for_field("password", problem)
    if password != confirm:
        raise ValidationFailed.for_field("confirm", "The two passwords are not the same.")
    user = token.user
    user.password_hash = hash_password(password)
    end_all_sessions(session, user, commit=False)
    session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))
    session.execute(sa.update(PasswordToken).where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
                    .values(used_at=now))
    audit.record(session, user, "password_reset", "user", user.id, None, {"via": token.purpose.value})
    session.commit()
    return user
