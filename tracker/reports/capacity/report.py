"""The monthly capacity risk review: is outside work eating the capacity the
borough needs?

For a month, each staff member's capacity, outside days delivered and
planned, their share of capacity against their cap, and a flag: green, amber
(over 80% of the cap) or red (over the cap); the team's totals; and a forward
look over the next three months from planned days and the remaining estimated
days of active engagements. Everything is aggregated in SQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.database import dsum
from tracker.dates import add_months, month_start
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementStatus
from tracker.money import PENNY
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
        return (self.capacity_days * self.cap_share).quantize(PENNY, rounding=ROUND_HALF_UP)


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
    #: What the live report was summed from (None in a signed snapshot); not part of its figures.
    parts: ForwardParts | None = field(default=None, compare=False, repr=False)

    def counts(self) -> dict[str, int]:
        out = {"green": 0, "amber": 0, "red": 0}
        for row in self.rows:
            out[row.flag] += 1
        return out


def _month_sums(session: Session, first: date, after: date, staff_ids=None):
    """Per staff member: delivered (incl. invoiced) and planned days in [first, after)."""
    done = SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED])
    stmt = (
        sa.select(
            SupportDay.staff_id.label("staff_id"),
            dsum(sa.case((done, SupportDay.days), else_=0)).label("delivered"),
            dsum(sa.case((SupportDay.state == DayState.PLANNED, SupportDay.days), else_=0)).label("planned"),
        )
        .where(SupportDay.worked_on >= first, SupportDay.worked_on < after)
        .group_by(SupportDay.staff_id)
    )
    if staff_ids is not None:
        stmt = stmt.where(SupportDay.staff_id.in_(staff_ids))
    return stmt.subquery()


def staff_rows(session: Session, first: date, staff_ids=None) -> list[StaffRow]:
    """The month's row of each active staff member (and anyone inactive with days in it),
    by name; of ``staff_ids`` only, when given."""
    sums = _month_sums(session, first, add_months(first, 1), staff_ids)
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
    if staff_ids is not None:
        stmt = stmt.where(StaffMember.id.in_(staff_ids))
    rows = []
    for staff_id, name, job_title, capacity_days, cap_share, team, done, booked in session.execute(stmt):
        delivered = Decimal(done).quantize(PENNY)
        planned = Decimal(booked).quantize(PENNY)
        capacity = Decimal(capacity_days)
        cap = Decimal(cap_share).quantize(PENNY)
        share = _share(delivered + planned, capacity)
        rows.append(StaffRow(staff_id, name, job_title, capacity, delivered, planned, share, cap,
                             flag_for(share, cap, delivered + planned), team))
    return rows


@dataclass(frozen=True)
class ForwardParts:
    """What the forward look is made of, per engagement, so that a change to some
    engagements' days recomputes only theirs (tracker/cache_scope.py)."""

    planned: dict[int, dict[date, Decimal]]  # engagement → forward month → planned days
    use: dict[int, tuple[date, date | None, Decimal, Decimal]]  # active engagement → start, end, high estimate, days used


def forward_parts(session: Session, first: date, engagement_ids=None) -> ForwardParts:
    months = [add_months(first, i) for i in range(1, FORWARD_MONTHS + 1)]
    # Which forward month, by comparing dates (a month's text or number costs a conversion per day).
    month_expr = sa.case(*[(SupportDay.worked_on < months[i], i - 1) for i in range(1, len(months))],
                         else_=len(months) - 1)
    planned_stmt = (
        sa.select(SupportDay.engagement_id, month_expr.label("m"), dsum(SupportDay.days).label("days"))
        .where(SupportDay.state == DayState.PLANNED, SupportDay.worked_on >= months[0],
               SupportDay.worked_on < add_months(months[-1], 1))
        .group_by(SupportDay.engagement_id, month_expr)
    )
    active = Engagement.status == EngagementStatus.ACTIVE
    if engagement_ids is not None:
        planned_stmt = planned_stmt.where(SupportDay.engagement_id.in_(engagement_ids))
        active = sa.and_(active, Engagement.id.in_(engagement_ids))
    planned: dict[int, dict[date, Decimal]] = {}
    for row in session.execute(planned_stmt):
        planned.setdefault(row.engagement_id, {})[months[row.m]] = Decimal(row.days)
    used = (  # only active engagements' days: the (engagement_id, state, worked_on) index serves it
        sa.select(SupportDay.engagement_id, dsum(SupportDay.days).label("days"))
        .where(SupportDay.engagement_id.in_(sa.select(Engagement.id).where(active).scalar_subquery()))
        .group_by(SupportDay.engagement_id)
        .subquery()
    )
    use = {e.id: (e.start_date, e.end_date, Decimal(e.estimated_days_high), Decimal(e.used)) for e in session.execute(
        sa.select(Engagement.id, Engagement.start_date, Engagement.end_date, Engagement.estimated_days_high,
                  sa.func.coalesce(used.c.days, 0).label("used"))
        .outerjoin(used, used.c.engagement_id == Engagement.id)
        .where(active)
    )}
    return ForwardParts(planned, use)


