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
from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit.models import AuditLog

T = TypeVar("T")
MAX_ENTRIES = 128  # reports, totals and rendered pages (tracker/page_cache.py)
_store: OrderedDict[tuple, tuple[float, object]] = OrderedDict()
_lock = threading.Lock()


#: How far back the stamp counts audit rows (see data_stamp).
STAMP_WINDOW = 256


_STAMP = (sa.select(sa.func.max(AuditLog.id), sa.func.count())  # built once: it runs on every cached read
          .where(AuditLog.id > sa.select(sa.func.max(AuditLog.id)).scalar_subquery() - STAMP_WINDOW))


def data_stamp(session: Session) -> tuple[int, int]:
    """The newest audit row's id, and how many rows the last STAMP_WINDOW ids hold.

    The id moves whenever any recorded data changes. The count catches a change
    committed *after* a newer one (on PostgreSQL two writers take ids 100 and
    101, and 101 may commit first): the newest id stays 101 but the count of
    rows in the window grows when 100 lands. One index range read.
    Within one GET request it is read once (pages ask several cached questions).
    """
    memo = has_request_context() and request.method in ("GET", "HEAD")
    if memo and "tracker_data_stamp" in g:
        return g.tracker_data_stamp
    row = session.execute(_STAMP).one()
    stamp = (row[0] or 0, row[1])
    if memo:
        g.tracker_data_stamp = stamp
    return stamp


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
