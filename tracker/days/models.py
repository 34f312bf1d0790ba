"""SupportDay: a staff member's time on an engagement on a date, in days."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, Days, enum_type, utcnow


class Activity(StrEnum):
    SCOPING = "scoping"
    SELF_ASSESSMENT = "self_assessment"
    TRAINING = "training"
    TRAINING_PROGRAMME = "training_programme"
    MENTORING = "mentoring"
    TOOLS = "tools"
    ACTION_PLANNING = "action_planning"
    SHARED_SERVICE = "shared_service"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ACTIVITY_LABELS[self]


ACTIVITY_LABELS = {
    Activity.SCOPING: "Scoping of current practice",
    Activity.SELF_ASSESSMENT: "Self-assessment (SAP)",
    Activity.TRAINING: "Bespoke commissioning training",
    Activity.TRAINING_PROGRAMME: "Four-day development programme",
    Activity.MENTORING: "Mentoring",
    Activity.TOOLS: "Sharing practical tools",
    Activity.ACTION_PLANNING: "Action (change) planning",
    Activity.SHARED_SERVICE: "Shared-service development",
    Activity.OTHER: "Other",
}


class DayState(StrEnum):
    PLANNED = "planned"
    DELIVERED = "delivered"
    INVOICED = "invoiced"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class SupportDay(Base):
    __tablename__ = "support_days"
    __table_args__ = (
        sa.CheckConstraint("days > 0 AND days <= 1", name="days_range"),
        sa.CheckConstraint("days * 4 = ROUND(days * 4)", name="days_quarter_steps"),
        # One record per person, engagement, date and activity: the week view's cell.
        sa.UniqueConstraint("staff_id", "engagement_id", "worked_on", "activity", name="uq_support_days_cell"),
        # The one-day-per-person-per-date rule and the week view read by staff and date.
        sa.Index("ix_support_days_staff_id_worked_on", "staff_id", "worked_on"),
        # Engagement pages, invoicing and reports read by engagement, state and date;
        # 0014: with days, an engagement's days used (the capacity review) from the index alone;
        # 0015: with what an engagement's figures sum by (activity, billable, written off), its
        # figures and the progress report too.
        sa.Index("ix_support_days_engagement_id_state_worked_on_covering", "engagement_id", "state", "worked_on",
                 "days", "activity", "billable", "written_off"),
        # An engagement's day list, newest first, paged by a deferred join (migration 0007).
        sa.Index("ix_support_days_engagement_id_worked_on_id", "engagement_id", "worked_on", "id"),
        # Date ranges; sums by month × engagement/client from the index alone (0007: replaces the
        # plain worked_on index, so day inserts maintain no more indexes than before).
        # 0011: with staff, activity and written_off, the income report's pricing lines come from it too.
        sa.Index("ix_support_days_worked_on_engagement_id", "worked_on", "engagement_id", "state", "billable", "days",
                 "staff_id", "activity", "written_off"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(sa.ForeignKey("engagements.id", ondelete="RESTRICT"))
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_members.id", ondelete="RESTRICT"))
    worked_on: Mapped[date]
    activity: Mapped[Activity] = mapped_column(enum_type(Activity, "activity"))
    days: Mapped[Days]
    billable: Mapped[bool] = mapped_column(default=True)
    state: Mapped[DayState] = mapped_column(enum_type(DayState, "day_state"), default=DayState.DELIVERED)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: Credited and written off (migration 0011): stays invoiced (locked), never billable again.
    written_off: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The action-plan goal the day serves (tracker.plans checks and audits it).
    goal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plan_goals.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    engagement = relationship("Engagement", lazy="joined")
    staff = relationship("StaffMember", lazy="joined")

    AUDIT_FIELDS = ("engagement_id", "staff_id", "worked_on", "activity", "days", "billable", "state", "notes")

    @property
    def is_locked(self) -> bool:
        """Invoiced days (and, with billing, days on a draft) cannot change."""
        return self.state == DayState.INVOICED

    def __repr__(self) -> str:
        return f"<SupportDay {self.id} staff={self.staff_id} {self.worked_on} {self.days}>"