@dataclass(frozen=True)
class Totals:
    people: int
    capacity_days: Decimal
    external_delivered: Decimal
    external_planned: Decimal
    share: Decimal | None
    cap_share: Decimal | None
    flag: str
    allowed_days: Decimal = ZERO  # capacity × caps, summed




def totals_of(rows: list[StaffRow]) -> Totals:
    """The totals of some people's rows: everyone's for the report, a team's for the page."""
    capacity = delivered = planned = allowed = ZERO
    for r in rows:
        capacity += r.capacity_days
        delivered += r.external_delivered
        planned += r.external_planned
        allowed += r.capacity_days * r.cap_share
    share = _share(delivered + planned, capacity)
    cap = _share(allowed, capacity)
    return Totals(len(rows), capacity, delivered, planned, share, cap, flag_for(share, cap or ZERO, delivered + planned),
                  allowed)


def _assemble(first: date, rows: list[StaffRow], parts: ForwardParts | None) -> CapacityReport:
    t = totals_of(rows)
    return CapacityReport(
        month=first, rows=rows, capacity_days=t.capacity_days, external_delivered=t.external_delivered,
        external_planned=t.external_planned, share=t.share, cap_share=t.cap_share, flag=t.flag,
        forward=forward_look(first, t.allowed_days, parts) if parts is not None else [], parts=parts,
    )


def capacity_report(session: Session, month: date, *, forward: bool = True) -> CapacityReport:
    first = month_start(month)
    return _assemble(first, staff_rows(session, first), forward_parts(session, first) if forward else None)


def refreshed(session: Session, report: CapacityReport, changes) -> CapacityReport:
    """The report after some support days changed (cache_scope.Change rows, each naming its
    staff and engagements): those staff members' rows and those engagements' forward parts
    are read again; totals and the forward look are summed anew. Equal to capacity_report."""
    staff = frozenset().union(*(c.staff for c in changes))
    engagements = frozenset().union(*(c.engagements for c in changes))
    fresh = {row.staff_id: row for row in staff_rows(session, report.month, staff)}
    rows = [fresh.pop(row.staff_id, row) if row.staff_id in staff else row for row in report.rows
            if row.staff_id not in staff or row.staff_id in fresh]
    if fresh:  # someone inactive now has days in the month
        rows = sorted([*rows, *fresh.values()], key=lambda row: (row.name, row.staff_id))
    parts = report.parts
    if parts is not None:
        again = forward_parts(session, report.month, engagements)
        planned = {k: v for k, v in parts.planned.items() if k not in engagements} | again.planned
        use = {k: v for k, v in parts.use.items() if k not in engagements} | again.use
        parts = ForwardParts(planned, use)
    return _assemble(report.month, rows, parts)


def forward_look(first: date, allowed: Decimal, parts: ForwardParts) -> list[ForwardMonth]:
    """The next three months: planned days, plus each active engagement's
    remaining estimated days (high estimate less delivered and planned)
    spread evenly over its remaining months."""
    months = [add_months(first, i) for i in range(1, FORWARD_MONTHS + 1)]
    planned_by_month = dict.fromkeys(months, ZERO)
    for by_month in parts.planned.values():
        for m, days in by_month.items():
            if m in planned_by_month:
                planned_by_month[m] += days
    spread = dict.fromkeys(months, ZERO)
    for start_date, end_date, high, used in parts.use.values():
        remaining = high - used
        if remaining <= 0:
            continue
        last = month_start(end_date) if end_date else add_months(month_start(start_date), 11)
        span_start = max(months[0], month_start(start_date))
        if last < span_start:
            continue
        count = (last.year - span_start.year) * 12 + last.month - span_start.month + 1
        each = remaining / count
        for m in months:
            if span_start <= m <= last:
                spread[m] += each
    out = []
    for m in months:
        est = spread[m].quantize(PENNY, rounding=ROUND_HALF_UP)
        total = planned_by_month[m] + est
        share = _share(total, allowed)
        out.append(ForwardMonth(m, planned_by_month[m].quantize(PENNY), est,
                                allowed.quantize(PENNY), share,
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
