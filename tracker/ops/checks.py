"""`flask check`: verify the rules of docs/data-model.md hold on the data itself.

Each check returns a list of problems (empty when the rule holds). Each module
lists its checks in CHECKS; features declare theirs in init_app (billing: invoices).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.database import dsum
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement, EngagementKind
from tracker.extension_points import extension_points


@dataclass(frozen=True)
class Result:
    name: str
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def run_checks(session: Session) -> list[Result]:
    """Every feature's checks, as declared in their init_app (ops' own first)."""
    return [Result(name, fn(session)) for name, fn in extension_points().integrity_checks]


def one_day_per_person_per_date(session: Session) -> list[str]:
    total = dsum(SupportDay.days)
    stmt = (
        sa.select(SupportDay.staff_id, SupportDay.worked_on, total.label("days"))
        .group_by(SupportDay.staff_id, SupportDay.worked_on)
        .having(total > 1)
        .limit(50)
    )
    return [f"staff {r.staff_id} has {r.days} days on {r.worked_on}" for r in session.execute(stmt)]


def days_in_range(session: Session) -> list[str]:
    stmt = sa.select(SupportDay.id, SupportDay.days).where(
        sa.or_(SupportDay.days <= 0, SupportDay.days > 1, SupportDay.days * 4 != sa.func.round(SupportDay.days * 4))
    ).limit(50)
    return [f"support day {r.id} has {r.days} days" for r in session.execute(stmt)]


def shared_service_not_billable(session: Session) -> list[str]:
    stmt = (
        sa.select(SupportDay.id)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .where(Engagement.kind == EngagementKind.SHARED_SERVICE, SupportDay.billable.is_(True))
        .limit(50)
    )
    return [f"support day {i} on a shared-service engagement is billable" for i in session.scalars(stmt)]


#: This module's rules for `flask check`, in the order they run.
CHECKS = (
    ("one day per person per date", one_day_per_person_per_date),
    ("days are quarter steps in (0, 1]", days_in_range),
    ("shared-service days are not billable", shared_service_not_billable),
)
