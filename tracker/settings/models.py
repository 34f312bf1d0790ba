"""Lead-authority settings with history: each value applies from a date."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import Base, utcnow


class Setting(Base):
    __tablename__ = "settings"
    __table_args__ = (sa.UniqueConstraint("key", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), index=True)
    value: Mapped[str] = mapped_column(sa.Text)
    effective_from: Mapped[date]
    note: Mapped[str] = mapped_column(sa.String(255), default="")
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
