"""/account/mail: each user turns alerts and reminders not about money on or off.
Password links and invitations always go."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import BooleanField

from tracker.access import signed_in
from tracker.audit import services as audit
from tracker.extensions import db

bp = Blueprint("mail_preferences", __name__, url_prefix="/account")


class PreferencesForm(FlaskForm):
    mail_alerts = BooleanField("E-mail me alerts and reminders (estimate alerts, capacity review due)")


def set_mail_alerts(session: Session, user, wanted: bool) -> None:
    before = {"mail_alerts": user.mail_alerts}
    user.mail_alerts = bool(wanted)
    audit.record(session, user, "update", "user", user.id, before, {"mail_alerts": user.mail_alerts})
    session.commit()


@signed_in
@bp.route("/mail", methods=["GET", "POST"])
def edit():
    user = current_user._get_current_object()
    form = PreferencesForm()
    if request.method == "GET":
        form.mail_alerts.data = user.mail_alerts
    if form.validate_on_submit():
        set_mail_alerts(db.session, user, form.mail_alerts.data)
        flash("Alerts and reminders are " + ("on." if user.mail_alerts else "off."), "success")
        return redirect(url_for("mail_preferences.edit"))
    return render_template("mail/preferences.html", form=form)
