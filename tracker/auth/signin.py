"""Signing in and out: password and second-factor steps, throttled and audited,
and the server-side session records that let a user see and end their sessions.

Audit actions (entity "user", or "sign_in" when the e-mail matches nobody):
``auth.sign_in`` (after: method, address), ``auth.sign_in_failed`` (after: email
tried, address, reason; never the password or code), ``auth.sign_out``,
``auth.session_revoke``, ``auth.token_revoke``; MFA changes are in mfa.py
(``auth.mfa_enable``, ``auth.mfa_disable``, ``auth.mfa_reset``) and single sign-on
in sso.py (``auth.sso_sign_in``, ``auth.sso_failed``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.access import SystemActor
from tracker.audit import services as audit
from tracker.auth import mfa, throttle
from tracker.auth.models import ApiToken, User, UserSession
from tracker.auth.passwords import verify_password
from tracker.auth.services import find_user_by_email, signed_in_user_options
from tracker.errors import DomainError, NotFound

#: Who a failed sign-in is recorded as (the e-mail tried is in the row).
ANONYMOUS = SystemActor("anonymous")


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


class MfaRequired(DomainError):
    status = 401
    code = "mfa_required"


class PasswordNotAllowed(DomainError):
    status = 401
    code = "sso_required"


def record_failure(session: Session, email: str, address: str, now: datetime, reason: str,
                   user: User | None = None) -> None:
    """Count the failure for throttling and audit it, in one commit."""
    throttle.record_failure(session, email, address, now)
    audit.record(session, ANONYMOUS, "auth.sign_in_failed", "user" if user else "sign_in",
                 user.id if user else "-", None,
                 {"email": (email or "").strip().lower()[:254], "address": address, "reason": reason})
    session.commit()


def check_password(session: Session, email: str, password: str, address: str, now: datetime) -> User:
    """The active user with this e-mail and password, or InvalidCredentials (throttled first)."""
    throttle.check(session, email, address, now)
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not (user and ok and user.active):
        record_failure(session, email, address, now, "password", user if user and user.active else None)
        raise InvalidCredentials("That e-mail and password do not match an active account.")
    return user


def check_code(session: Session, user: User, code: str, address: str, now: datetime) -> str:
    """The second step: "totp" or "recovery" when the code is good; throttled like passwords."""
    throttle.check(session, user.email, address, now)
    method = mfa.verify(session, user, code, now)
    if method is None:
        record_failure(session, user.email, address, now, "mfa_code", user)
        raise MfaRequired("That code is not right, or was already used.", {"otp": "Enter a current code."})
    return method


def session_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(session: Session, user: User, method: str, address: str, user_agent: str,
                  now: datetime) -> str:
    """Record a new signed-in session and audit the sign-in; returns the key for the cookie."""
    key = secrets.token_urlsafe(32)
    session.add(UserSession(user_id=user.id, key_hash=session_key_digest(key), method=method, address=(address or "")[:64],
                            user_agent=(user_agent or "")[:200], created_at=now, last_seen_at=now))
    user.last_login_at = now
    audit.record(session, user, "auth.sign_in", "user", user.id, None, {"method": method, "address": address})
    session.commit()
    return key


def note_api_sign_in(session: Session, user: User, method: str, address: str, now: datetime) -> None:
    """Audit a token issued at POST /api/v1/tokens (the caller commits with the token)."""
    user.last_login_at = now
    audit.record(session, user, "auth.sign_in", "user", user.id, None,
                 {"method": method, "address": address, "via": "api"})


def current_session(session: Session, user: User, key: str | None, now: datetime) -> UserSession | None:
    """The live session record for this cookie key (touched every 5 minutes), or None."""
    if not key or len(key) > 100:
        return None
    row = session.scalar(sa.select(UserSession).where(UserSession.key_hash == session_key_digest(key)))
    if row is None or row.user_id != user.id or row.ended_at is not None:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):
        row.last_seen_at = now
        session.commit()
    return row


@cache
def _signed_in_statement(with_stamp: bool) -> sa.Select:
    """Built once each (on first use, after every model is mapped): it runs on every page.
    With the data stamp when the page will want it (tracker/results_cache.py)."""
    columns = (User, UserSession, *(results_cache.stamp_columns() if with_stamp else ()))
    return (sa.select(*columns).join(UserSession, UserSession.user_id == User.id)
            .where(User.id == sa.bindparam("user_id"), UserSession.key_hash == sa.bindparam("key_hash"))
            .options(*signed_in_user_options()))


def user_for_session(session: Session, session_id: str, key: str | None, now: datetime) -> User | None:
    """The signed-in user behind a session cookie: the users row and this browser's live
    session record, read in one query (every page asks). None when signed out — an old
    session version (password changed), a deactivated user, or a session ended elsewhere."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    if not key or len(key) > 100:
        return None
    with_stamp = results_cache.stamp_wanted()
    found = session.execute(_signed_in_statement(with_stamp),
                            {"user_id": user_id, "key_hash": session_key_digest(key)}).first()
    if found is None:
        return None
    user, row = found[0], found[1]
    if with_stamp:
        results_cache.remember_stamp(found[2], found[3])
    if not user.active or user.session_version != version or row.ended_at is not None:
        return None
    if now - row.last_seen_at > timedelta(minutes=5):
        row.last_seen_at = now
        session.commit()
    return user


