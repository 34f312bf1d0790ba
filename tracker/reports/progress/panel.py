"""The engagement page's link to its progress report (declared by reports' init_app)."""

from flask import render_template

from tracker.access import PROGRESS_READERS


def progress_link(engagement, user):
    if getattr(user, "role", None) not in PROGRESS_READERS:
        return None
    return render_template("reports/_progress_link.html", engagement=engagement)
