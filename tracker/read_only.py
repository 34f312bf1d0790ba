"""Views that only read: every kept list and report page and API list.

On PostgreSQL such a request runs its statements in autocommit mode: no BEGIN
before the first and no ROLLBACK after the last, two of a kept page's five
round trips to the database. Nothing changes for what the page sees: at READ
COMMITTED (PostgreSQL's default and ours) every statement takes its own
snapshot inside a transaction too. The one write such a request may make —
the sign-in record's "last seen", touched every five minutes — is a single
statement, committed as before. On SQLite a GET already takes no write lock
(tracker/database.py), so nothing is done there.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from tracker.extensions import db

READ_ONLY_ATTR = "tracker_read_only"


def read_only(view):
    """Mark a view as one that only reads (put it beside the route decorator)."""
    setattr(view, READ_ONLY_ATTR, True)
    return view


def begin_reads() -> bool:
    """At the start of a request: a GET of a read-only view on PostgreSQL reads in autocommit.
    True when it does."""
    if request.method not in ("GET", "HEAD") or request.endpoint is None:
        return False
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, READ_ONLY_ATTR, False) or db.engine.dialect.name != "postgresql":
        return False
    if db.session().in_transaction():  # already reading (a test's shared session): leave it as it is
        return False
    db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return True


def init_app(app: Flask) -> None:
    """Install before any hook that reads the database (the signed-in user's loader)."""

    @app.before_request
    def read_without_a_transaction() -> None:  # a before_request hook that returns a value answers the request
        begin_reads()
