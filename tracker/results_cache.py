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
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request
from sqlalchemy.orm import Session

from tracker import cache_scope, clock
from tracker.audit.models import AuditLog
from tracker.cache_scope import STAMP_WINDOW, Change, Scope, Stamp

T = TypeVar("T")
MAX_ENTRIES = 512  # reports, totals, per-engagement figures and rendered pages (tracker/page_cache.py)
MISSING = object()


@dataclass
class _Entry:
    expires: float
    stamp: Stamp
    value: object
    scope: Scope | None  # None: any recorded change makes it old


_store: OrderedDict[tuple, _Entry] = OrderedDict()
_lock = threading.Lock()


_STAMP = (sa.select(sa.func.max(AuditLog.id), sa.func.count())  # built once: it runs on every cached read
          .where(AuditLog.id > sa.select(sa.func.max(AuditLog.id)).scalar_subquery() - STAMP_WINDOW))


def data_stamp(session: Session) -> Stamp:
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


def stamp_columns() -> tuple:
    """The data stamp as two columns, for a query every GET makes anyway (the signed-in
    user's) to bring along: one round trip to the database fewer per page."""
    newest = sa.select(sa.func.max(AuditLog.id)).scalar_subquery()
    window = (sa.select(sa.func.count()).select_from(AuditLog)
              .where(AuditLog.id > newest - STAMP_WINDOW).scalar_subquery())
    return newest.label("stamp_newest"), window.label("stamp_window")


def stamp_wanted() -> bool:
    """Will this request read the data stamp (a GET with the caches on), and not read it yet?"""
    return (enabled() and has_request_context() and request.method in ("GET", "HEAD")
            and "tracker_data_stamp" not in g)


def remember_stamp(newest: int | None, window: int) -> None:
    """The stamp read by stamp_columns, kept for the rest of this GET as data_stamp keeps it."""
    g.tracker_data_stamp = (newest or 0, window)


def clear() -> None:
    with _lock:
        _store.clear()


def enabled() -> bool:
    return bool(current_app.config.get("REPORT_CACHE_SECONDS", 0))


def _key(name: str, params: Hashable) -> tuple:
    return (name, params, clock.today())


def lookup(session: Session, name: str, params: Hashable,
           refresh: Callable[[T, list[Change]], T] | None = None) -> object:
    """The kept answer if it still holds at the current stamp, else MISSING.

    It holds when nothing was recorded since it was computed, or when nothing
    recorded since touches its scope (tracker/cache_scope.py). With ``refresh``,
    an answer whose only relevant changes are support days of known engagements
    and staff is brought up to date by ``refresh(value, changes)`` instead of
    being recomputed whole.
    """
    key = _key(name, params)
    stamp = data_stamp(session)
    with _lock:
        entry = _store.get(key)
    if entry is None or entry.expires <= time.monotonic():
        return MISSING
    if entry.stamp == stamp or entry.stamp[0] > stamp[0]:  # unchanged, or computed after this request began
        with _lock:
            _store.move_to_end(key)
        return entry.value
    if entry.scope is None:
        return MISSING
    changes = cache_scope.changes_between(session, entry.stamp, stamp)
    if changes is None:
        return MISSING
    relevant = [c for c in changes if entry.scope.touched_by(c)]
    value = entry.value
    if relevant:
        if refresh is None or not all(c.is_placed_day for c in relevant):
            return MISSING
        value = refresh(value, relevant)
    with _lock:  # the same answer, now known to hold at the newer stamp (its expiry unchanged)
        _store[key] = _Entry(entry.expires, stamp, value, entry.scope)
        _store.move_to_end(key)
    return value


def store(session: Session, name: str, params: Hashable, value: object, stamp: Stamp,
          scope: Scope | None = None) -> None:
    """Keep ``value``, computed from data at ``stamp`` (read *before* computing it)."""
    seconds = current_app.config.get("REPORT_CACHE_SECONDS", 0)
    with _lock:
        _store[_key(name, params)] = _Entry(time.monotonic() + seconds, stamp, value, scope)
        _store.move_to_end(_key(name, params))
        while len(_store) > MAX_ENTRIES:
            _store.popitem(last=False)


def cached(session: Session, name: str, params: Hashable, compute: Callable[[], T], *,
           scope: Scope | Callable[[], Scope | None] | None = None,
           refresh: Callable[[T, list[Change]], T] | None = None) -> T:
    """``compute()``'s result for this report and question, kept until a change touches it.

    ``scope`` says what the answer depends on (tracker/cache_scope.py); without
    one, any recorded change makes it old. It may be a function, called after
    ``compute``, for answers whose scope is only known once computed (a list
    page's engagements). See :func:`lookup` for ``refresh``.
    """
    if not enabled():
        return compute()
    value = lookup(session, name, params, refresh)
    if value is not MISSING:
        return value  # type: ignore[return-value]
    stamp = data_stamp(session)  # before computing: a change that lands meanwhile moves it again
    value = compute()
    store(session, name, params, value, stamp, scope() if callable(scope) else scope)
    return value
