"""Sign in and out, own password, and the admin's user pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from tracker.access import Role, public, roles, signed_in
from tracker.auth import services
from tracker.auth.forms import ChangePasswordForm, LoginForm, ResetPasswordForm, UserForm
from tracker.auth.models import User
from tracker.authorities.services import client_choices
from tracker.database import utcnow
from tracker.errors import DomainError, NotFound
from tracker.extensions import db, limiter
from tracker.staff.services import staff_choices
from tracker.web import apply_errors, options

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    return "account:" + (request.form.get("email") or "").strip().lower()


def _safe_next(target: str | None) -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("dashboard.home")


@public
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data, utcnow())
        if user is None:
            form.password.errors.append("That e-mail and password do not match an active account.")
        else:
            login_user(user)
            return redirect(_safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@signed_in
@bp.post("/logout")
def logout():
    services.end_all_sessions(db.session, current_user._get_current_object())
    logout_user()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.login"))


@signed_in
@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            services.change_password(
                db.session, user, user, form.current_password.data, form.new_password.data, utcnow()
            )
        except DomainError as error:
            apply_errors(form, error)
        else:
            login_user(user)  # the new session version
            flash("Your password has been changed; other sessions and API tokens were signed out.", "success")
            return redirect(url_for("dashboard.home"))
    return render_template("auth/change_password.html", form=form)


@signed_in
@bp.post("/account/tokens/revoke")
def revoke_my_tokens():
    # CSRFProtect has already checked this POST's token.
    services.revoke_all_tokens(db.session, current_user._get_current_object(), now=utcnow())
    flash("All your API tokens have been revoked.", "success")
    return redirect(url_for("auth.change_password"))


def _user_form(obj=None) -> UserForm:
    form = UserForm(obj=obj)
    form.authority_id.choices = options([(0, "—"), *client_choices(db.session)])
    form.staff_id.choices = options([(0, "—"), *staff_choices(db.session, active_only=False)])
    return form


def _get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


@roles(Role.ADMIN)
@bp.get("/users")
def list_users():
    return render_template("auth/users.html", users=services.list_users(db.session))


@roles(Role.ADMIN)
@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    form = _user_form()
    if form.validate_on_submit():
        try:
            services.create_user(
                db.session, current_user, form.email.data, form.password.data or None, form.role.data,
                name=form.name.data, authority_id=form.authority_id.data or None,
                staff_id=form.staff_id.data or None,
            )
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"User {form.email.data} created."
                  + ("" if form.password.data else " They have been sent an invitation to choose their password."),
                  "success")
            return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=None)


@roles(Role.ADMIN)
@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _get_user(user_id)
    form = _user_form(obj=user)
    reset = ResetPasswordForm(prefix="reset")
    if request.method == "GET":
        form.authority_id.data = user.authority_id or 0
        form.staff_id.data = user.staff_id or 0
    if form.validate_on_submit():
        try:
            services.update_user(
                db.session, current_user, user, name=form.name.data, role=form.role.data,
                active=form.active.data, authority_id=form.authority_id.data or None,
                staff_id=form.staff_id.data or None,
            )
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"User {user.email} updated.", "success")
            return redirect(url_for("auth.list_users"))
    return render_template("auth/user_form.html", form=form, user=user, reset=reset)


@roles(Role.ADMIN)
@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    user = _get_user(user_id)
    reset = ResetPasswordForm(prefix="reset")
    if reset.validate_on_submit():
        try:
            services.change_password(db.session, current_user, user, None, reset.new_password.data, utcnow())
        except DomainError as error:
            flash(error.fields.get("new_password", error.message), "error")
        else:
            flash(f"Password for {user.email} reset; their sessions and tokens were signed out.", "success")
    else:
        flash("Choose a new password.", "error")
    return redirect(url_for("auth.edit_user", user_id=user.id))
