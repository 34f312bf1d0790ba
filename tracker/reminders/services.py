"""What `flask reminders run` queues for a day, each at most once (the
outbox's unique dedupe key), all in one transaction:

- overdue-invoice reminders to the client's finance e-mail, in stages (days
  after the due date, REMINDER_STAGES, e.g. 7 and 21): the highest stage
  reached, once per invoice and stage; none once paid or credited;
- estimate alerts to the engagement's managers (or every manager when it has
  none) when delivered + planned days pass 80% and 100% of the high estimate
  (as the dashboard's amber and red flags);
- capacity review due: on the first working day (Monday to Friday) of a
  month, to managers, while last month's review is not signed.

Alerts go only to users who have not turned them off (users.mail_alerts);
overdue reminders are about money owed and always go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.access import Role
from tracker.auth.models import User
from tracker.billing.models import OPEN_STATUSES, Invoice, InvoiceKind
from tracker.days.figures import AMBER_FROM, figures_for
from tracker.engagements.models import Engagement, EngagementMember, EngagementStatus
from tracker.errors import ValidationFailed
from tracker.mail import services as mail
from tracker.mail.models import MessageKind
from tracker.reports.capacity.models import CapacityReview, ReviewStatus

THRESHOLDS = ((100, Decimal("1")), (80, AMBER_FROM))  # highest first


@dataclass
class RunSummary:
    overdue: int = 0
    estimate: int = 0
    capacity: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def queued(self) -> int:
        return self.overdue + self.estimate + self.capacity


def parse_stages(raw: str) -> list[int]:
    try:
        stages = sorted({int(part) for part in str(raw).replace(" ", "").split(",") if part})
    except ValueError:
        stages = []
    if not stages or stages[0] < 1 or stages[-1] > 365:
        raise ValidationFailed.for_field("REMINDER_STAGES", "Give days after the due date, e.g. 7,21 (1 to 365).")
    return stages


def first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def alert_recipients(session: Session, staff_ids: set[int] | None = None) -> list[User]:
    """Active managers (of these staff records, when given) who want alerts."""
    stmt = sa.select(User).where(User.role == Role.MANAGER, User.active, User.mail_alerts).order_by(User.id)
    if staff_ids is not None:
        stmt = stmt.where(User.staff_id.in_(staff_ids))
    return list(session.scalars(stmt))


def engagement_managers(session: Session, engagement: Engagement) -> list[User]:
    members = set(session.scalars(sa.select(EngagementMember.staff_id)
                                  .where(EngagementMember.engagement_id == engagement.id)))
    has_own = members and session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.role == Role.MANAGER, User.active,
                                                           User.staff_id.in_(members)))
    return alert_recipients(session, members if has_own else None)


def queue_overdue(session: Session, today: date, stages: list[int], summary: RunSummary) -> None:
    stmt = (sa.select(Invoice).where(Invoice.kind == InvoiceKind.INVOICE, Invoice.status.in_(OPEN_STATUSES),
                                     Invoice.due_on < today - timedelta(days=stages[0] - 1))
            .order_by(Invoice.due_on, Invoice.id))
    lead = mail.sender_name(session)
    for invoice in session.scalars(stmt):
        late = invoice.days_overdue(today)
        reached = [s for s in stages if late >= s]
        if not reached:
            continue
        stage = reached[-1]
        key = f"overdue:{invoice.id}:{stage}"
        if mail.queued_keys(session, [key]):
            continue
        address = (invoice.client.finance_email or "").strip()
        if not address:
            summary.skipped.append(f"{invoice.number}: {invoice.client.name} has no finance e-mail address")
            continue
        mail.queue(session, kind=MessageKind.OVERDUE_REMINDER, to_address=address,
                   to_name=invoice.client.finance_contact, dedupe_key=key, ref=("invoice", invoice.id),
                   subject=f"Reminder: invoice {invoice.number} from {lead} is overdue",
                   template="reminders/mail/overdue",
                   context={"invoice": invoice, "lead": lead, "days_late": late, "stage": stage,
                            "final": stage == stages[-1], "today": today})
        summary.overdue += 1


def queue_estimate_alerts(session: Session, today: date, summary: RunSummary) -> None:
    engagements = list(session.scalars(
        sa.select(Engagement).where(Engagement.status.in_([EngagementStatus.APPROVED, EngagementStatus.ACTIVE]),
                                    Engagement.estimated_days_high > 0).order_by(Engagement.id)))
    figures = figures_for(session, engagements)
    for engagement in engagements:
        f = figures[engagement.id]
        passed = next((pct for pct, share in THRESHOLDS if f.days_committed > f.estimate_high * share), None)
        if passed is None:
            continue
        recipients = engagement_managers(session, engagement)
        keys = {u.id: f"estimate:{engagement.id}:{passed}:{u.id}" for u in recipients}
        done = mail.queued_keys(session, keys.values())
        for user in recipients:
            if keys[user.id] in done:
                continue
            mail.queue(session, kind=MessageKind.ESTIMATE_ALERT, to_address=user.email, to_name=user.name,
                       user_id=user.id, dedupe_key=keys[user.id], ref=("engagement", engagement.id),
                       subject=f"{engagement.title}: days have passed {passed}% of the high estimate",
                       template="reminders/mail/estimate",
                       context={"engagement": engagement, "figures": f, "percent": passed, "user": user,
                                "link": mail.public_url(f"/engagements/{engagement.id}")})
            summary.estimate += 1


def queue_capacity_review_due(session: Session, today: date, summary: RunSummary) -> None:
    if today != first_working_day(today.year, today.month):
        return
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    review = session.scalar(sa.select(CapacityReview).where(CapacityReview.month == last_month))
    if review is not None and review.status == ReviewStatus.SIGNED:
        return
    recipients = alert_recipients(session)
    keys = {u.id: f"capacity-review:{last_month:%Y-%m}:{u.id}" for u in recipients}
    done = mail.queued_keys(session, keys.values())
    for user in recipients:
        if keys[user.id] in done:
            continue
        mail.queue(session, kind=MessageKind.CAPACITY_REVIEW_DUE, to_address=user.email, to_name=user.name,
                   user_id=user.id, dedupe_key=keys[user.id], ref=("capacity_review", review.id if review else None),
                   subject=f"The capacity review for {last_month:%B %Y} is due",
                   template="reminders/mail/capacity_review",
                   context={"month": last_month, "review": review, "user": user,
                            "link": mail.public_url(f"/reports/capacity?month={last_month:%Y-%m}")})
        summary.capacity += 1


def run(session: Session, today: date, stages: list[int]) -> RunSummary:
    """Queue everything due today, in one transaction (commits once)."""
    summary = RunSummary()
    queue_overdue(session, today, stages, summary)
    queue_estimate_alerts(session, today, summary)
    queue_capacity_review_due(session, today, summary)
    session.commit()
    return summary
