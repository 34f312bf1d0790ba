from flask import current_app, request

from tracker.access import ALL_ROLES, Role, public, roles
from tracker.api.core import api_bp, load, operation
from tracker.api.schema import DateTime, Schema, Str
from tracker.auth import services
from tracker.database import utcnow
from tracker.errors import DomainError
from tracker.extensions import db, limiter

TokenRequest = Schema("TokenRequest", {
    "email": Str(required=True, max_length=254, write_only=True),
    "password": Str(required=True, max_length=200, write_only=True),
    "token": Str(read_only=True, description="Send as Authorization: Bearer <token>."),
    "expires_at": DateTime(read_only=True),
    "role": Str(read_only=True, enum=[r.value for r in Role]),
})


class InvalidCredentials(DomainError):
    status = 401
    code = "invalid_credentials"


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    data = request.get_json(silent=True)
    email = data.get("email") if isinstance(data, dict) else None
    return "account:" + (email if isinstance(email, str) else "").strip().lower()


@public
@api_bp.post("/tokens")
@limiter.limit(_login_limit)
@limiter.limit(_login_limit, key_func=_account_key)
@operation("Exchange e-mail and password for a bearer token", tags=["auth"], request=TokenRequest,
           response=TokenRequest, status=201, errors=(400, 401, 422, 429))
def create_token():
    data = load(TokenRequest)
    now = utcnow()
    user = services.authenticate(db.session, data["email"], data["password"], now)
    if user is None:
        raise InvalidCredentials("That e-mail and password do not match an active account.")
    plain, row = services.issue_token(db.session, user, now, current_app.config["API_TOKEN_LIFETIME"])
    return TokenRequest.dump({"token": plain, "expires_at": row.expires_at, "role": user.role}), 201


@roles(*ALL_ROLES)
@api_bp.delete("/tokens/current")
@operation("Revoke the token used for this request", tags=["auth"], status=204, errors=(401,))
def revoke_current_token():
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    services.revoke_token(db.session, token, utcnow())
    return "", 204
