"""Settings every PostgreSQL connection of the app starts with (tracker/database.py)."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db


def test_queries_are_not_jit_compiled(app):
    # On by default in PostgreSQL; compiling a national year's income cost more than running it.
    with db.engine.connect() as first, db.engine.connect() as second:
        assert first.execute(sa.text("SHOW jit")).scalar() == "off"
        assert second.execute(sa.text("SHOW jit")).scalar() == "off"
    assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"


def test_the_setting_outlives_a_rolled_back_transaction(app):
    with db.engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        connection.rollback()
        assert connection.execute(sa.text("SHOW jit")).scalar() == "off"
