"""Sign in with the council's account: /login/sso redirects to the OpenID
provider; /login/sso/callback checks its answer (state, nonce, signature, via
Authlib) and signs the matched user in on a fresh session."""

from __future__ import annotations

import logging
import time

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import FrameworkIntegration
from authlib.integrations.base_client.errors import MismatchingStateError
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from requests.exceptions import RequestException

from tracker import clock
from tracker.access import public
from tracker.auth import policy, sso, web_signin
from tracker.database import utcnow
from tracker.errors import DomainError
from tracker.extensions import db

bp = Blueprint("sso", __name__, url_prefix="/login/sso")
log = logging.getLogger(__name__)
NEXT_KEY = "sso_next"
STATE_SECONDS = 600  # a sign-in at the provider must come back within 10 minutes
STATE_LIFETIME_AUTHLIB = FrameworkIntegration.expires_in


def _callback_url() -> str:
    public_url = (current_app.config.get("PUBLIC_URL") or "").rstrip("/")
    path = url_for("sso.callback")
    return public_url + path if public_url else url_for("sso.callback", _external=True)


@public
@bp.get("/")
def start():
    if not policy.sso_configured():
        return _not_configured()
    next_url = request.args.get("next", "")
    try:
        response = sso.client().authorize_redirect(_callback_url())
    except (AuthlibBaseError, RequestException, ValueError) as error:
        log.warning("OpenID provider unreachable: %s", error)
        return _refused("The council's sign-in service cannot be reached just now. Try again shortly.", 503)
    session[NEXT_KEY] = next_url
    return response


def _state_expired() -> bool:
    """Authlib keeps the state in the session but checks its expiry only with a cache: check it here."""
    data = session.get(f"_state_{sso.CLIENT_NAME}_{request.args.get('state', '')}")
    if not isinstance(data, dict):
        return False  # unknown or used: Authlib refuses it as a mismatch
    started = data.get("exp", 0) - STATE_LIFETIME_AUTHLIB
    return time.time() - started > STATE_SECONDS


def _not_configured():
    flash("Single sign-on is not set up here: sign in with your e-mail and password.", "info")
    return redirect(url_for("auth.login"))


def _refused(message: str, status: int = 401):
    return render_template("auth/sso_refused.html", message=message), status


@public
@bp.get("/callback")
def callback():
    if not policy.sso_configured():
        return _not_configured()
    address = web_signin.client_address()
    if _state_expired():
        session.pop(f"_state_{sso.CLIENT_NAME}_{request.args.get('state', '')}", None)
        error = sso.refuse(db.session, "state_expired", "That sign-in took too long and has expired. "
                           "Start again from the sign-in page.", address)
        return _refused(error.message)
    try:
        token = sso.client().authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("email"):
            claims.update(sso.client().userinfo(token=token))
    except MismatchingStateError:
        error = sso.refuse(db.session, "state", "That sign-in link has expired or was already used. "
                           "Start again from the sign-in page.", address)
        return _refused(error.message)
    except (AuthlibBaseError, RequestException, ValueError, KeyError) as exc:
        log.warning("OpenID sign-in failed: %r", exc)
        error = sso.refuse(db.session, "provider", "The council's sign-in service did not confirm who you are. "
                           "Start again from the sign-in page.", address)
        return _refused(error.message)
    try:
        user = sso.user_for_claims(db.session, claims, address, clock.today(), utcnow())
    except DomainError as error:
        return _refused(error.message)
    next_url = session.get(NEXT_KEY)
    return web_signin.finish_sign_in(user, "sso", next_url)
