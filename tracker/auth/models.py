"""User accounts and API tokens."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.access import LEAD_ROLES, Role
from tracker.database import Base, enum_type, utcnow


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'client') = (authority_id IS NOT NULL)",
            name="client_has_authority",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role, "user_role"))
    authority_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("authorities.id", ondelete="RESTRICT"), index=True
    )
    staff_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_members.id", ondelete="SET NULL"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout and password change: every older session stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    #: E-mail alerts and reminders not about money (estimate alerts, capacity review due).
    mail_alerts: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    authority = relationship("Authority", lazy="joined")
    staff = relationship("StaffMember", lazy="joined")

    AUDIT_FIELDS = ("email", "name", "role", "authority_id", "staff_id", "active")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:  # Flask-Login: the session remembers id and version
        return f"{self.id}:{self.session_version}"

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_lead_staff(self) -> bool:
        return self.role in LEAD_ROLES

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    user = relationship(User, lazy="joined")
