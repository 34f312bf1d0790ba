"""Staff members of the lead authority: capacity and the cap on outside work."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.addresses import normalise_email
from tracker.audit import services as audit
from tracker.engagements.models import EngagementMember
from tracker.errors import Conflict, NotFound, ValidationFailed
from tracker.money import to_decimal
from tracker.pagination import Page, paginate
from tracker.staff.models import StaffMember

#: Limits the forms and the API schema take from here (e-mail: addresses.EMAIL_MAX).
NAME_MAX = 120
JOB_TITLE_MAX = 120
TEAM_MAX = 80  # staff_members.team


@dataclass
class StaffInput:
    name: str
    email: str
    job_title: str = ""
    team: str = ""
    monthly_capacity_days: object = Decimal("18")
    external_cap_share: object = Decimal("0.20")
    active: bool = True


def _clean(session: Session, data: StaffInput, existing: StaffMember | None) -> dict:
    fields = {}
    name = (data.name or "").strip()
    if not name:
        fields["name"] = "Give the staff member's name."
    elif len(name) > NAME_MAX:
        fields["name"] = f"Use at most {NAME_MAX} characters."
    job_title = (data.job_title or "").strip()
    if len(job_title) > JOB_TITLE_MAX:
        fields["job_title"] = f"Use at most {JOB_TITLE_MAX} characters."
    team = " ".join((data.team or "").split())
    if len(team) > TEAM_MAX:
        fields["team"] = f"Use at most {TEAM_MAX} characters for the team."
    email = ""
    try:
        email = normalise_email(data.email)
    except ValidationFailed as exc:
        fields.update(exc.fields)
    capacity = share = None
    try:
        capacity = to_decimal(data.monthly_capacity_days)
        if not (Decimal(0) <= capacity <= Decimal(31)) or capacity != capacity.quantize(Decimal("0.01")):
            raise ValueError
    except ValueError:
        fields["monthly_capacity_days"] = "Monthly capacity is a number of days from 0 to 31 (two decimals at most)."
    try:
        share = to_decimal(data.external_cap_share)
        if share > 1 and share <= 100:  # typed as a percentage: 20 means 20%
            share = share / 100
        if not (Decimal(0) <= share <= Decimal(1)) or share != share.quantize(Decimal("0.01")):
            raise ValueError
    except ValueError:
        fields["external_cap_share"] = (
            "The cap on outside work is a whole percentage from 0 to 100 (or a share such as 0.20)."
        )
    if email and "email" not in fields:
        clash = session.scalar(sa.select(StaffMember.id).where(StaffMember.email == email))
        if clash and (existing is None or clash != existing.id):
            raise Conflict.for_field("email", f"A staff member with e-mail {email} already exists.")
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return {
        "name": name,
        "email": email,
        "job_title": job_title,
        "team": team,
        "monthly_capacity_days": capacity.quantize(Decimal("0.01")),
        "external_cap_share": share.quantize(Decimal("0.0001")),
        "active": bool(data.active),
    }


def create_staff(session: Session, actor, data: StaffInput) -> StaffMember:
    member = StaffMember(**_clean(session, data, None))
    session.add(member)
    session.flush()
    audit.record(session, actor, "create", "staff_member", member.id, None, audit.snapshot(member))
    session.commit()
    return member


def update_staff(session: Session, actor, member: StaffMember, data: StaffInput) -> StaffMember:
    before = audit.snapshot(member)
    for key, value in _clean(session, data, member).items():
        setattr(member, key, value)
    audit.record(session, actor, "update", "staff_member", member.id, before, audit.snapshot(member))
    session.commit()
    return member


def get_staff(session: Session, staff_id: int) -> StaffMember:
    member = session.get(StaffMember, staff_id)
    if member is None:
        raise NotFound("No such staff member.")
    return member


def staff_list(active_only: bool = False) -> sa.Select:
    stmt = sa.select(StaffMember).order_by(StaffMember.name)
    if active_only:
        stmt = stmt.where(StaffMember.active.is_(True))
    return stmt


def list_staff(session: Session, page: int, per_page: int, *, by_id: bool = False) -> Page:
    """One page of the staff, for the page and the API alike: by name, or by id
    (``by_id``: the API's stable order for walking pages)."""
    stmt = staff_list()
    if by_id:
        stmt = stmt.order_by(None).order_by(StaffMember.id)
    return paginate(session, stmt, page, per_page)


def staff_choices(session: Session, active_only: bool = True) -> list[tuple[int, str]]:
    return [(m.id, m.name) for m in session.scalars(staff_list(active_only))]


def staff_teams(session: Session) -> list[str]:
    """The teams staff members are in, by name (the capacity review's filter)."""
    stmt = sa.select(StaffMember.team).where(StaffMember.team != "").distinct().order_by(StaffMember.team)
    return list(session.scalars(stmt))


def team_choices(session: Session, engagement_id: int, also: int | None = None) -> list[tuple[int, str]]:
    """The engagement's team (and ``also``, e.g. the person a filter has chosen),
    by name: a filter of the people who work on it, not of every member of staff."""

    team = sa.select(EngagementMember.staff_id).where(EngagementMember.engagement_id == engagement_id)
    stmt = sa.select(StaffMember.id, StaffMember.name).where(
        sa.or_(StaffMember.id.in_(team), StaffMember.id == (also or 0))).order_by(StaffMember.name)
    return [(row.id, row.name) for row in session.execute(stmt)]
