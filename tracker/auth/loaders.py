"""How Flask-Login finds the user: the session cookie for pages, a bearer token for the API
(auth.feature.init_app installs both loaders)."""

from __future__ import annotations

from flask import request, session

from tracker.auth import services, signin
from tracker.database import utcnow
from tracker.extensions import db


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def load_user(session_id: str):
    if _is_api_request():
        return None  # the API never trusts the session cookie (no CSRF there)
    # None when signed out, or when this session was ended from the account page.
    return signin.user_for_session(db.session, session_id, session.get("sid"), utcnow())


def load_user_from_token(req):
    if not _is_api_request():
        return None
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return services.user_for_token(db.session, token.strip(), utcnow())
