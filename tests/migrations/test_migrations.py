"""Migrations build an empty database, match the models, and go down and up."""

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests import factories
from tests.conftest import make_config
from tracker import create_app
from tracker.extensions import db
from tracker.plans import services as plans
from tracker.plans.models import Milestone, MilestoneEvidence


@pytest.fixture
def empty_database(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        name = f"tracker_migrate_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        url = database_url.rsplit("/", 1)[0] + "/" + name
        yield url
        admin_engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
        admin_engine.dispose()
    else:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"


def test_upgrade_builds_an_empty_database_that_matches_the_models(empty_database):
    app = create_app(make_config(empty_database))
    with app.app_context():
        upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        runner = app.test_cli_runner()
        result = runner.invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output

        # ...and the same check does fail when the models drift from the migrations.
        probe = sa.Table("drift_probe", db.metadata, sa.Column("id", sa.Integer, primary_key=True))
        try:
            assert runner.invoke(args=["db", "check"]).exit_code != 0
        finally:
            db.metadata.remove(probe)
        db.engine.dispose()


def test_downgrade_to_base_and_up_again(empty_database):
    app = create_app(make_config(empty_database))
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert "engagements" in sa.inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_every_migration_script_has_a_readable_docstring():
    folder = Path(__file__).parents[2] / "migrations" / "versions"
    scripts = sorted(folder.glob("*.py"))
    assert scripts
    for path in scripts:
        first = path.read_text().split('"""')[1].strip()
        assert len(first) > 20, path.name


def test_0012_keeps_existing_evidence_as_each_milestones_first_history_entry(empty_database):
    """Going down past 0012 and up again rebuilds the history from the milestones'
    evidence: one entry for each milestone that had evidence."""
    app = create_app(make_config(empty_database))
    with app.app_context():
        upgrade()
        world = factories.build_world(db.session)
        g = factories.goal(db.session, world.engagement_a)
        noted = factories.milestone(db.session, g, title="Noted")
        factories.milestone(db.session, g, title="Silent")
        plans.update_milestone(db.session, world.users["manager"], noted, {"evidence": "Board minute 12"},
                               factories.TODAY)
        db.session.remove()
        downgrade(revision="0012-1")
        upgrade()
        rows = db.session.execute(sa.select(Milestone.title, MilestoneEvidence.text, MilestoneEvidence.status)
                                  .join(MilestoneEvidence, MilestoneEvidence.milestone_id == Milestone.id)).all()
        assert [(t, text, status.value) for t, text, status in rows] == [("Noted", "Board minute 12", "not_started")]
        db.session.remove()
        db.engine.dispose()
