"""Multi-factor authentication: TOTP (RFC 6238) with single-use recovery codes.

A code is accepted for the current 30-second step and one step either side, and
never twice (the last accepted step is stored: a replay in the same step is
refused). Recovery codes are shown once and stored as SHA-256 (they are random,
50 bits each, so a fast hash is enough). Every change is audited.
"""

from __future__ import annotations

import hashlib
import io
import re
import secrets
from datetime import datetime

import pyotp
import qrcode
import qrcode.image.svg
import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.auth.models import RecoveryCode, User
from tracker.auth.session_end import end_all_sessions
from tracker.errors import Conflict, ValidationFailed

ISSUER = "Commissioning Support Tracker"
RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> Markup:
    """The otpauth URI as an inline SVG QR code (no script, no external image)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1))  # noqa: S704 (qrcode's own SVG)


def start_enrolment(session: Session, user: User) -> tuple[str, str]:
    """A new key awaiting its first code: (base32 key, otpauth URI)."""
    user.mfa_pending_secret = pyotp.random_base32()
    session.commit()
    return user.mfa_pending_secret, provisioning_uri(user, user.mfa_pending_secret)


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (now ±1) whose code this is, or None."""
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(_clean(code).encode()).hexdigest()


def new_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    return codes


def confirm_enrolment(session: Session, actor, user: User, code: str, now: datetime) -> list[str]:
    """Turn MFA on with the first code from the app; returns the recovery codes (shown once)."""
    if not user.mfa_pending_secret:
        raise Conflict.for_field("code", "Start setting up MFA first.")
    step = _totp_step(user.mfa_pending_secret, _clean(code), now)
    if step is None:
        raise ValidationFailed.for_field("code", "That code is not right: enter the 6-digit code your app shows now.")
    was_on = user.mfa_enabled
    user.mfa_secret, user.mfa_pending_secret = user.mfa_pending_secret, None
    user.mfa_enabled_at, user.mfa_last_step = now, step
    codes = new_recovery_codes(session, user)
    audit.record(session, actor, "auth.mfa_enable", "user", user.id, None,
                 {"mfa": "totp", "replaced_key": was_on, "recovery_codes": RECOVERY_CODE_COUNT})
    session.commit()
    return codes


def verify(session: Session, user: User, code: str, now: datetime) -> str | None:
    """"totp" or "recovery" when the code is good (and spends it), else None. Commits nothing."""
    if not user.mfa_secret:
        return None
    cleaned = _clean(code)
    step = _totp_step(user.mfa_secret, cleaned, now)
    if step is not None:
        if user.mfa_last_step is not None and step <= user.mfa_last_step:
            return None  # replayed, or older than a code already used
        user.mfa_last_step = step
        return "totp"
    if len(cleaned) != 10:
        return None
    row = session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(cleaned), RecoveryCode.used_at.is_(None)
        )
    )
    if row is None:
        return None
    row.used_at = now
    return "recovery"


def remaining_recovery_codes(session: Session, user: User) -> int:
    return session.scalar(
        sa.select(sa.func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _turn_off(session: Session, user: User) -> None:
    user.mfa_secret = user.mfa_pending_secret = None
    user.mfa_enabled_at = user.mfa_last_step = None
    session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable(session: Session, actor, user: User, code: str, now: datetime, required: bool) -> None:
    """The user turns MFA off with a current code; not allowed where the admin requires it."""
    if required:
        raise Conflict.for_field("code", "Your role must use MFA: it cannot be turned off.")
    if not user.mfa_enabled:
        raise Conflict.for_field("code", "MFA is not on.")
    if verify(session, user, code, now) is None:
        raise ValidationFailed.for_field("code", "That code is not right.")
    _turn_off(session, user)
    audit.record(session, actor, "auth.mfa_disable", "user", user.id, {"mfa": "totp"}, {"mfa": None})
    session.commit()


def reset(session: Session, actor, user: User) -> None:
    """An admin's reset for a lost phone: MFA off, sessions ended; enrol again at next sign-in."""
    had = user.mfa_enabled
    _turn_off(session, user)
    end_all_sessions(session, user, commit=False)
    audit.record(session, actor, "auth.mfa_reset", "user", user.id, None, {"mfa": None, "had_mfa": had})
    session.commit()
