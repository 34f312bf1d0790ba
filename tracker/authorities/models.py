"""Authority: a council, NHS body or Children's Trust. One is the lead (the seller)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.database import Base, enum_type, utcnow


class AuthorityKind(StrEnum):
    COUNCIL = "council"
    NHS = "nhs"
    TRUST = "trust"
    OTHER = "other"


class Authority(Base):
    __tablename__ = "authorities"
    __table_args__ = (
        # At most one lead authority (partial unique index on both databases).
        sa.Index(
            "uq_authorities_single_lead",
            "is_lead",
            unique=True,
            sqlite_where=sa.text("is_lead = 1"),
            postgresql_where=sa.text("is_lead"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(160), unique=True)
    kind: Mapped[AuthorityKind] = mapped_column(
        enum_type(AuthorityKind, "authority_kind"), default=AuthorityKind.COUNCIL
    )
    is_lead: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str] = mapped_column(sa.Text, default="")
    vat_number: Mapped[str] = mapped_column(sa.String(20), default="")
    finance_contact: Mapped[str] = mapped_column(sa.String(120), default="")
    finance_email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    AUDIT_FIELDS = ("name", "kind", "is_lead", "address", "vat_number", "finance_contact", "finance_email")

    def __repr__(self) -> str:
        return f"<Authority {self.id} {self.name!r}>"
