"""The throttling rules with the clock in hand (tracker/auth/throttle.py)."""

from datetime import timedelta

import pytest

from tests.factories import PASSWORD
from tracker.auth import signin, throttle
from tracker.database import utcnow

EMAIL = "manager@lead.example.org"


def _fail(session, now, email=EMAIL, address="10.1.1.1"):
    with pytest.raises(signin.InvalidCredentials):
        signin.check_password(session, email, "wrong password", address, now)


def test_the_account_slows_down_progressively_then_locks_only_from_that_address(session, world):
    start = utcnow()
    now = start
    for _ in range(throttle.ACCOUNT_FREE):
        _fail(session, now)
    # 1 s after the fifth failure, then 2, 4, 8 ... (each spaced attempt fails again)
    for n in range(throttle.ACCOUNT_FREE, throttle.PAIR_LOCK_AFTER):
        delay = 2 ** (n - throttle.ACCOUNT_FREE)
        assert throttle.wait_needed(session, EMAIL, "10.1.1.1", now) == delay
        with pytest.raises(throttle.TooManyAttempts) as refused:
            signin.check_password(session, EMAIL, PASSWORD, "10.1.1.1", now)  # even the right password waits
        assert refused.value.wait_seconds == delay and f"Wait {delay} second" in refused.value.message
        now += timedelta(seconds=delay)
        _fail(session, now)
    # ten failures from 10.1.1.1: that address is locked out of this account for 15 minutes
    later = now + timedelta(minutes=1)
    assert throttle.wait_needed(session, EMAIL, "10.1.1.1", later) == 14 * 60
    with pytest.raises(throttle.TooManyAttempts) as refused:
        signin.check_password(session, EMAIL, PASSWORD, "10.1.1.1", later)
    assert "Wait 14 minutes" in refused.value.message
    # the owner elsewhere waits at most the account's delay, then signs in
    assert throttle.wait_needed(session, EMAIL, "10.2.2.2", later) == 0
    assert signin.check_password(session, EMAIL, PASSWORD, "10.2.2.2", later).email == EMAIL
    # after the lock, the same address may try again
    after = now + throttle.PAIR_LOCK_FOR + timedelta(seconds=1)
    assert signin.check_password(session, EMAIL, PASSWORD, "10.1.1.1", after).email == EMAIL


def test_one_address_may_fail_generously_across_accounts_then_waits_truthfully(session, world):
    now = utcnow()
    for i in range(throttle.ADDRESS_LIMIT):
        _fail(session, now + timedelta(seconds=i), email=f"guess{i}@x.example.org", address="10.3.3.3")
    last = now + timedelta(seconds=throttle.ADDRESS_LIMIT)
    wait = throttle.wait_needed(session, "new@x.example.org", "10.3.3.3", last)
    assert wait == int((throttle.WINDOW - timedelta(seconds=throttle.ADDRESS_LIMIT)).total_seconds())
    assert throttle.wait_needed(session, "new@x.example.org", "10.4.4.4", last) == 0
    assert throttle.wait_needed(session, "new@x.example.org", "10.3.3.3", now + throttle.WINDOW + timedelta(seconds=1)) == 0


def test_successes_never_count_and_old_failures_are_forgotten(session, world):
    now = utcnow()
    for i in range(300):
        signin.check_password(session, EMAIL, PASSWORD, "10.5.5.5", now + timedelta(milliseconds=i))
    assert session.query(throttle.SignInFailure).count() == 0
    _fail(session, now - timedelta(days=2))
    _fail(session, now)
    assert session.query(throttle.SignInFailure).count() == 1
