"""Wires the progress report in: its routes, and a link on the engagement page."""

from flask import render_template

from tracker.engagements.panels import register
from tracker.reports import progress_routes as _routes  # noqa: F401  (registers on the reports blueprint)
from tracker.reports.progress_routes import READERS


@register(5)
def progress_link(engagement, user):
    if getattr(user, "role", None) not in READERS:
        return None
    return render_template("reports/_progress_link.html", engagement=engagement)
