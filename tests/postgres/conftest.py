"""Tests that need PostgreSQL itself: real concurrent transactions and the
database-level guards (triggers). They are collected only when
TEST_DATABASE_URL points at PostgreSQL (scripts/test.sh's second run); on
SQLite, writers are serialised by BEGIN IMMEDIATE and there are no triggers,
which the SQLite run's own tests cover."""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tracker.extensions import db

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
collect_ignore_glob = [] if ON_POSTGRES else ["test_*.py"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/postgres/" in str(item.fspath):
            item.add_marker(pytest.mark.postgres)


def race(app, *jobs, timeout: float = 30):
    """Run each job in its own thread, app context, session and connection.

    Returns one ("ok", value) or ("error", exception) per job, in order.
    """
    results: list = [None] * len(jobs)

    def work(index, job):
        with app.app_context():
            try:
                results[index] = ("ok", job())
            except Exception as exc:  # the loser's error is the point of the test
                db.session.rollback()
                results[index] = ("error", exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(i, job), name=f"racer-{i}", daemon=True) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racer hung: a lock was never released"
    return results


@contextmanager
def meet_before(pattern: str, parties: int, only=None):
    """Hold each racer just before it sends a statement matching `pattern`
    until `parties` racers are there: their transactions are all open at once."""
    barrier = threading.Barrier(parties, timeout=15)
    arrived: set[str] = set()
    regex = re.compile(pattern, re.I | re.S)

    def hook(conn, cursor, statement, parameters, context, executemany):
        name = threading.current_thread().name
        if name.startswith("racer-") and (only is None or name in only) and name not in arrived and regex.search(statement):
            arrived.add(name)
            barrier.wait()

    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        yield barrier
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
