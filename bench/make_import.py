"""Write a CSV of N valid support days for the import benchmark: weekend dates
(the synthetic generator books weekdays only) of team members on delivered
engagements, so every row passes the rules."""

from __future__ import annotations

import csv
import sys
from datetime import timedelta

import sqlalchemy as sa

from tracker import create_app
from tracker.engagements.models import Engagement, EngagementMember, EngagementStatus
from tracker.extensions import db
from tracker.staff.models import StaffMember


def main(path: str, rows: int, today_iso: str) -> None:
    from datetime import date

    today = date.fromisoformat(today_iso)
    app = create_app()
    with app.app_context():
        pairs = db.session.execute(
            sa.select(Engagement.id, Engagement.start_date, Engagement.end_date, StaffMember.email)
            .join(EngagementMember, EngagementMember.engagement_id == Engagement.id)
            .join(StaffMember, StaffMember.id == EngagementMember.staff_id)
            .where(Engagement.status.in_([EngagementStatus.ACTIVE, EngagementStatus.APPROVED]))
            .order_by(Engagement.id, StaffMember.id)
        ).all()
    written = 0
    used: set[tuple[str, object]] = set()
    with open(path, "w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["engagement_id", "staff_email", "worked_on", "activity", "days", "billable", "notes"])
        for engagement_id, start, end, email in pairs:
            day = start + timedelta(days=(5 - start.weekday()) % 7)  # first Saturday
            last = min(end or today, today)
            while day <= last and written < rows:
                for on in (day, day + timedelta(days=1)):
                    if on <= last and (email, on) not in used and written < rows:
                        used.add((email, on))
                        out.writerow([engagement_id, email, on.isoformat(), "mentoring", "1", "", "Bench import"])
                        written += 1
                day += timedelta(days=7)
            if written >= rows:
                break
    print(f"wrote {written} rows to {path}", file=sys.stderr)
    if written < rows:
        raise SystemExit(f"only {written} free weekend slots found")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
