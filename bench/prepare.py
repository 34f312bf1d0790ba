"""Add the benchmark's own fixtures to a generated world (once; idempotent):

- a *large* engagement with ~32,000 delivered days (25 people × five years of
  weekdays), so "page 500 of an engagement's day list" exists at 50 a page;
- a *draft* client whose one engagement holds exactly 5,000 delivered,
  unbilled days (20 people × 250 weekdays), for the draft-and-issue timing;
- a *writers* engagement (ten people, open for ten years) where the
  readers-and-writers mix books planned days while others read;
- sign-ins for the HTTP load (a manager and a finance officer) and the lead's
  remittance details, without which nothing can be issued.

Rows go in through SQLAlchemy Core, like the generator's; people are new
staff so the one-day-per-person-per-date rule holds. Prints the ids as JSON.

    python bench/prepare.py OUT.json PASSWORD
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from tracker import clock, create_app
from tracker.access import SystemActor
from tracker.assessments.models import Assessment
from tracker.auth import services as auth
from tracker.auth.models import User
from tracker.authorities.models import Authority
from tracker.billing import specs
from tracker.days.models import Activity, DayState, SupportDay
from tracker.demo.synthetic import weekdays
from tracker.engagements.models import Engagement, EngagementKind, EngagementMember, EngagementStatus, EngagementStatusChange
from tracker.extensions import db
from tracker.settings import services as settings
from tracker.staff.models import StaffMember

LARGE_TITLE = "Bench: national framework support (large)"
DRAFT_TITLE = "Bench: 5,000 unbilled days"
WRITERS_TITLE = "Bench: days logged during the readers-and-writers mix"


def engagement_with_days(conn, client_name: str, title: str, people: int, dates: list[date], prefix: str) -> dict:
    now = datetime.now(UTC)
    client_id = conn.execute(sa.insert(Authority).returning(Authority.id), {
        "name": client_name, "kind": "council", "is_lead": False, "address": "1 Bench Street\nBenchtown",
        "vat_number": "", "finance_contact": "Accounts Payable", "finance_email": "ap@bench.example.org", "created_at": now,
    }).scalar_one()
    staff_ids = conn.execute(sa.insert(StaffMember).returning(StaffMember.id, sort_by_parameter_order=True), [
        {"name": f"{prefix} Person {i:02d}", "job_title": "Commissioner", "email": f"{prefix.lower()}{i:02d}@lead.example.org",
         "monthly_capacity_days": Decimal("18"), "external_cap_share": Decimal("0.20"), "active": True, "created_at": now}
        for i in range(people)
    ]).scalars().all()
    engagement_id = conn.execute(sa.insert(Engagement).returning(Engagement.id), {
        "client_id": client_id, "title": title, "kind": EngagementKind.SUPPORT_PACKAGE, "status": EngagementStatus.ACTIVE,
        "day_rate": Decimal("500.00"), "estimated_days_low": Decimal(len(dates) * people),
        "estimated_days_high": Decimal(len(dates) * people), "start_date": dates[0], "end_date": dates[-1] + timedelta(days=60),
        "purchase_order": f"PO-{prefix}", "vat_rate": Decimal("0.2000"), "vat_note": "", "approval_reference": "Bench",
        "description": "", "created_at": now,
    }).scalar_one()
    conn.execute(sa.insert(EngagementMember), [{"engagement_id": engagement_id, "staff_id": s} for s in staff_ids])
    conn.execute(sa.insert(EngagementStatusChange), [{"engagement_id": engagement_id, "from_status": None,
                                                      "to_status": "active", "note": "Bench", "changed_at": now}])
    rows = [{"engagement_id": engagement_id, "staff_id": s, "worked_on": on, "activity": Activity.MENTORING,
             "days": Decimal("1.00"), "billable": True, "state": DayState.DELIVERED, "notes": "", "created_at": now,
             "updated_at": now} for s in staff_ids for on in dates]
    for start in range(0, len(rows), 20_000):
        conn.execute(sa.insert(SupportDay), rows[start:start + 20_000])
    return {"client_id": client_id, "engagement_id": engagement_id, "days": len(rows)}


def main(out_path: str, password: str) -> None:
    app = create_app()
    with app.app_context():
        today = clock.today()
        existing = db.session.scalar(sa.select(Engagement.id).where(Engagement.title == LARGE_TITLE))
        if existing is None:
            conn = db.session.connection()  # one transaction with the users and settings below
            large = engagement_with_days(conn, "Bench Large Client Council", LARGE_TITLE, 25,
                                         weekdays(today - timedelta(days=5 * 365), today - timedelta(days=1)), "BenchL")
            draft = engagement_with_days(conn, "Bench Draft Client Council", DRAFT_TITLE, 20,
                                         weekdays(today - timedelta(days=400), today - timedelta(days=1))[-250:], "BenchD")
            for email, role in (("bench.manager@lead.example.org", "manager"), ("bench.finance@lead.example.org", "finance")):
                auth.create_user(db.session, SystemActor("bench"), email, password, role, name=f"Bench {role}")
            if not settings.value_on(db.session, specs.REMITTANCE.key, today):
                settings.set_value(db.session, specs.REMITTANCE.key, "BACS to the lead authority (bench).",
                                   settings.DAY_RATE_APPROVED_ON, "bench")
            db.session.commit()
        else:
            large = {"engagement_id": existing}
            draft_id = db.session.scalar(sa.select(Engagement.id).where(Engagement.title == DRAFT_TITLE))
            draft = {"engagement_id": draft_id, "client_id": db.session.get(Engagement, draft_id).client_id}
        writers_id = db.session.scalar(sa.select(Engagement.id).where(Engagement.title == WRITERS_TITLE))
        if writers_id is None:
            conn = db.session.connection()
            writers_id = engagement_with_days(conn, "Bench Writers Client Council", WRITERS_TITLE, 10,
                                              [today - timedelta(days=1)], "BenchW")["engagement_id"]
            # Ten years ahead: room for the mix's writers to book planned days without double-booking.
            conn.execute(sa.update(Engagement).where(Engagement.id == writers_id)
                         .values(end_date=today + timedelta(days=3650)))
            db.session.commit()
        writer_staff = db.session.scalars(sa.select(EngagementMember.staff_id).where(
            EngagementMember.engagement_id == writers_id).order_by(EngagementMember.staff_id)).all()
        finance_id = db.session.scalar(sa.select(User.id).where(User.email == "bench.finance@lead.example.org"))
        # The client progress page of the engagement with the most days among those with SAP rounds.
        assessed = sa.select(Assessment.engagement_id)
        progress_id = db.session.scalar(
            sa.select(SupportDay.engagement_id).where(SupportDay.engagement_id.in_(assessed))
            .group_by(SupportDay.engagement_id).order_by(sa.func.count().desc()).limit(1))
        fixtures = {"large_engagement_id": large["engagement_id"], "progress_engagement_id": progress_id,
                    "draft_engagement_id": draft["engagement_id"], "writers_engagement_id": writers_id,
                    "writers_staff_ids": writer_staff, "today": today.isoformat(),
                    "draft_client_id": draft["client_id"], "finance_user_id": finance_id,
                    "manager_email": "bench.manager@lead.example.org", "finance_email": "bench.finance@lead.example.org"}
    with open(out_path, "w") as f:
        json.dump(fixtures, f)
    print(json.dumps(fixtures))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
