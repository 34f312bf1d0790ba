"""StaffMember: someone at the lead authority whose days are logged and capped."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import Base, DayTotal, Ratio, utcnow


class StaffMember(Base):
    __tablename__ = "staff_members"
    __table_args__ = (
        sa.CheckConstraint("monthly_capacity_days >= 0 AND monthly_capacity_days <= 31", name="capacity_range"),
        sa.CheckConstraint("external_cap_share >= 0 AND external_cap_share <= 1", name="cap_share_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    job_title: Mapped[str] = mapped_column(sa.String(120), default="")
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: The team or service the person works in (the capacity review filters by it); "" when none.
    team: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    monthly_capacity_days: Mapped[DayTotal] = mapped_column(default=Decimal("18.00"))
    external_cap_share: Mapped[Ratio] = mapped_column(default=Decimal("0.2000"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    AUDIT_FIELDS = ("name", "job_title", "team", "email", "monthly_capacity_days", "external_cap_share", "active")

    def __repr__(self) -> str:
        return f"<StaffMember {self.id} {self.name!r}>"
