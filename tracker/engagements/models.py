"""Engagement: one support agreement with one client authority."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.database import Base, DayTotal, Money, Ratio, enum_type, utcnow
from tracker.money import line_net


class EngagementKind(StrEnum):
    SUPPORT_PACKAGE = "support_package"
    SHARED_SERVICE = "shared_service"

    @property
    def label(self) -> str:
        return {"support_package": "Support package", "shared_service": "Shared-service development"}[self.value]


class EngagementStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Engagement(Base):
    __tablename__ = "engagements"
    __table_args__ = (
        sa.CheckConstraint("estimated_days_low >= 0", name="estimate_low_positive"),
        sa.CheckConstraint("estimated_days_high >= estimated_days_low", name="estimate_band_ordered"),
        sa.CheckConstraint("day_rate >= 0", name="day_rate_positive"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint("vat_rate IS NULL OR (vat_rate >= 0 AND vat_rate <= 1)", name="vat_rate_range"),
        sa.Index("ix_engagements_client_id_status", "client_id", "status"),
        sa.Index("ix_engagements_status", "status"),
        sa.Index("ix_engagements_start_date_id", "start_date", "id"),  # the list's order (0007)
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("authorities.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[EngagementKind] = mapped_column(
        enum_type(EngagementKind, "engagement_kind"), default=EngagementKind.SUPPORT_PACKAGE
    )
    status: Mapped[EngagementStatus] = mapped_column(
        enum_type(EngagementStatus, "engagement_status"), default=EngagementStatus.PROPOSED
    )
    day_rate: Mapped[Money]
    estimated_days_low: Mapped[DayTotal] = mapped_column(default=Decimal("0"))
    estimated_days_high: Mapped[DayTotal] = mapped_column(default=Decimal("0"))
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    purchase_order: Mapped[str] = mapped_column(sa.String(60), default="")
    # 0.2000 = standard rate; NULL = outside the scope of VAT (vat_note says why).
    vat_rate: Mapped[Ratio | None]  # no column default: None must stay None
    vat_note: Mapped[str] = mapped_column(sa.String(255), default="")
    approval_reference: Mapped[str] = mapped_column(sa.String(255), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Set by billing when the first invoice is issued; the day rate is then fixed.
    rate_locked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    client = relationship("Authority", lazy="joined")
    status_changes = relationship(
        "EngagementStatusChange",
        back_populates="engagement",
        order_by="EngagementStatusChange.changed_at",
        cascade="all, delete-orphan",
    )
    members = relationship("StaffMember", secondary="engagement_members", order_by="StaffMember.name")

    AUDIT_FIELDS = (
        "client_id", "title", "kind", "status", "day_rate", "estimated_days_low",
        "estimated_days_high", "start_date", "end_date", "purchase_order", "vat_rate",
        "vat_note", "approval_reference", "description",
    )

    @property
    def estimate_low_value(self) -> Decimal:
        return line_net(self.estimated_days_low, self.day_rate)

    @property
    def estimate_high_value(self) -> Decimal:
        return line_net(self.estimated_days_high, self.day_rate)

    @property
    def is_billable_kind(self) -> bool:
        return self.kind == EngagementKind.SUPPORT_PACKAGE

    def __repr__(self) -> str:
        return f"<Engagement {self.id} {self.title!r}>"


class EngagementStatusChange(Base):
    __tablename__ = "engagement_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str | None] = mapped_column(sa.String(20))
    to_status: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.String(255), default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    engagement = relationship(Engagement, back_populates="status_changes")
    changed_by = relationship("User", lazy="joined")


class EngagementMember(Base):
    """Who from the lead works on an engagement (their week view lists it)."""

    __tablename__ = "engagement_members"

    engagement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True
    )
    staff_id: Mapped[int] = mapped_column(
        sa.ForeignKey("staff_members.id", ondelete="CASCADE"), primary_key=True, index=True
    )
