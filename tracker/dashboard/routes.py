from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy.orm import Session

from tracker import clock
from tracker.access import MANAGERS, Role, public, signed_in
from tracker.dashboard import services
from tracker.dashboard.client_todo import client_to_do
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.engagements.services import filtered_engagements
from tracker.extensions import db

bp = Blueprint("dashboard", __name__)


def panels_for(session: Session, user, today) -> dict:
    """The panels of one role's home page, each from one service."""
    if user.role == Role.CLIENT:
        return {"todo": client_to_do(session, user.authority_id, today),
                "client": services.client_dashboard(session, user.authority_id, today)}
    if user.role == Role.FINANCE:
        return {"finance": services.finance_dashboard(session, today)}
    out = {}
    if user.role == Role.CONSULTANT or user.staff_id is not None:
        out["consultant"] = services.consultant_dashboard(session, user.staff_id, today)
    if user.role in MANAGERS:
        out["manager"] = services.manager_dashboard(session, today)
    return out


@signed_in
@bp.get("/")
def home():
    today = clock.today()
    engagements = []
    if current_user.role == Role.CONSULTANT:  # their open engagements, below their week
        stmt = filtered_engagements(current_user).where(Engagement.status != EngagementStatus.CLOSED).limit(20)
        engagements = db.session.scalars(stmt).all()
    return render_template("dashboard/home.html", engagements=engagements, today=today,
                           **panels_for(db.session, current_user, today))


@public
@bp.get("/healthz")
def healthz():
    """For load balancers: the app answers (no database touched)."""
    return {"status": "ok"}
