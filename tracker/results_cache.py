"""Results (reports, an engagement's totals) kept per worker process until the data changes.

Every change the app makes goes through a service that writes an audit row
(docs/data-model.md: every create, change and delete is audited; the log is
append-only), so the newest audit_log id is a stamp that moves whenever any
figure could have changed. A report computed at stamp S is served again to
whoever asks the same question while the stamp is still S — for at most
REPORT_CACHE_SECONDS — so ten managers opening the income report before the
Board meeting cost one set of aggregate queries, not ten. The stamp is one
primary-key lookup. Off in tests unless a test turns it on.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit.models import AuditLog

T = TypeVar("T")
MAX_ENTRIES = 64
_store: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


def data_stamp(session: Session) -> int:
    """The newest audit row's id: changes whenever any recorded data does."""
    return session.scalar(sa.select(sa.func.max(AuditLog.id))) or 0


def clear() -> None:
    with _lock:
        _store.clear()


def cached(session: Session, name: str, params: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s result for this report and question at the current data stamp."""
    seconds = current_app.config.get("REPORT_CACHE_SECONDS", 0)
    if not seconds:
        return compute()
    key = (name, params, data_stamp(session), clock.today())
    now = time.monotonic()
    with _lock:
        hit = _store.get(key)
        if hit is not None and hit[0] > now:
            _store.move_to_end(key)
            return hit[1]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _store[key] = (now + seconds, value)
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)
    return value