def end_session(session: Session, user: User, key: str | None, now: datetime, *, revoke_tokens: bool,
                address: str = "") -> None:
    """Sign out this browser (and, if asked, every API token of the user)."""
    if key:
        session.execute(sa.update(UserSession).where(UserSession.key_hash == session_key_digest(key),
                                                     UserSession.ended_at.is_(None)).values(ended_at=now))
    if revoke_tokens:
        _revoke_tokens(session, user, now)
    audit.record(session, user, "auth.sign_out", "user", user.id, None,
                 {"address": address, "tokens_revoked": revoke_tokens})
    session.commit()


def _revoke_tokens(session: Session, user: User, now: datetime) -> None:
    session.execute(sa.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=now))


def active_sessions(session: Session, user: User, now: datetime, lifetime: timedelta) -> list[UserSession]:
    return list(session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
               UserSession.last_seen_at > now - lifetime)
        .order_by(UserSession.last_seen_at.desc())
    ))


def active_tokens(session: Session, user: User, now: datetime) -> list[ApiToken]:
    return list(session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
        .order_by(ApiToken.created_at.desc())
    ))


def revoke_session(session: Session, user: User, session_id: int, now: datetime) -> None:
    """End one of the user's own sessions (another user's answers NotFound)."""
    row = session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound("No such session.")
    row.ended_at = row.ended_at or now
    audit.record(session, user, "auth.session_revoke", "user", user.id, None, {"session": row.id})
    session.commit()


def revoke_token(session: Session, user: User, token_id: int, now: datetime) -> None:
    """Revoke one of the user's own API tokens (another user's answers NotFound)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound("No such token.")
    row.revoked_at = row.revoked_at or now
    audit.record(session, user, "auth.token_revoke", "user", user.id, None, {"token": row.id})
    session.commit()


def revoke_all_tokens(session: Session, user: User, now: datetime) -> None:
    _revoke_tokens(session, user, now)
    audit.record(session, user, "auth.token_revoke", "user", user.id, None, {"token": "all"})
    session.commit()


def revoke_presented_token(session: Session, user: User, plain: str, now: datetime) -> None:
    """DELETE /api/v1/tokens/current: revoke the token the request came with."""
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == session_key_digest(plain or "")))
    if row is None or row.user_id != user.id:
        raise NotFound("No such token.")
    row.revoked_at = row.revoked_at or now
    audit.record(session, user, "auth.token_revoke", "user", user.id, None, {"token": row.id, "via": "api"})
    session.commit()
