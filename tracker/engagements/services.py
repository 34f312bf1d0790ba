"""Engagements: set-up, edits, status changes, team and who may see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import MANAGERS, Role
from tracker.audit import services as audit
from tracker.authorities.models import Authority
from tracker.dates import check_fields
from tracker.engagements.models import (
    Engagement,
    EngagementKind,
    EngagementMember,
    EngagementStatus,
    EngagementStatusChange,
)
from tracker.engagements.policy import check_may_edit
from tracker.errors import InvalidTransition, Locked, NotFound, ValidationFailed
from tracker.money import money, to_decimal
from tracker.pagination import Page, paginate
from tracker.settings import services as settings
from tracker.staff.models import StaffMember

#: Where each status may go next. Closing is possible from any open state;
#: a closed engagement can be reopened as active.
TRANSITIONS: dict[EngagementStatus, frozenset[EngagementStatus]] = {
    EngagementStatus.PROPOSED: frozenset({EngagementStatus.APPROVED, EngagementStatus.CLOSED}),
    EngagementStatus.APPROVED: frozenset(
        {EngagementStatus.PROPOSED, EngagementStatus.ACTIVE, EngagementStatus.CLOSED}
    ),
    EngagementStatus.ACTIVE: frozenset({EngagementStatus.CLOSED}),
    EngagementStatus.CLOSED: frozenset({EngagementStatus.ACTIVE}),
}

STANDARD_VAT = Decimal("0.2000")

#: Limits the forms and the API schema take from here.
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
PURCHASE_ORDER_MAX = 60
NOTE_MAX = 255  # the VAT note, the approval reference, a status change's note


@dataclass
class EngagementInput:
    client_id: object
    title: str
    start_date: date | None
    kind: str = EngagementKind.SUPPORT_PACKAGE.value
    end_date: date | None = None
    estimated_days_low: object = Decimal("0")
    estimated_days_high: object = Decimal("0")
    purchase_order: str = ""
    vat_rate: object = STANDARD_VAT  # None = outside the scope of VAT
    vat_note: str = ""
    approval_reference: str = ""
    description: str = ""
    day_rate: object = None  # None = the current default rate
    staff_ids: list[int] | None = field(default=None)


def _days_value(raw, name: str, fields: dict) -> Decimal | None:
    try:
        value = to_decimal(raw if raw not in (None, "") else "0")
    except ValueError:
        fields[name] = "Enter a number of days, e.g. 20."
        return None
    if value < 0 or value > Decimal("9999999"):
        fields[name] = "Days must be between 0 and 9,999,999."
        return None
    if value != value.quantize(Decimal("0.01")):
        fields[name] = "Use at most two decimal places."
        return None
    return value.quantize(Decimal("0.01"))


def _clean(session: Session, data: EngagementInput, existing: Engagement | None, today: date) -> dict:
    fields: dict[str, str] = {}
    out: dict = {}

    client = None
    try:
        client = session.get(Authority, int(data.client_id))
    except (TypeError, ValueError):
        pass
    if client is None:
        fields["client_id"] = "Choose the client authority."
    elif client.is_lead:
        fields["client_id"] = "The lead authority cannot be its own client."
    else:
        out["client_id"] = client.id

    title = (data.title or "").strip()
    if not title:
        fields["title"] = "Give the engagement a title."
    elif len(title) > TITLE_MAX:
        fields["title"] = f"Use at most {TITLE_MAX} characters."
    out["title"] = title

    try:
        out["kind"] = EngagementKind(data.kind)
    except ValueError:
        fields["kind"] = f"Kind must be one of {', '.join(EngagementKind)}."

    if not isinstance(data.start_date, date):
        fields["start_date"] = "Give the start date (YYYY-MM-DD)."
    out["start_date"] = data.start_date
    if data.end_date is not None and not isinstance(data.end_date, date):
        fields["end_date"] = "Give the end date as YYYY-MM-DD, or leave it empty."
    elif data.end_date and isinstance(data.start_date, date) and data.end_date < data.start_date:
        fields["end_date"] = "The end date cannot be before the start date."
    check_fields(fields, start_date=data.start_date, end_date=data.end_date)
    out["end_date"] = data.end_date

    low = _days_value(data.estimated_days_low, "estimated_days_low", fields)
    high = _days_value(data.estimated_days_high, "estimated_days_high", fields)
    if low is not None and high is not None and high < low:
        fields["estimated_days_high"] = "The high estimate cannot be below the low estimate."
    out["estimated_days_low"], out["estimated_days_high"] = low, high

    if data.vat_rate in (None, ""):
        out["vat_rate"] = None
        if not (data.vat_note or "").strip():
            fields["vat_note"] = "Say why the work is outside the scope of VAT; it is printed on the invoice."
    else:
        try:
            rate = to_decimal(data.vat_rate)
            if rate > 1:
                rate = rate / 100  # typed as a percentage
            if not (Decimal(0) <= rate <= Decimal(1)) or rate != rate.quantize(Decimal("0.01")):
                raise ValueError
            out["vat_rate"] = rate.quantize(Decimal("0.0001"))
        except ValueError:
            fields["vat_rate"] = "VAT rate is a share such as 0.20, or empty for outside the scope of VAT."
    out["vat_note"] = (data.vat_note or "").strip()

    if data.day_rate in (None, ""):
        if existing is None:
            on = data.start_date if isinstance(data.start_date, date) else today
            out["day_rate"] = settings.day_rate_on(session, min(on, today))
    else:
        try:
            rate = money(data.day_rate)
            if rate < 0 or rate > Decimal("99999"):
                raise ValueError
            out["day_rate"] = rate
        except ValueError:
            fields["day_rate"] = "Day rate is an amount in pounds, e.g. 500.00."
        if existing is not None and existing.rate_locked_at and out.get("day_rate") != existing.day_rate:
            raise Locked.for_field(
                "day_rate", "The day rate cannot change once the engagement has been invoiced."
            )

    for name, limit in (("purchase_order", PURCHASE_ORDER_MAX), ("vat_note", NOTE_MAX),
                        ("approval_reference", NOTE_MAX), ("description", DESCRIPTION_MAX)):
        value = (getattr(data, name) or "").strip()
        if len(value) > limit and name not in fields:
            fields[name] = f"Use at most {limit:,} characters."
        out[name] = value

    if data.staff_ids is not None:
        ids = sorted({int(i) for i in data.staff_ids})
        found = set(session.scalars(sa.select(StaffMember.id).where(StaffMember.id.in_(ids)))) if ids else set()
        if set(ids) - found:
            fields["staff_ids"] = "One of the chosen staff members does not exist."

    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return out


def _set_members(session: Session, engagement: Engagement, staff_ids: list[int]) -> None:
    session.execute(sa.delete(EngagementMember).where(EngagementMember.engagement_id == engagement.id))
    for staff_id in sorted(set(staff_ids)):
        session.add(EngagementMember(engagement_id=engagement.id, staff_id=staff_id))


def create_engagement(session: Session, actor, data: EngagementInput, today: date) -> Engagement:
    """A new engagement, proposed, at the default day rate in force (unless given)."""
    values = _clean(session, data, None, today)
    engagement = Engagement(
        **values,
        status=EngagementStatus.PROPOSED,
        created_by_id=getattr(actor, "id", None),
    )
    session.add(engagement)
    session.flush()
    session.add(
        EngagementStatusChange(
            engagement_id=engagement.id, from_status=None, to_status=EngagementStatus.PROPOSED.value,
            changed_by_id=getattr(actor, "id", None), note="Created",
        )
    )
    if data.staff_ids:
        _set_members(session, engagement, data.staff_ids)
    after = audit.snapshot(engagement) | {"staff_ids": sorted(data.staff_ids or [])}
    audit.record(session, actor, "create", "engagement", engagement.id, None, after)
    session.commit()
    return engagement


def member_ids(session: Session, engagement_id: int) -> list[int]:
    stmt = sa.select(EngagementMember.staff_id).where(EngagementMember.engagement_id == engagement_id)
    return sorted(session.scalars(stmt))


def update_engagement(session: Session, actor, engagement: Engagement, data: EngagementInput, today: date) -> Engagement:
    before = audit.snapshot(engagement) | {"staff_ids": member_ids(session, engagement.id)}
    values = _clean(session, data, engagement, today)
    for key, value in values.items():
        setattr(engagement, key, value)
    if data.staff_ids is not None:
        _set_members(session, engagement, data.staff_ids)
    session.flush()
    after = audit.snapshot(engagement) | {"staff_ids": member_ids(session, engagement.id)}
    audit.record(session, actor, "update", "engagement", engagement.id, before, after)
    session.commit()
    return engagement


def change_status(session: Session, actor, engagement: Engagement, new_status: str, note: str = "") -> Engagement:
    try:
        target = EngagementStatus(new_status)
    except ValueError:
        raise ValidationFailed.for_field("status", f"Status must be one of {', '.join(EngagementStatus)}.") from None
    current = engagement.status
    if target == current:
        return engagement
    if target not in TRANSITIONS[current]:
        raise InvalidTransition.for_field(
            "status", f"An engagement that is {current.value} cannot become {target.value}."
        )
    engagement.status = target
    session.add(
        EngagementStatusChange(
            engagement_id=engagement.id, from_status=current.value, to_status=target.value,
            changed_by_id=getattr(actor, "id", None), note=(note or "").strip()[:NOTE_MAX],
        )
    )
    audit.record(session, actor, "status", "engagement", engagement.id, {"status": current}, {"status": target})
    session.commit()
    return engagement


def visible_engagements(user) -> sa.Select:
    """Engagements the user may see: all for lead staff, their authority's for a client."""
    stmt = sa.select(Engagement)
    if user.role == Role.CLIENT:
        stmt = stmt.where(Engagement.client_id == user.authority_id)
    return stmt


