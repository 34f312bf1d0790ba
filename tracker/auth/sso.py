"""Single sign-on with OpenID Connect (Microsoft Entra ID, or any standard provider).

Users are matched by a *verified* e-mail address to an existing active account;
nobody is created silently (an admin may name one e-mail domain whose users get
consultant accounts on first sign-in). Entra ID carries no ``email_verified``:
its optional claim ``xms_edov`` (the e-mail's domain is verified by the tenant)
counts as verification instead.

Audit actions: ``auth.sso_sign_in`` is written as ``auth.sign_in`` with method
"sso" (signin.start_session); refusals are ``auth.sso_failed`` (after: email,
address, reason); accounts made from the domain setting are ``auth.sso_create_user``.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from authlib.integrations.flask_client import OAuth
from flask import current_app
from sqlalchemy.orm import Session

from tracker.access import Role, SystemActor
from tracker.audit import services as audit
from tracker.auth import policy
from tracker.auth.models import User
from tracker.auth.passwords import hash_password
from tracker.auth.services import find_user_by_email
from tracker.errors import DomainError

CLIENT_NAME = "council"
ANONYMOUS = SystemActor("anonymous")
SSO = SystemActor("sso")


class SsoRefused(DomainError):
    status = 401
    code = "sso_refused"


def client():
    """The Authlib client for the configured issuer (built once per app and issuer)."""
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET"))
    clients = current_app.extensions.setdefault("tracker.sso_clients", {})
    if key not in clients:
        oauth = OAuth(current_app)
        oauth.register(
            CLIENT_NAME,
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config.get("OIDC_CLIENT_SECRET") or None,
            server_metadata_url=config["OIDC_ISSUER"].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
        clients[key] = oauth.create_client(CLIENT_NAME)
    return clients[key]


def refuse(session: Session, reason: str, message: str, address: str, email: str = "",
           user: User | None = None) -> SsoRefused:
    """Audit a refused single sign-on and return the error to raise."""
    audit.record(session, ANONYMOUS, "auth.sso_failed", "user" if user else "sign_in", user.id if user else "-",
                 None, {"email": (email or "")[:254], "address": address, "reason": reason})
    session.commit()
    return SsoRefused(message)


def _verified(claims: dict) -> bool:
    return claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true")


def user_for_claims(session: Session, claims: dict, address: str, today: date, now: datetime) -> User:
    """The active account these verified claims belong to, or SsoRefused (audited)."""
    email = (claims.get("email") or "").strip().lower() if isinstance(claims.get("email"), str) else ""
    if not email:
        raise refuse(session, "no_email", "Your council account did not share an e-mail address, "
                     "so we cannot tell who you are. Ask your IT team to release the e-mail claim.", address)
    if not _verified(claims):
        raise refuse(session, "email_unverified", f"Your council account's e-mail address ({email}) is not "
                     "verified, so it cannot be used to sign in here.", address, email)
    user = find_user_by_email(session, email)
    if user is None:
        domain = policy.sso_new_user_domain(session, today)
        if domain and email.endswith("@" + domain):
            return _create_consultant(session, email, claims, address)
        raise refuse(session, "unknown_user", f"There is no account for {email} here. Ask an administrator "
                     "to add you.", address, email)
    if not user.active:
        raise refuse(session, "inactive", f"The account for {email} is switched off. Ask an administrator.",
                     address, email, user)
    return user


def _create_consultant(session: Session, email: str, claims: dict, address: str) -> User:
    name = claims.get("name") if isinstance(claims.get("name"), str) else ""
    user = User(email=email, name=(name or "").strip()[:120], role=Role.CONSULTANT,
                password_hash=hash_password(secrets.token_urlsafe(32)))  # no usable password: SSO only
    session.add(user)
    session.flush()
    audit.record(session, SSO, "auth.sso_create_user", "user", user.id, None,
                 {**audit.snapshot(user), "address": address})
    session.commit()
    return user
