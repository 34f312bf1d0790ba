from flask import current_app, request
from flask_login import current_user

from tracker import clock
from tracker.access import ALL_ROLES, Role, public, roles
from tracker.api.core import api_bp, load, operation
from tracker.api.schema import DateTime, Schema, Str
from tracker.auth import policy, services, signin
from tracker.auth.web_signin import client_address
from tracker.database import utcnow
from tracker.extensions import db

TokenRequest = Schema("TokenRequest", {
    "email": Str(required=True, max_length=254, write_only=True),
    "password": Str(required=True, max_length=200, write_only=True),
    "otp": Str(max_length=20, write_only=True,
               description="For users with MFA on: the current 6-digit code, or an unused recovery code."),
    "token": Str(read_only=True, description="Send as Authorization: Bearer <token>."),
    "expires_at": DateTime(read_only=True),
    "role": Str(read_only=True, enum=[r.value for r in Role]),
})


@public
@api_bp.post("/tokens")
@operation("Exchange e-mail and password (and, with MFA on, a code) for a bearer token", tags=["auth"],
           request=TokenRequest, response=TokenRequest, status=201, errors=(400, 401, 422, 429),
           description="Failed attempts are throttled (429 with Retry-After); MFA users without a right `otp` "
                       "get 401 with code `mfa_required`.")
def create_token():
    data = load(TokenRequest)
    now = utcnow()
    address = client_address()
    user = signin.check_password(db.session, data["email"], data["password"], address, now)
    if not policy.password_allowed(db.session, user, clock.today()):
        raise signin.PasswordNotAllowed("Staff sign in with the council's single sign-on; passwords are off.")
    method = "password"
    if user.mfa_enabled:
        if not data.get("otp"):
            raise signin.MfaRequired("This account uses MFA: send `otp`, the code from the authenticator app.",
                                     {"otp": "Enter the current code."})
        method += "+" + signin.check_code(db.session, user, data["otp"], address, now)
    elif policy.mfa_required(db.session, user, clock.today()):
        raise signin.MfaRequired("Your role must use MFA: set it up at /account/mfa in the browser first.",
                                 {"otp": "Set up MFA first."})
    signin.note_api_sign_in(db.session, user, method, address, now)
    plain, row = services.issue_token(db.session, user, now, current_app.config["API_TOKEN_LIFETIME"])
    return TokenRequest.dump({"token": plain, "expires_at": row.expires_at, "role": user.role}), 201


@roles(*ALL_ROLES)
@api_bp.delete("/tokens/current")
@operation("Revoke the token used for this request", tags=["auth"], status=204, errors=(401,))
def revoke_current_token():
    token = request.headers.get("Authorization", "").partition(" ")[2].strip()
    signin.revoke_presented_token(db.session, current_user._get_current_object(), token, utcnow())
    return "", 204
