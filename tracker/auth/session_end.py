"""Signing a user out everywhere: a rule of its own so that password resets
(tracker/resets), which auth's services call for invitations, can use it too."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.auth.models import User, UserSession
from tracker.database import utcnow


def end_all_sessions(session: Session, user: User, commit: bool = True) -> None:
    """Sign the user out everywhere (password change or reset, access change, MFA reset)."""
    user.session_version = user.session_version + 1
    session.execute(
        sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    if commit:
        session.commit()
