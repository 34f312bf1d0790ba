"""The monthly capacity risk review: is outside work eating the capacity the
borough needs?

For a month, each staff member's capacity, outside days delivered and
planned, their share of capacity against their cap, and a flag: green, amber
(over 80% of the cap) or red (over the cap); the team's totals; and a forward
look over the next three months from planned days and the remaining estimated
days of active engagements. Everything is aggregated in SQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.database import dsum
from tracker.dates import add_months, month_key, month_of_key, month_start
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.staff.models import StaffMember

AMBER_FROM = Decimal("0.80")  # of the cap
FORWARD_MONTHS = 3
ZERO = Decimal("0.00")
SHARE_PLACES = Decimal("0.0001")


def flag_for(share: Decimal | None, cap: Decimal, committed: Decimal) -> str:
    if share is None:  # no capacity at all
        return "red" if committed > 0 else "green"
    if share > cap:
        return "red"
    if share > cap * AMBER_FROM:
        return "amber"
    return "green"


def _share(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole <= 0:
        return None
    return (part / whole).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StaffRow:
    staff_id: int
    name: str
    job_title: str
    capacity_days: Decimal
    external_delivered: Decimal
    external_planned: Decimal
    share: Decimal | None  # (delivered + planned) / capacity
    cap_share: Decimal
    flag: str
    team: str = ""

    @property
    def committed(self) -> Decimal:
        return self.external_delivered + self.external_planned

    @property
    def allowed_days(self) -> Decimal:
        return (self.capacity_days * self.cap_share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ForwardMonth:
    month: date
    planned: Decimal
    estimated_remaining: Decimal  # remaining estimated days spread into this month
    capacity_allowed: Decimal  # the team's capacity × caps
    share: Decimal | None
    flag: str

    @property
    def total(self) -> Decimal:
        return self.planned + self.estimated_remaining


@dataclass(frozen=True)
class CapacityReport:
    month: date
    rows: list[StaffRow]
    capacity_days: Decimal
    external_delivered: Decimal
    external_planned: Decimal
    share: Decimal | None
    cap_share: Decimal | None  # capacity-weighted cap of the team
    flag: str
    forward: list[ForwardMonth]

    def counts(self) -> dict[str, int]:
        out = {"green": 0, "amber": 0, "red": 0}
        for row in self.rows:
            out[row.flag] += 1
        return out


def _month_sums(session: Session, first: date, after: date):
    """Per staff member: delivered (incl. invoiced) and planned days in [first, after)."""
    done = SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED])
    return (
        sa.select(
            SupportDay.staff_id.label("staff_id"),
            dsum(sa.case((done, SupportDay.days), else_=0)).label("delivered"),
            dsum(sa.case((SupportDay.state == DayState.PLANNED, SupportDay.days), else_=0)).label("planned"),
        )
        .where(SupportDay.worked_on >= first, SupportDay.worked_on < after)
        .group_by(SupportDay.staff_id)
        .subquery()
    )


def capacity_report(session: Session, month: date, *, forward: bool = True) -> CapacityReport:
    first = month_start(month)
    after = add_months(first, 1)
    sums = _month_sums(session, first, after)
    stmt = (
        sa.select(
            StaffMember.id, StaffMember.name, StaffMember.job_title, StaffMember.monthly_capacity_days,
            StaffMember.external_cap_share, StaffMember.team,
            sa.func.coalesce(sums.c.delivered, 0).label("delivered"),
            sa.func.coalesce(sums.c.planned, 0).label("planned"),
        )
        .outerjoin(sums, sums.c.staff_id == StaffMember.id)
        .where(sa.or_(StaffMember.active.is_(True), sums.c.staff_id.is_not(None)))
        .order_by(StaffMember.name, StaffMember.id)
    )
    rows = []
    total_capacity = total_delivered = total_planned = allowed = ZERO
    for r in session.execute(stmt):
        delivered = Decimal(r.delivered).quantize(Decimal("0.01"))
        planned = Decimal(r.planned).quantize(Decimal("0.01"))
        capacity = Decimal(r.monthly_capacity_days)
        cap = Decimal(r.external_cap_share).quantize(Decimal("0.01"))
        share = _share(delivered + planned, capacity)
        rows.append(StaffRow(r.id, r.name, r.job_title, capacity, delivered, planned, share, cap,
                             flag_for(share, cap, delivered + planned), r.team))
        total_capacity += capacity
        total_delivered += delivered
        total_planned += planned
        allowed += capacity * cap
    team_share = _share(total_delivered + total_planned, total_capacity)
    team_cap = _share(allowed, total_capacity)
    team_flag = flag_for(team_share, team_cap or ZERO, total_delivered + total_planned)
    return CapacityReport(
        month=first, rows=rows, capacity_days=total_capacity, external_delivered=total_delivered,
        external_planned=total_planned, share=team_share, cap_share=team_cap, flag=team_flag,
        forward=forward_look(session, first, allowed) if forward else [],
    )


def forward_look(session: Session, first: date, allowed: Decimal) -> list[ForwardMonth]:
    """The next three months: planned days, plus each active engagement's
    remaining estimated days (high estimate less delivered and planned)
    spread evenly over its remaining months."""
    months = [add_months(first, i) for i in range(1, FORWARD_MONTHS + 1)]
    end = add_months(months[-1], 1)
    planned_by_month = dict.fromkeys(months, ZERO)
    month_expr = month_key(session, SupportDay.worked_on)
    stmt = (
        sa.select(month_expr.label("m"), dsum(SupportDay.days).label("days"))
        .where(SupportDay.state == DayState.PLANNED, SupportDay.worked_on >= months[0], SupportDay.worked_on < end)
        .group_by(month_expr)
    )
    for row in session.execute(stmt):
        key = month_of_key(row.m)
        if key in planned_by_month:
            planned_by_month[key] = Decimal(row.days)
    spread = dict.fromkeys(months, ZERO)
    active_ids = sa.select(Engagement.id).where(Engagement.status == EngagementStatus.ACTIVE).scalar_subquery()
    used = (  # only active engagements' days: the (engagement_id, state, worked_on) index serves it
        sa.select(SupportDay.engagement_id, dsum(SupportDay.days).label("days"))
        .where(SupportDay.engagement_id.in_(active_ids))
        .group_by(SupportDay.engagement_id)
        .subquery()
    )
    engagements = session.execute(
        sa.select(Engagement.start_date, Engagement.end_date, Engagement.estimated_days_high,
                  sa.func.coalesce(used.c.days, 0).label("used"))
        .outerjoin(used, used.c.engagement_id == Engagement.id)
        .where(Engagement.status == EngagementStatus.ACTIVE)
    )
    for e in engagements:
        remaining = Decimal(e.estimated_days_high) - Decimal(e.used)
        if remaining <= 0:
            continue
        last = month_start(e.end_date) if e.end_date else add_months(month_start(e.start_date), 11)
        span_start = max(months[0], month_start(e.start_date))
        if last < span_start:
            continue
        count = (last.year - span_start.year) * 12 + last.month - span_start.month + 1
        each = remaining / count
        for m in months:
            if span_start <= m <= last:
                spread[m] += each
    out = []
    for m in months:
        est = spread[m].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        total = planned_by_month[m] + est
        share = _share(total, allowed)
        out.append(ForwardMonth(m, planned_by_month[m].quantize(Decimal("0.01")), est,
                                allowed.quantize(Decimal("0.01")), share,
                                "green" if share is None and total == 0 else flag_for(share, Decimal("1"), total)))
    return out


# --- snapshots for signed reviews ---------------------------------------------------

def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_snapshot(report: CapacityReport) -> dict:
    return {
        "month": report.month.isoformat(),
        "rows": [{k: _jsonable(v) for k, v in asdict(r).items()} for r in report.rows],
        "totals": {
            "capacity_days": str(report.capacity_days), "external_delivered": str(report.external_delivered),
            "external_planned": str(report.external_planned), "share": _jsonable(report.share),
            "cap_share": _jsonable(report.cap_share), "flag": report.flag,
        },
        "forward": [{"month": f.month.isoformat(), "planned": str(f.planned),
                     "estimated_remaining": str(f.estimated_remaining), "capacity_allowed": str(f.capacity_allowed),
                     "share": _jsonable(f.share), "flag": f.flag} for f in report.forward],
    }


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def from_snapshot(data: dict) -> CapacityReport:
    rows = [StaffRow(r["staff_id"], r["name"], r["job_title"], Decimal(r["capacity_days"]),
                     Decimal(r["external_delivered"]), Decimal(r["external_planned"]), _dec(r["share"]),
                     Decimal(r["cap_share"]), r["flag"], r.get("team", "")) for r in data["rows"]]
    t = data["totals"]
    forward = [ForwardMonth(date.fromisoformat(f["month"]), Decimal(f["planned"]), Decimal(f["estimated_remaining"]),
                            Decimal(f["capacity_allowed"]), _dec(f["share"]), f["flag"]) for f in data["forward"]]
    return CapacityReport(date.fromisoformat(data["month"]), rows, Decimal(t["capacity_days"]),
                          Decimal(t["external_delivered"]), Decimal(t["external_planned"]), _dec(t["share"]),
                          _dec(t["cap_share"]), t["flag"], forward)


@dataclass(frozen=True)
class Change:
    name: str
    field: str
    signed: str
    now: str


def changes_since(signed: CapacityReport, live: CapacityReport) -> list[Change]:
    """What moved after sign-off: per person delivered/planned days and flags."""
    out = []
    live_rows = {r.staff_id: r for r in live.rows}
    for old in signed.rows:
        new = live_rows.pop(old.staff_id, None)
        if new is None:
            out.append(Change(old.name, "row", "present", "gone"))
            continue
        for name in ("external_delivered", "external_planned", "capacity_days", "flag"):
            a, b = getattr(old, name), getattr(new, name)
            if a != b:
                out.append(Change(old.name, name, str(a), str(b)))
    for new in live_rows.values():
        out.append(Change(new.name, "row", "absent", f"{new.committed} days, {new.flag}"))
    return out
