"""A synthetic national market for benchmarks: hundreds of authorities selling
support to each other for five years. Bulk inserts through SQLAlchemy Core;
every rule of docs/data-model.md holds on what it writes (``flask check`` verifies).

Steps register themselves in STEPS so features can add theirs (invoices,
assessments and plans) after the days exist.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.authorities.models import Authority
from tracker.days.models import Activity, DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind, EngagementMember, EngagementStatus, EngagementStatusChange
from tracker.settings.models import Setting
from tracker.settings.services import DAY_RATE_APPROVED_ON
from tracker.staff.models import StaffMember

CHUNK = 20_000
ACTIVITY_WEIGHTS = [
    (Activity.SCOPING, 8), (Activity.SELF_ASSESSMENT, 10), (Activity.TRAINING, 14),
    (Activity.TRAINING_PROGRAMME, 16), (Activity.MENTORING, 28), (Activity.TOOLS, 10),
    (Activity.ACTION_PLANNING, 12), (Activity.OTHER, 2),
]
#: Teams (services) of a large shared service; staff are spread over them in turn (no random draw,
#: so the rest of the world stays what the same seed made before teams existed).
TEAMS = ["Children in Care", "Commissioning Hub", "Disabled Children", "Early Help", "Education Commissioning",
         "Health Partnerships", "Market Development", "Quality Assurance", "Safeguarding Partnerships",
         "Short Breaks", "SEND Services", "Youth Services"]
AMOUNTS = [(Decimal("1.00"), 70), (Decimal("0.50"), 20), (Decimal("0.25"), 5), (Decimal("0.75"), 5)]


@dataclass
class Plan:
    days: int = 1_000_000
    authorities: int = 300
    staff: int = 3_000
    engagements: int = 2_000
    years: int = 5
    seed: int = 2026
    today: date = field(default_factory=lambda: datetime.now(UTC).date())


@dataclass
class Generated:
    """What earlier steps made, for later steps (ids and the engagements' shape)."""

    lead_id: int = 0
    client_ids: list[int] = field(default_factory=list)
    staff_ids: list[int] = field(default_factory=list)
    engagements: list[dict] = field(default_factory=list)  # id, client_id, kind, status, start, end, rate, vat
    day_count: int = 0
    invoice_count: int = 0
    credit_note_count: int = 0
    payment_count: int = 0
    assessment_count: int = 0
    goal_count: int = 0


Progress = Callable[[str, int], None]
STEPS: list[tuple[str, Callable[[Connection, Plan, Generated, random.Random, Progress], None]]] = []


def step(name: str):
    def decorate(fn):
        STEPS.append((name, fn))
        return fn

    return decorate


def weekdays(first: date, last: date) -> list[date]:
    """Monday–Friday dates from first to last, inclusive."""
    out, day = [], first
    while day <= last:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


@step("authorities and staff")
def authorities_and_staff(conn: Connection, plan: Plan, out: Generated, rng: random.Random, progress: Progress) -> None:
    now = datetime.now(UTC)
    kinds = ["council"] * 8 + ["trust", "nhs"]
    rows = [{"name": "Lead Synthetic Borough Council", "kind": "council", "is_lead": True, "address": "Town Hall",
             "vat_number": "GB999999973", "finance_contact": "Income Team", "finance_email": "income@lead.example.org",
             "created_at": now}]
    rows += [{"name": f"Synthetic Authority {i:04d}", "kind": rng.choice(kinds), "is_lead": False,
              "address": f"{i} High Street\nTown {i}", "vat_number": "", "finance_contact": "Accounts Payable",
              "finance_email": f"ap{i}@authority{i}.example.org", "created_at": now}
             for i in range(1, plan.authorities)]
    ids = conn.execute(sa.insert(Authority).returning(Authority.id, sort_by_parameter_order=True), rows).scalars().all()
    out.lead_id, out.client_ids = ids[0], list(ids[1:])
    staff_rows = [{"name": f"Staff Member {i:05d}", "job_title": rng.choice(["Commissioner", "Senior Commissioner",
                                                                          "Divisional Manager", "Commissioning Officer"]),
                   "email": f"staff{i:05d}@lead.example.org", "team": TEAMS[i % len(TEAMS)],
                   "monthly_capacity_days": Decimal(rng.choice([15, 16, 18, 18, 18])),
                   "external_cap_share": Decimal(rng.choice(["0.10", "0.15", "0.20", "0.20", "0.25", "0.30"])),
                   "active": True, "created_at": now} for i in range(plan.staff)]
    out.staff_ids = conn.execute(sa.insert(StaffMember).returning(StaffMember.id, sort_by_parameter_order=True),
                                 staff_rows).scalars().all()
    conn.execute(sa.insert(Setting), [{"key": "day_rate", "value": "500.00", "effective_from": DAY_RATE_APPROVED_ON,
                                       "note": "Synthetic data", "changed_at": now}])
    progress("authorities and staff", plan.authorities + plan.staff)


@step("engagements")
def engagements(conn: Connection, plan: Plan, out: Generated, rng: random.Random, progress: Progress) -> None:
    now = datetime.now(UTC)
    window_start = date(plan.today.year - plan.years, plan.today.month, 1)
    span = (plan.today - window_start).days
    rows, teams = [], []
    for i in range(plan.engagements):
        start = window_start + timedelta(days=rng.randrange(max(1, span - 30)))
        months = rng.choice([6, 9, 12, 12, 18, 24])
        end = start + timedelta(days=months * 30)
        kind = EngagementKind.SHARED_SERVICE if rng.random() < 0.08 else EngagementKind.SUPPORT_PACKAGE
        if end < plan.today:
            status = EngagementStatus.CLOSED if rng.random() < 0.85 else EngagementStatus.ACTIVE
        else:
            status = EngagementStatus.ACTIVE if rng.random() < 0.9 else EngagementStatus.APPROVED
        low = Decimal(rng.choice([20, 40, 80, 150, 300, 500]))
        rate = Decimal(rng.choice(["450.00", "500.00", "500.00", "500.00", "550.00"]))
        vat = None if kind == EngagementKind.SHARED_SERVICE or rng.random() < 0.3 else Decimal("0.2000")
        rows.append({"client_id": rng.choice(out.client_ids), "title": f"Commissioning support {i:04d}", "kind": kind,
                     "status": status, "day_rate": rate, "estimated_days_low": low,
                     "estimated_days_high": (low * Decimal("1.5")).quantize(Decimal("0.01")), "start_date": start,
                     "end_date": end, "purchase_order": f"PO-{i:05d}", "vat_rate": vat,
                     "vat_note": "" if vat is not None else "Outside the scope of VAT (s.33 body)",
                     "approval_reference": "Synthetic", "description": "", "created_at": now})
        teams.append(rng.sample(out.staff_ids, k=rng.randint(4, 24)))
    ids = conn.execute(sa.insert(Engagement).returning(Engagement.id, sort_by_parameter_order=True), rows).scalars().all()
    members, changes = [], []
    for engagement_id, row, team in zip(ids, rows, teams, strict=True):
        out.engagements.append({"id": engagement_id, "client_id": row["client_id"], "kind": row["kind"],
                                "status": row["status"], "start": row["start_date"], "end": row["end_date"],
                                "rate": row["day_rate"], "vat": row["vat_rate"], "team": team,
                                "high": row["estimated_days_high"]})
        members += [{"engagement_id": engagement_id, "staff_id": s} for s in team]
        changes.append({"engagement_id": engagement_id, "from_status": None, "to_status": row["status"].value,
                        "note": "Synthetic", "changed_at": now})
    conn.execute(sa.insert(EngagementMember), members)
    conn.execute(sa.insert(EngagementStatusChange), changes)
    progress("engagements", plan.engagements)


@step("support days")
def support_days(conn: Connection, plan: Plan, out: Generated, rng: random.Random, progress: Progress) -> None:
    """About ``plan.days`` days; a person never has more than one day on a date."""
    by_staff: dict[int, list[dict]] = {}
    for e in out.engagements:
        if e["status"] == EngagementStatus.PROPOSED:
            continue
        for staff_id in e["team"]:
            by_staff.setdefault(staff_id, []).append(e)
    horizon = plan.today + timedelta(days=90)
    slots = 0
    for engagements_ in by_staff.values():
        for e in engagements_:
            first, last = e["start"], min(e["end"], horizon)
            if last >= first:
                slots += (last - first).days * 5 // 7
    probability = min(1.0, plan.days / max(1, slots) * 1.2)  # a margin for full days; stops at plan.days
    activities = [a for a, _ in ACTIVITY_WEIGHTS]
    weights = [w for _, w in ACTIVITY_WEIGHTS]
    now = datetime.now(UTC)
    batch: list[dict] = []
    written = 0
    for staff_id in sorted(by_staff):
        booked: dict[date, Decimal] = {}
        for e in by_staff[staff_id]:
            for on in weekdays(e["start"], min(e["end"], horizon)):
                if rng.random() > probability or written + len(batch) >= plan.days:
                    continue
                used = booked.get(on, Decimal(0))
                amount = _weighted(rng, AMOUNTS)
                if used + amount > 1:
                    amount = Decimal(1) - used
                    if amount <= 0:
                        continue
                booked[on] = used + amount
                shared = e["kind"] == EngagementKind.SHARED_SERVICE
                batch.append({
                    "engagement_id": e["id"], "staff_id": staff_id, "worked_on": on,
                    "activity": Activity.SHARED_SERVICE if shared else rng.choices(activities, weights)[0],
                    "days": amount, "billable": not shared,
                    "state": DayState.DELIVERED if on <= plan.today else DayState.PLANNED,
                    "notes": "", "created_at": now, "updated_at": now,
                })
        if len(batch) >= CHUNK:
            written += _flush(conn, batch, progress)
    written += _flush(conn, batch, progress)
    out.day_count = written


def _flush(conn: Connection, batch: list[dict], progress: Progress) -> int:
    # Each (person, engagement, date) is visited once, so every row is its own cell.
    if not batch:
        return 0
    conn.execute(sa.insert(SupportDay), batch)
    count = len(batch)
    progress("support days", count)
    batch.clear()
    return count


def generate(engine: sa.Engine, plan: Plan, progress: Progress) -> Generated:
    rng = random.Random(plan.seed)  # noqa: S311 (synthetic data, not secrets)
    out = Generated()
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # the indexes of a million rows fit in memory: far less I/O
            conn.exec_driver_sql("PRAGMA cache_size = -1000000")
        for _name, fn in STEPS:
            fn(conn, plan, out, rng, progress)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA cache_size = -2000")  # back to SQLite's default for the pooled connection
    if engine.dialect.name == "postgresql":
        # Statistics for the planner now, not when autovacuum comes round: straight after a bulk
        # load PostgreSQL plans on stale counts (it scanned all 52,000 SAP scores for one
        # engagement's 24, a third of the progress report's time).
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    return out


# Later steps (after the days exist): invoicing, then assessments and plans.
from tracker.demo import synthetic_billing, synthetic_sap  # noqa: E402, F401
