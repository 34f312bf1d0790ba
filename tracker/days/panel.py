"""The support-days section of the engagement page: progress against the estimate."""

from flask import render_template

from tracker.days.figures import figures_of
from tracker.extensions import db


def days_panel(engagement, user):
    return render_template("days/_panel.html", engagement=engagement, figures=figures_of(db.session, engagement), user=user)
