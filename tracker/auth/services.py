"""Users, sign-in and API tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, lazyload

from tracker.access import Role
from tracker.addresses import normalise_email
from tracker.audit import services as audit
from tracker.auth.models import ApiToken, User
from tracker.auth.passwords import hash_password, password_problem, verify_password
from tracker.auth.session_end import end_all_sessions
from tracker.authorities.models import Authority
from tracker.database import utcnow
from tracker.errors import Conflict, NotFound, ValidationFailed
from tracker.resets import services as invitations
from tracker.staff.models import StaffMember

TOKEN_PREFIX = "cst_"  # noqa: S105 (a visible prefix, not a secret)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))


def authenticate(session: Session, email: str, password: str, now: datetime) -> User | None:
    """The active user with this e-mail and password, or None (no hint which was wrong)."""
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password or "")
    if not (user and ok and user.active):
        return None
    user.last_login_at = now
    session.commit()
    return user


@functools.cache
def signed_in_user_options() -> tuple:
    """Every request loads the signed-in user: the users row alone. Its authority (shown to
    client users) and staff record are read only if a page asks for them. Built once, on first
    use (after every model is mapped)."""
    return (lazyload(User.authority), lazyload(User.staff))


def load_session_user(session: Session, session_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<version>"``; an old version is signed out."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except (ValueError, AttributeError):
        return None
    user = session.get(User, user_id, options=signed_in_user_options())
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _check_role_links(session: Session, role: Role, authority_id, staff_id) -> tuple[int | None, int | None]:
    fields = {}
    if role == Role.CLIENT:
        authority = session.get(Authority, authority_id) if authority_id else None
        if authority is None:
            fields["authority_id"] = "A client user must belong to an authority."
        elif authority.is_lead:
            fields["authority_id"] = "A client user belongs to a client authority, not the lead."
        staff_id = None
    else:
        authority_id = None
    if staff_id is not None:
        if session.get(StaffMember, staff_id) is None:
            fields["staff_id"] = "No such staff member."
        elif session.scalar(sa.select(User.id).where(User.staff_id == staff_id)) is not None:
            fields["staff_id"] = "That staff member already has a user account."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return authority_id, staff_id


def create_user(
    session: Session,
    actor,
    email: str,
    password: str | None,
    role: str,
    name: str = "",
    authority_id: int | None = None,
    staff_id: int | None = None,
    now: datetime | None = None,
) -> User:
    """A new user; without a password (None) they are e-mailed an invitation to choose their own."""
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed.for_field("role", f"Role must be one of {', '.join(Role)}.") from None
    problem = password_problem(password, (email, name)) if password is not None else None
    if problem:
        raise ValidationFailed.for_field("password", problem)
    if find_user_by_email(session, email):
        raise Conflict.for_field("email", f"A user with e-mail {email} already exists.")
    authority_id, staff_id = _check_role_links(session, role, authority_id, staff_id)
    user = User(
        email=email,
        name=(name or "").strip()[:120],
        password_hash=hash_password(password) if password is not None else invitations.NO_PASSWORD,
        role=role,
        authority_id=authority_id,
        staff_id=staff_id,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, None, audit.snapshot(user))
    if password is None:
        invitations.queue_invitation(session, user, now or utcnow(), actor)
    session.commit()
    return user


def update_user(session: Session, actor, user: User, *, name: str, role: str, active: bool,
                authority_id: int | None, staff_id: int | None) -> User:
    before = audit.snapshot(user)
    try:
        role = Role(role)
    except ValueError:
        raise ValidationFailed.for_field("role", f"Role must be one of {', '.join(Role)}.") from None
    if user.id == getattr(actor, "id", None) and (role != user.role or not active):
        raise ValidationFailed.for_field("role", "You cannot change your own role or deactivate yourself.")
    if staff_id == user.staff_id:
        # keeping the same link is fine; _check_role_links rejects links held by others
        authority_id, _ = _check_role_links(session, role, authority_id, None)
        staff_id = None if role == Role.CLIENT else staff_id
    else:
        authority_id, staff_id = _check_role_links(session, role, authority_id, staff_id)
    changed_access = role != user.role or active != user.active or authority_id != user.authority_id
    user.name = (name or "").strip()[:120]
    user.role, user.active = role, active
    user.authority_id, user.staff_id = authority_id, staff_id
    if changed_access:
        end_all_sessions(session, user, commit=False)
        revoke_all_tokens(session, user, commit=False)
    audit.record(session, actor, "update", "user", user.id, before, audit.snapshot(user))
    session.commit()
    return user


def change_password(session: Session, actor, user: User, current: str | None, new: str, now: datetime) -> None:
    """Set a new password; ``current`` is checked unless an admin resets it (None)."""
    if current is not None and not verify_password(user.password_hash, current):
        raise ValidationFailed.for_field("current_password", "That is not your current password.")
    problem = password_problem(new, (user.email, user.name))
    if problem:
        raise ValidationFailed.for_field("new_password", problem)
    user.password_hash = hash_password(new)
    end_all_sessions(session, user, commit=False)
    revoke_all_tokens(session, user, commit=False, now=now)
    audit.record(session, actor, "password_change", "user", user.id, None, {"changed": True})
    session.commit()


# --- API tokens --------------------------------------------------------------

def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: User, now: datetime, lifetime: timedelta) -> tuple[str, ApiToken]:
    """A new bearer token; the plain text is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_digest(plain), created_at=now, expires_at=now + lifetime)
    session.add(row)
    session.commit()
    return plain, row


def user_for_token(session: Session, plain: str, now: datetime) -> User | None:
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(plain))
                         .options(joinedload(ApiToken.user).options(*signed_in_user_options())))
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.active:
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now
        session.commit()
    return row.user


def revoke_token(session: Session, plain: str, now: datetime) -> None:
    row = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if row is None:
        raise NotFound("No such token.")
    row.revoked_at = row.revoked_at or now
    session.commit()


def revoke_all_tokens(session: Session, user: User, commit: bool = True, now: datetime | None = None) -> None:
    session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    if commit:
        session.commit()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.role, User.email)))
