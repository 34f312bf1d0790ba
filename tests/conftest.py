"""Fixtures: one app and database per run (SQLite file, or TEST_DATABASE_URL
for PostgreSQL), built by the real migrations; every test starts from empty
tables holding only the reference data the migrations seed; clients signed in
per role; API tokens per role."""

from __future__ import annotations

import os
import tempfile

# The instance folder (secret key, demo login file) must not be the developer's.
os.environ["TRACKER_INSTANCE_DIR"] = tempfile.mkdtemp(prefix="tracker-test-instance-")

import pytest
import sqlalchemy as sa
from flask import g
from flask_migrate import upgrade

from config import TestingConfig
from tests import factories
from tracker import create_app, results_cache
from tracker.auth.models import UserSession
from tracker.auth.signin import session_key_digest
from tracker.database import sqlite_write_intent, utcnow
from tracker.extensions import db as _db


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker-test.sqlite3'}"


def make_config(url: str) -> TestingConfig:
    from tests.factories import TODAY

    class Config(TestingConfig):
        TRACKER_TODAY = TODAY  # every test sees Monday 23 November 2026, whatever day it runs

        def database_url(self) -> str:
            return url

    return Config()


def reset_database(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    else:
        sa.MetaData().drop_all(engine)  # a fresh temp file is already empty


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(make_config(database_url))

    @app.teardown_request
    def _forget_request_globals(_exc):
        # Tests keep one app context open, which requests then share; clear `g`
        # so nothing (e.g. Flask-Login's cached user) leaks between requests.
        for name in list(vars(g)):
            delattr(g, name)

    with app.app_context():
        reset_database(_db.engine)
        upgrade()
    return app


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


def clean_tables() -> None:
    """Empty every table the app owns (keeps the migrated schema)."""
    tables = list(reversed(_db.metadata.sorted_tables))
    engine = _db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            for table in tables:
                conn.execute(table.delete())


def restore_reference_data() -> None:
    """Put back what the migrations seed (the SAP framework), as after `flask db upgrade`."""
    from tracker.assessments.framework import ensure_framework

    ensure_framework(_db.session)
    _db.session.remove()


@pytest.fixture(autouse=True)
def _fresh_database(app):
    # The test thread opens plain (deferred) transactions on SQLite: it must not
    # hold the write lock while a browser test's server thread writes.
    token = sqlite_write_intent.set(False)
    with app.app_context():
        app.config["WTF_CSRF_ENABLED"] = False
        yield
        _db.session.remove()
        clean_tables()
        restore_reference_data()
    sqlite_write_intent.reset(token)


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def session(app):
    return _db.session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def world(app):
    """A small fixed world: a lead, clients A and B, two staff, a user per role."""
    return factories.build_world(_db.session)


@pytest.fixture
def capacity_world(session, world):
    return factories.add_capacity_days(session, world)


def login(client, user):
    """Sign the test client in as the user: a session record and its key in the cookie."""
    key = f"test-{user.id}-{os.urandom(8).hex()}"
    _db.session.add(UserSession(user_id=user.id, key_hash=session_key_digest(key), method="test", created_at=utcnow(),
                                last_seen_at=utcnow()))
    _db.session.commit()
    with client.session_transaction() as sess:
        sess["_user_id"] = user.get_id()
        sess["_fresh"] = True
        sess["sid"] = key
    return client


@pytest.fixture
def login_as(app, world):
    """login_as("manager") → a test client signed in as that world user."""

    def make(role_key: str):
        return login(app.test_client(), world.users[role_key])

    return make


@pytest.fixture
def api_as(app, world):
    """api_as("finance") → a client whose requests carry that user's bearer token."""
    from tracker.auth.services import issue_token
    from tracker.database import utcnow

    class ApiClient:
        def __init__(self, token: str | None):
            self.client = app.test_client()
            self.token = token

        def _headers(self, kw):
            headers = dict(kw.pop("headers", {}) or {})
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            return headers

        def open(self, method, url, **kw):
            return self.client.open(url, method=method, headers=self._headers(kw), **kw)

        def get(self, url, **kw):
            return self.open("GET", url, **kw)

        def post(self, url, **kw):
            return self.open("POST", url, **kw)

        def patch(self, url, **kw):
            return self.open("PATCH", url, **kw)

        def delete(self, url, **kw):
            return self.open("DELETE", url, **kw)

    def make(role_key: str | None):
        if role_key is None:
            return ApiClient(None)
        plain, _ = issue_token(_db.session, world.users[role_key], utcnow(), app.config["API_TOKEN_LIFETIME"])
        return ApiClient(plain)

    return make


@pytest.fixture
def caching(app):
    """The per-worker caches on (tests run with them off): kept pages, reports and figures."""

    app.config["REPORT_CACHE_SECONDS"] = 60
    results_cache.clear()
    yield
    app.config["REPORT_CACHE_SECONDS"] = 0
    results_cache.clear()
