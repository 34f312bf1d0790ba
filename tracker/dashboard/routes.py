from flask import Blueprint, render_template
from flask_login import current_user

from tracker.access import public, signed_in
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.engagements.services import filtered_engagements
from tracker.extensions import db

bp = Blueprint("dashboard", __name__)


@signed_in
@bp.get("/")
def home():
    stmt = filtered_engagements(current_user).where(Engagement.status != EngagementStatus.CLOSED).limit(20)
    engagements = db.session.scalars(stmt).all()
    return render_template("dashboard/home.html", engagements=engagements)


@public
@bp.get("/healthz")
def healthz():
    """For load balancers: the app answers (no database touched)."""
    return {"status": "ok"}