def filtered_engagements(user, client_id: int | None = None, status: str | None = None, kind: str | None = None) -> sa.Select:
    stmt = visible_engagements(user)
    if client_id:
        stmt = stmt.where(Engagement.client_id == client_id)
    if status:
        stmt = stmt.where(Engagement.status == EngagementStatus(status))
    if kind:
        stmt = stmt.where(Engagement.kind == EngagementKind(kind))
    return stmt.order_by(Engagement.start_date.desc(), Engagement.id.desc())


def list_engagements(session: Session, user, page: int, per_page: int, *, client_id: int | None = None,
                     status: str | None = None, kind: str | None = None, by_id: bool = False) -> Page:
    """One page of the engagements this user may see, for the page and the API alike:
    newest start first, or by id (``by_id``: the API's stable order for walking pages)."""
    stmt = filtered_engagements(user, client_id=client_id, status=status, kind=kind)
    if by_id:
        stmt = stmt.order_by(None).order_by(Engagement.id)
    return paginate(session, stmt, page, per_page)


def get_engagement(session: Session, user, engagement_id: int) -> Engagement:
    """The engagement, or NotFound when it is missing or outside a client's authority."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or (user.role == Role.CLIENT and engagement.client_id != user.authority_id):
        raise NotFound("No such engagement.")
    return engagement


_CLIENT_OF = sa.select(Engagement.client_id).where(Engagement.id == sa.bindparam("engagement_id"))


def check_engagement_visible(session: Session, user, engagement_id: int) -> None:
    """get_engagement's NotFound, without loading the engagement: one column by its key.
    For kept pages, which need the check on every request but the engagement only when
    the page is built again."""
    client_id = session.scalar(_CLIENT_OF, {"engagement_id": engagement_id})
    if client_id is None or (user.role == Role.CLIENT and client_id != user.authority_id):
        raise NotFound("No such engagement.")


def engagement_for_editing(session: Session, user, engagement_id: int) -> Engagement:
    """The engagement, to change its rounds, goals and milestones: NotFound as in
    get_engagement, Forbidden unless the policy lets this user edit it."""
    engagement = get_engagement(session, user, engagement_id)
    check_may_edit(session, user, engagement)
    return engagement


def can_manage(user) -> bool:
    return user.role in MANAGERS
