"""CapacityReview: the monthly review the Board was promised, signed off with
the figures it was signed on."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, enum_type, utcnow


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


class CapacityReview(Base):
    __tablename__ = "capacity_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(unique=True)  # the first of the month reviewed
    reviewed_on: Mapped[date]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    decisions: Mapped[str] = mapped_column(sa.Text, default="")
    actions: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[ReviewStatus] = mapped_column(enum_type(ReviewStatus, "review_status"), default=ReviewStatus.DRAFT)
    # The figures at sign-off (JSON, Decimals as strings); None while a draft.
    snapshot: Mapped[dict | None] = mapped_column(sa.JSON)
    # The Board's statement, signed explicitly: True = "Outside work is having no
    # detrimental impact on the work within the Borough"; False = it is, and why.
    no_detriment: Mapped[bool | None]
    impact_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    signed_at: Mapped[datetime | None]
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    signed_by = relationship("User", foreign_keys=[signed_by_id], lazy="joined")

    AUDIT_FIELDS = ("month", "reviewed_on", "notes", "decisions", "actions", "status")
