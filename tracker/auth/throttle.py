"""Sign-in throttling that counts failures only.

Successful sign-ins never count. Failures (a wrong password, a wrong MFA code)
are rows in ``sign_in_failures``, so every app server behind the proxy sees the
same counts. Three rules, checked before a password or code is looked at:

- the account slows down: after ``ACCOUNT_FREE`` failures in the window (from
  anywhere) each attempt waits 1, 2, 4 ... seconds (at most a minute) after the
  last failure;
- the account is locked *from that address* after ``PAIR_LOCK_AFTER`` failures
  there, for ``PAIR_LOCK_FOR`` after the last one: colleagues behind the same
  NAT, and the account's owner elsewhere, are not locked out;
- one address may fail ``ADDRESS_LIMIT`` times in the window, across all
  accounts (generous: a whole council can share one address).

The refusal says how long to wait, truthfully (also as ``Retry-After``).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.auth.models import SignInFailure
from tracker.errors import DomainError

WINDOW = timedelta(minutes=15)
ACCOUNT_FREE = 5
ACCOUNT_DELAY_CAP = 60  # seconds
PAIR_LOCK_AFTER = 10
PAIR_LOCK_FOR = timedelta(minutes=15)
ADDRESS_LIMIT = 100
KEEP = timedelta(days=1)


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_requests"

    def __init__(self, wait_seconds: int):
        self.wait_seconds = max(1, int(wait_seconds))
        super().__init__(f"Too many failed sign-in attempts. Wait {describe_wait(self.wait_seconds)} and try again.",
                         retry_after=self.wait_seconds)


def describe_wait(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _key(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _failures(session: Session, now: datetime, **where) -> tuple[int, datetime | None]:
    conditions = [SignInFailure.at > now - WINDOW]
    conditions += [getattr(SignInFailure, name) == value for name, value in where.items()]
    count, last = session.execute(
        sa.select(sa.func.count(), sa.func.max(SignInFailure.at)).where(*conditions)
    ).one()
    return count, last


def _seconds_until(moment: datetime, now: datetime) -> int:
    return math.ceil((moment - now).total_seconds())


def wait_needed(session: Session, email: str, address: str, now: datetime) -> int:
    """Seconds this e-mail must wait from this address before trying again (0: go ahead)."""
    email, address = _key(email), (address or "")[:64]
    waits = [0]
    pair_count, pair_last = _failures(session, now, email=email, address=address)
    if pair_count >= PAIR_LOCK_AFTER:
        waits.append(_seconds_until(pair_last + PAIR_LOCK_FOR, now))
    account_count, account_last = _failures(session, now, email=email)
    if account_count >= ACCOUNT_FREE:
        delay = min(2 ** (account_count - ACCOUNT_FREE), ACCOUNT_DELAY_CAP)
        waits.append(_seconds_until(account_last + timedelta(seconds=delay), now))
    address_count, _ = _failures(session, now, address=address)
    if address_count >= ADDRESS_LIMIT:
        # The wait until enough of this address's failures leave the window.
        oldest = session.scalars(
            sa.select(SignInFailure.at)
            .where(SignInFailure.address == address, SignInFailure.at > now - WINDOW)
            .order_by(SignInFailure.at)
            .offset(address_count - ADDRESS_LIMIT)
            .limit(1)
        ).first()
        waits.append(_seconds_until(oldest + WINDOW, now))
    return max(waits)


def check(session: Session, email: str, address: str, now: datetime) -> None:
    """Raise TooManyAttempts when this attempt must wait."""
    wait = wait_needed(session, email, address, now)
    if wait > 0:
        raise TooManyAttempts(wait)


def record_failure(session: Session, email: str, address: str, now: datetime) -> None:
    """Count a failure (the caller commits it with its audit row); forget day-old ones."""
    session.execute(sa.delete(SignInFailure).where(SignInFailure.at < now - KEEP))
    session.add(SignInFailure(at=now, email=_key(email), address=(address or "")[:64]))
