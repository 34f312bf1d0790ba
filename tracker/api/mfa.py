"""MFA for the token holder: POST /account/mfa starts enrolment, POST
/account/mfa/confirm turns it on (recovery codes, once), DELETE turns it off."""

from flask_login import current_user

from tracker import clock
from tracker.access import ALL_ROLES, roles
from tracker.api.core import api_bp, load, operation
from tracker.api.schema import ListOf, Schema, Str
from tracker.auth import mfa, policy
from tracker.database import utcnow
from tracker.extensions import db

MfaEnrolment = Schema("MfaEnrolment", {
    "secret": Str(read_only=True, description="The TOTP key (base32) for the authenticator app."),
    "otpauth_uri": Str(read_only=True, description="The same key as an otpauth:// URI (what the QR code holds)."),
})
MfaCode = Schema("MfaCode", {
    "code": Str(required=True, max_length=20, write_only=True,
                description="A current 6-digit code (to turn off: or an unused recovery code)."),
    "recovery_codes": ListOf(Str(), read_only=True, description="10 single-use codes, shown this once."),
})


@roles(*ALL_ROLES)
@api_bp.post("/account/mfa")
@operation("Start setting up MFA (TOTP)", tags=["auth"], response=MfaEnrolment, status=200, errors=(401,))
def start_mfa():
    secret, uri = mfa.start_enrolment(db.session, current_user._get_current_object())
    return MfaEnrolment.dump({"secret": secret, "otpauth_uri": uri})


@roles(*ALL_ROLES)
@api_bp.post("/account/mfa/confirm")
@operation("Confirm MFA with a first code: MFA is on", tags=["auth"], request=MfaCode, response=MfaCode,
           errors=(400, 401, 409, 422))
def confirm_mfa():
    data = load(MfaCode)
    user = current_user._get_current_object()
    codes = mfa.confirm_enrolment(db.session, user, user, data["code"], utcnow())
    return MfaCode.dump({"recovery_codes": codes})


@roles(*ALL_ROLES)
@api_bp.delete("/account/mfa")
@operation("Turn MFA off with a current code", tags=["auth"], request=MfaCode, status=204,
           errors=(400, 401, 409, 422))
def disable_mfa():
    data = load(MfaCode)
    user = current_user._get_current_object()
    mfa.disable(db.session, user, user, data["code"], utcnow(),
                required=policy.mfa_required(db.session, user, clock.today()))
    return "", 204
