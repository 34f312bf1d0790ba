"""What the sign-in pages share: a fresh session for each sign-in and sign-out
(the old session's contents, CSRF token included, are dropped), the pending
second step, and the server-side session record the cookie points at."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import g, redirect, request, session, url_for
from flask_login import login_user, logout_user

from tracker.auth import signin
from tracker.auth.models import User
from tracker.database import utcnow
from tracker.extensions import db

PENDING = "mfa_pending"
PENDING_SECONDS = 300
SESSION_KEY = "sid"
METHOD_KEY = "signin_method"


def client_address() -> str:
    """The client's address (behind PROXY_HOPS proxies, ProxyFix has put the real one here)."""
    return (request.remote_addr or "")[:64]


def safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("dashboard.home")


def fresh_session() -> None:
    """Drop everything in the cookie session; the next form gets a new CSRF token."""
    session.clear()
    g.pop("csrf_token", None)


def begin_second_step(user: User, next_url: str) -> None:
    fresh_session()
    session[PENDING] = {"user_id": user.id, "version": user.session_version, "at": int(time.time()),
                        "next": next_url or ""}


def pending_user() -> tuple[User | None, str]:
    """The user who gave a right password and now owes a code (within 5 minutes)."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        return None, ""
    user = db.session.get(User, data.get("user_id"))
    if user is None or not user.active or user.session_version != data.get("version"):
        return None, ""
    return user, data.get("next", "")


def finish_sign_in(user: User, method: str, next_url: str | None):
    """Sign the user in on a fresh session with its own server-side record."""
    fresh_session()
    key = signin.start_session(db.session, user, method, client_address(),
                               request.headers.get("User-Agent", ""), utcnow())
    login_user(user)
    session[SESSION_KEY] = key
    session[METHOD_KEY] = method
    return redirect(safe_next(next_url))


def sign_out(user: User, revoke_tokens: bool) -> None:
    signin.end_session(db.session, user, session.get(SESSION_KEY), utcnow(), revoke_tokens=revoke_tokens,
                       address=client_address())
    logout_user()
    fresh_session()
