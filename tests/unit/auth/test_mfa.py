"""TOTP enrolment, codes, replay, recovery codes, disabling and resetting (tracker/auth/mfa.py)."""

from datetime import timedelta

import pyotp
import pytest

from tracker.audit.models import AuditLog
from tracker.auth import mfa
from tracker.auth.models import RecoveryCode
from tracker.database import utcnow
from tracker.errors import Conflict, ValidationFailed


def enrol(session, user, now):
    secret, uri = mfa.start_enrolment(session, user)
    assert uri.startswith("otpauth://totp/") and secret in uri
    codes = mfa.confirm_enrolment(session, user, user, pyotp.TOTP(secret).at(now), now)
    return secret, codes


def test_enrolment_needs_a_right_code_and_gives_ten_single_use_codes(session, world):
    user, now = world.users["consultant"], utcnow()
    secret, _ = mfa.start_enrolment(session, user)
    with pytest.raises(ValidationFailed) as wrong:
        mfa.confirm_enrolment(session, user, user, "000000" if pyotp.TOTP(secret).at(now) != "000000" else "111111", now)
    assert "code" in wrong.value.fields and not user.mfa_enabled
    codes = mfa.confirm_enrolment(session, user, user, pyotp.TOTP(secret).at(now), now)
    assert user.mfa_enabled and len(codes) == len(set(codes)) == 10
    stored = [row.code_hash for row in user_codes(session, user)]
    assert all(code.replace("-", "") not in " ".join(stored) for code in codes)  # hashed, not plain
    assert session.query(AuditLog).filter_by(action="auth.mfa_enable", entity_id=str(user.id)).count() == 1


def user_codes(session, user):
    return session.query(RecoveryCode).filter_by(user_id=user.id).all()


def test_codes_from_the_step_either_side_work_but_never_twice(session, world):
    user, now = world.users["consultant"], utcnow()
    secret, _ = enrol(session, user, now - timedelta(minutes=5))
    totp = pyotp.TOTP(secret)
    assert mfa.verify(session, user, totp.at(now - timedelta(seconds=30)), now) == "totp"
    assert mfa.verify(session, user, totp.at(now), now) == "totp"
    assert mfa.verify(session, user, totp.at(now), now) is None  # replay in the same step
    assert mfa.verify(session, user, totp.at(now - timedelta(seconds=30)), now) is None  # older than one used
    assert mfa.verify(session, user, totp.at(now + timedelta(seconds=30)), now) == "totp"
    assert mfa.verify(session, user, totp.at(now + timedelta(seconds=90)), now) is None  # too far ahead
    assert mfa.verify(session, user, "12345", now) is None


def test_a_recovery_code_works_once(session, world):
    user, now = world.users["manager"], utcnow()
    _, codes = enrol(session, user, now)
    assert mfa.verify(session, user, codes[0].upper(), now) == "recovery"
    session.commit()
    assert mfa.verify(session, user, codes[0], now) is None
    assert mfa.remaining_recovery_codes(session, user) == 9
    assert mfa.verify(session, user, codes[1].replace("-", " "), now) == "recovery"


def test_turning_off_needs_a_code_and_is_refused_where_required(session, world):
    user, now = world.users["manager"], utcnow()
    secret, codes = enrol(session, user, now - timedelta(minutes=2))
    with pytest.raises(Conflict):
        mfa.disable(session, user, user, pyotp.TOTP(secret).at(now), now, required=True)
    with pytest.raises(ValidationFailed):
        mfa.disable(session, user, user, "not-a-code", now, required=False)
    mfa.disable(session, user, user, codes[3], now, required=False)
    assert not user.mfa_enabled and mfa.remaining_recovery_codes(session, user) == 0
    assert session.query(AuditLog).filter_by(action="auth.mfa_disable").count() == 1


def test_admin_reset_ends_sessions_and_is_audited(session, world):
    user, now = world.users["finance"], utcnow()
    enrol(session, user, now)
    version = user.session_version
    mfa.reset(session, world.users["admin"], user)
    assert not user.mfa_enabled and user.session_version == version + 1
    row = session.query(AuditLog).filter_by(action="auth.mfa_reset").one()
    assert row.actor_label == "admin@lead.example.org" and row.after == {"mfa": None, "had_mfa": True}


def test_cli_reset_mfa(runner, session, world):
    user = world.users["finance"]
    enrol(session, user, utcnow())
    result = runner.invoke(args=["users", "reset-mfa", "FINANCE@lead.example.org"])
    assert result.exit_code == 0, result.output
    assert "MFA reset for finance@lead.example.org" in result.output
    session.expire_all()
    assert not user.mfa_enabled
    missing = runner.invoke(args=["users", "reset-mfa", "nobody@lead.example.org"])
    assert missing.exit_code != 0 and "No user with e-mail nobody@lead.example.org" in missing.output


def test_the_qr_code_is_inline_svg_without_script():
    svg = str(mfa.qr_svg("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"))
    assert svg.startswith("<svg ") and "<script" not in svg and 'role="img"' in svg
