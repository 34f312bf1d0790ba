"""/password/forgot and /password/reset/<token> (public)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import logout_user

from tracker.access import public
from tracker.database import utcnow
from tracker.errors import DomainError
from tracker.extensions import db, limiter
from tracker.resets import services as resets
from tracker.resets.forms import ForgotForm, ResetForm
from tracker.web import apply_errors

bp = Blueprint("password", __name__, url_prefix="/password")

SAME_ANSWER = ("If that address belongs to an account, we have sent it a link to choose a new password. "
               "The link works once, for an hour.")


def _limit() -> str:
    return current_app.config["PASSWORD_LINK_RATE_LIMIT"]


@public
@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def forgot():
    form = ForgotForm()
    if form.validate_on_submit():
        resets.request_reset(db.session, form.email.data, utcnow())
        flash(SAME_ANSWER, "info")
        return redirect(url_for("auth.login"))
    return render_template("resets/forgot.html", form=form)


@public
@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def reset(token: str):
    found = resets.valid_token(db.session, token, utcnow())
    if found is None:
        return render_template("resets/reset.html", form=None, purpose=None)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            resets.set_password_with_link(db.session, token, form.password.data, form.confirm.data, utcnow())
        except DomainError as error:
            apply_errors(form, error)
        else:
            logout_user()
            flash("Your password is set, and every other session and API token was signed out. Sign in with it now.",
                  "success")
            return redirect(url_for("auth.login"))
    return render_template("resets/reset.html", form=form, purpose=found.purpose.value, email=found.user.email)

