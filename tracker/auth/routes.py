"""Sign in and out, own password, and the admin's user pages."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock
from tracker.access import Role, public, roles, signed_in
from tracker.auth import mfa, policy, services, signin, web_signin
from tracker.auth.forms import ChangePasswordForm, CodeForm, LoginForm, ResetPasswordForm, UserForm
from tracker.auth.models import User
from tracker.auth.throttle import TooManyAttempts
from tracker.authorities.services import client_choices
from tracker.database import utcnow
from tracker.errors import DomainError, NotFound
from tracker.extensions import db
from tracker.staff.services import staff_choices
from tracker.web import apply_errors, options

bp = Blueprint("auth", __name__)


def _refused(form, field, error: TooManyAttempts, template: str, **context):
    """The form again, its field saying how long to wait; 429 with Retry-After."""
    field.errors.append(error.message)
    response = make_response(render_template(template, form=form, **context), 429)
    response.headers["Retry-After"] = str(error.wait_seconds)
    return response


@public
@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.home"))
    form = LoginForm()
    context = {"sso": policy.sso_configured()}
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        now = utcnow()
        try:
            user = signin.check_password(db.session, form.email.data, form.password.data,
                                         web_signin.client_address(), now)
        except TooManyAttempts as error:
            return _refused(form, form.password, error, "auth/login.html", **context)
        except DomainError as error:
            form.password.errors.append(error.message)
        else:
            if not policy.password_allowed(db.session, user, clock.today()):
                form.password.errors.append("Staff sign in with their council account: use the button below.")
            elif user.mfa_enabled:
                web_signin.begin_second_step(user, form.next.data)
                return redirect(url_for("auth.login_code"))
            else:
                return web_signin.finish_sign_in(user, "password", form.next.data)
    return render_template("auth/login.html", form=form, **context)


@public
@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    user, next_url = web_signin.pending_user()
    if user is None:
        flash("Sign in again: the code step had expired.", "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = signin.check_code(db.session, user, form.code.data, web_signin.client_address(), utcnow())
        except TooManyAttempts as error:
            return _refused(form, form.code, error, "auth/login_code.html")
        except DomainError as error:
            form.code.errors.append(error.message)
        else:
            response = web_signin.finish_sign_in(user, f"password+{method}", next_url)
            if method == "recovery":
                flash("You used a recovery code: each works once. Set up MFA again if your phone is lost.", "info")
            return response
    return render_template("auth/login_code.html", form=form)


@signed_in
@bp.post("/logout")
def logout():
    revoke = request.form.get("revoke_tokens") == "yes"
    web_signin.sign_out(current_user._get_current_object(), revoke_tokens=revoke)
    flash("You have signed out." + (" Your API tokens were revoked too." if revoke else ""), "info")
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
            response = web_signin.finish_sign_in(user, "password_change", None)
            flash("Your password has been changed; other sessions and API tokens were signed out.", "success")
            return response
    return render_template("auth/change_password.html", form=form)


@signed_in
@bp.post("/account/tokens/revoke")
def revoke_my_tokens():
    # CSRFProtect has already checked this POST's token.
    user = current_user._get_current_object()
    token_id = request.form.get("token_id", "")
    if token_id.isdigit():
        signin.revoke_token(db.session, user, int(token_id), utcnow())
        flash("That API token has been revoked.", "success")
    else:
        signin.revoke_all_tokens(db.session, user, utcnow())
        flash("All your API tokens have been revoked.", "success")
    return redirect(url_for("account.overview"))


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


@roles(Role.ADMIN)
@bp.post("/users/<int:user_id>/mfa/reset")
def reset_user_mfa(user_id: int):
    user = _get_user(user_id)
    mfa.reset(db.session, current_user._get_current_object(), user)
    flash(f"MFA for {user.email} was reset: they set it up again at their next sign-in.", "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))
