"""The action (change) plan: goals tied to SAP standards or key areas, and
their milestones with owner, due date, status and evidence."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, enum_type, utcnow

#: A milestone still open within this many days of its due date is "due soon".
DUE_SOON_DAYS = 14


class MilestoneStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_open(self) -> bool:
        return self in (MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)


class Goal(Base):
    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(sa.ForeignKey("engagements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    key_area: Mapped[str] = mapped_column(sa.String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    engagement = relationship("Engagement", lazy="joined")
    standards = relationship("GoalStandard", order_by="GoalStandard.standard_code", cascade="all, delete-orphan",
                             lazy="selectin")
    milestones = relationship("Milestone", back_populates="goal", order_by=lambda: [Milestone.due_on, Milestone.id],
                              cascade="all, delete-orphan", lazy="selectin")

    AUDIT_FIELDS = ("engagement_id", "title", "description", "key_area")

    @property
    def standard_codes(self) -> list[str]:
        return sorted((s.standard_code for s in self.standards), key=code_key)

    def __repr__(self) -> str:
        return f"<Goal {self.id} {self.title!r}>"


class GoalStandard(Base):
    """A goal addresses a standard, named by its code (stable across framework versions)."""

    __tablename__ = "plan_goal_standards"

    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_goals.id", ondelete="CASCADE"), primary_key=True)
    standard_code: Mapped[str] = mapped_column(sa.String(8), primary_key=True)


class Milestone(Base):
    __tablename__ = "plan_milestones"
    __table_args__ = (sa.Index("ix_plan_milestones_goal_id_due_on", "goal_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_goals.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200))
    owner: Mapped[str] = mapped_column(sa.String(120))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[MilestoneStatus] = mapped_column(
        enum_type(MilestoneStatus, "milestone_status"), default=MilestoneStatus.NOT_STARTED
    )
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    completed_on: Mapped[date | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    goal = relationship(Goal, back_populates="milestones")
    # Every piece of evidence ever saved, newest first; ``evidence`` holds the latest.
    evidence_history = relationship("MilestoneEvidence", back_populates="milestone", cascade="all, delete-orphan",
                                    order_by="(MilestoneEvidence.noted_on.desc(), MilestoneEvidence.id.desc())",
                                    lazy="selectin")

    AUDIT_FIELDS = ("goal_id", "title", "owner", "due_on", "status", "evidence", "completed_on")

    def is_overdue(self, today: date) -> bool:
        return self.status.is_open and self.due_on < today

    def is_due_soon(self, today: date) -> bool:
        return self.status.is_open and today <= self.due_on <= today + timedelta(days=DUE_SOON_DAYS)

    def flag(self, today: date) -> str | None:
        """"overdue", "due_soon" or None: what the pages highlight."""
        if self.is_overdue(today):
            return "overdue"
        if self.is_due_soon(today):
            return "due_soon"
        return None


class MilestoneEvidence(Base):
    """One dated entry in a milestone's evidence history: saving evidence adds
    an entry, never overwrites the earlier ones."""

    __tablename__ = "plan_milestone_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_milestones.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[MilestoneStatus] = mapped_column(enum_type(MilestoneStatus, "milestone_status"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    milestone = relationship(Milestone, back_populates="evidence_history")
    created_by = relationship("User", lazy="joined")


def code_key(code: str) -> tuple:
    """Sort "1.2" before "1.10"."""
    return tuple(int(p) if p.isdigit() else p for p in code.split("."))
