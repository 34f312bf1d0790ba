from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker import clock
from tracker.access import FINANCE_ROLES, Role, roles
from tracker.authorities.services import lead_authority
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.settings import services
from tracker.settings.forms import SettingForm, typed_value_input
from tracker.web import apply_errors

bp = Blueprint("settings", __name__, url_prefix="/settings")


@roles(*FINANCE_ROLES)
@bp.get("/")
def show_settings():
    today = clock.today()
    rows = [
        (spec, services.value_on(db.session, key, today), services.history(db.session, key))
        for key, spec in services.specs().items()
    ]
    return render_template(
        "settings/index.html", rows=rows, lead=lead_authority(db.session), can_edit=current_user.role == Role.ADMIN
    )


@roles(Role.ADMIN)
@bp.route("/<key>", methods=["GET", "POST"])
def edit_setting(key: str):
    spec = services.spec(key)
    form = SettingForm()
    typed_value_input(form, spec.kind)
    if not form.is_submitted():
        form.value.data = services.value_on(db.session, key, clock.today())
        form.effective_from.data = clock.today()
    if form.validate_on_submit():
        try:
            services.set_value(db.session, key, form.value.data, form.effective_from.data, current_user, form.note.data)
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"{spec.label} saved from {form.effective_from.data:%-d %b %Y}.", "success")
            return redirect(url_for("settings.show_settings"))
    return render_template("settings/form.html", form=form, spec=spec, history=services.history(db.session, key))
