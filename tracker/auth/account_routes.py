"""The signed-in user's own account: sessions, API tokens and MFA.

Also the hook that sends users whose role requires MFA to enrolment until they
have it (unless they came in through the council's single sign-on).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user

from tracker import clock
from tracker.access import signed_in
from tracker.auth import mfa as mfa_service
from tracker.auth import policy, signin, web_signin
from tracker.auth.forms import CodeForm
from tracker.auth.throttle import TooManyAttempts
from tracker.database import utcnow
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.web import apply_errors

bp = Blueprint("account", __name__, url_prefix="/account")

#: Where a user who must enrol may still go.
ENROLMENT_ENDPOINTS = {"account.mfa", "auth.logout", "static", "dashboard.healthz"}


@bp.before_app_request
def require_enrolment():
    if request.blueprint == "api" or request.endpoint in ENROLMENT_ENDPOINTS or request.endpoint is None:
        return None
    if not current_user.is_authenticated or current_user.mfa_enabled:
        return None
    if session.get(web_signin.METHOD_KEY) == "sso":
        return None  # the council's single sign-on is the second factor's owner
    if policy.mfa_required(db.session, current_user, clock.today()):
        flash("Your role must use multi-factor authentication (MFA): set it up to continue.", "info")
        return redirect(url_for("account.mfa"))
    return None


@bp.app_errorhandler(TooManyAttempts)
def too_many_attempts(error: TooManyAttempts):
    """429 with a truthful Retry-After (the API's JSON, or the error page)."""
    db.session.rollback()
    if request.path.startswith("/api/"):
        response = jsonify(error.to_dict())
    else:
        response = make_response(render_template("errors/domain.html", error=error))
    response.status_code = 429
    response.headers["Retry-After"] = str(error.wait_seconds)
    return response


@signed_in
@bp.get("/")
def overview():
    user = current_user._get_current_object()
    now = utcnow()
    sessions = signin.active_sessions(db.session, user, now, current_app.config["PERMANENT_SESSION_LIFETIME"])
    current = signin.current_session(db.session, user, session.get(web_signin.SESSION_KEY), now)
    return render_template(
        "auth/account.html", user=user, sessions=sessions, current_id=current.id if current else None,
        tokens=signin.active_tokens(db.session, user, now),
        recovery_left=mfa_service.remaining_recovery_codes(db.session, user) if user.mfa_enabled else 0,
        mfa_required=policy.mfa_required(db.session, user, clock.today()),
    )


@signed_in
@bp.post("/sessions/revoke")
def revoke_session():
    session_id = request.form.get("session_id", "")
    if not session_id.isdigit():
        flash("Choose a session to sign out.", "error")
    else:
        signin.revoke_session(db.session, current_user._get_current_object(), int(session_id), utcnow())
        flash("That session has been signed out.", "success")
    return redirect(url_for("account.overview"))


@signed_in
@bp.route("/mfa", methods=["GET", "POST"])
def mfa():
    user = current_user._get_current_object()
    form = CodeForm()
    if user.mfa_enabled and request.method == "GET" and not request.args.get("replace"):
        return render_template("auth/mfa_on.html", form=form,
                               recovery_left=mfa_service.remaining_recovery_codes(db.session, user),
                               required=policy.mfa_required(db.session, user, clock.today()))
    if form.validate_on_submit():
        try:
            codes = mfa_service.confirm_enrolment(db.session, user, user, form.code.data, utcnow())
        except DomainError as error:
            apply_errors(form, error)
        else:
            return render_template("auth/mfa_codes.html", codes=codes)
    if not user.mfa_pending_secret or request.method == "GET":
        secret, uri = mfa_service.start_enrolment(db.session, user)
    else:
        secret, uri = user.mfa_pending_secret, mfa_service.provisioning_uri(user, user.mfa_pending_secret)
    return render_template("auth/mfa_setup.html", form=form, secret=secret, qr=mfa_service.qr_svg(uri),
                           replacing=user.mfa_enabled)


@signed_in
@bp.post("/mfa/disable")
def mfa_disable():
    user = current_user._get_current_object()
    form = CodeForm()
    if form.validate_on_submit():
        try:
            mfa_service.disable(db.session, user, user, form.code.data, utcnow(),
                                required=policy.mfa_required(db.session, user, clock.today()))
        except DomainError as error:
            flash(error.fields.get("code", error.message), "error")
        else:
            flash("MFA is off. You sign in with your password alone.", "success")
    else:
        flash("Enter a current code to turn MFA off.", "error")
    return redirect(url_for("account.mfa"))
