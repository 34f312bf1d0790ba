"""AuditLog: who changed what, when, with the values before and after."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import Base, utcnow


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Kept as text too, so the row still says who after the user is gone.
    actor_label: Mapped[str] = mapped_column(sa.String(254))
    action: Mapped[str] = mapped_column(sa.String(40))
    entity: Mapped[str] = mapped_column(sa.String(60))
    entity_id: Mapped[str] = mapped_column(sa.String(40))
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)
