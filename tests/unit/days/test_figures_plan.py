"""An engagement's figures (the engagement page, the progress report) are summed from
the (engagement, state, date …) covering index alone: no day's table row is read
(migration 0015), and no day looks up its invoice claim. Checked on SQLite's plan; PostgreSQL's index-only scans depend on
its visibility map, which a test database's fresh rows do not have."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tracker.days import figures
from tracker.extensions import db

INDEX = "ix_support_days_engagement_id_state_worked_on_covering"


@pytest.mark.parametrize("by_activity", [False, True])
def test_the_day_sums_and_their_pricing_read_the_covering_index(session, world, is_postgres, by_activity):
    if is_postgres:
        pytest.skip("SQLite's query plan")
    engagement_id = world.engagement_a.id
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", keep)
    try:
        figures.day_sums(session, [engagement_id], by_activity=by_activity)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    day_sums, priced = [s for s in statements if s[0].lstrip().startswith("SELECT")]
    for statement, parameters in (day_sums, priced):
        raw = session.connection().connection.dbapi_connection
        plan = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + statement, parameters)]
        # The day sums; then the pricing's whole-penny days (its days of other rates, later in the
        # plan, are read by pricing line, which needs the day's staff member: not in the index).
        first_read = next(step for step in plan if "support_days" in step)
        assert f"COVERING INDEX {INDEX}" in first_read, plan
    # The figures show no work in progress: no day looks up its invoice claim one by one
    # (asked for WIP, the rule's whole-penny sums do: a correlated subquery per day).
    assert not [step for step in plan if "CORRELATED" in step], plan
