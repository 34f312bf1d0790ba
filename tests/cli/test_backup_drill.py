"""The backup drill: load the demo world, back up, destroy, restore, and check
that every rule holds with identical figures."""

import sqlalchemy as sa

from tests.conftest import clean_tables
from tracker.audit.models import AuditLog
from tracker.database import dsum
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement


def _fingerprint(session):
    session.expire_all()
    return {
        "days": session.scalar(sa.select(dsum(SupportDay.days))),
        "day_rows": session.scalar(sa.select(sa.func.count()).select_from(SupportDay)),
        "audit_rows": session.scalar(sa.select(sa.func.count()).select_from(AuditLog)),
        "engagements": sorted(session.execute(sa.select(Engagement.id, Engagement.title, Engagement.day_rate)).all()),
    }


def test_backup_destroy_restore_check(runner, session, tmp_path):
    assert runner.invoke(args=["demo", "load", "--today", "2026-11-23", "--password", "demo passphrase 1"]).exit_code == 0
    before = _fingerprint(session)
    assert before["day_rows"] > 30

    path = tmp_path / "tracker.backup"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 10_000

    session.remove()
    clean_tables()  # destroy
    assert _fingerprint(session)["day_rows"] == 0

    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output

    assert _fingerprint(session) == before
    checked = runner.invoke(args=["check"])
    assert checked.exit_code == 0, checked.output
    assert "checks passed" in checked.output


def test_check_fails_when_a_rule_is_broken(runner, session, world):
    # Two bookings that together exceed one day, written behind the services' back.
    from datetime import date

    from tests.factories import day

    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "0.75")
    session.execute(sa.insert(SupportDay).values(
        engagement_id=world.engagement_b.id, staff_id=world.staff["s1"].id, worked_on=date(2026, 11, 2),
        activity="scoping", days=0.5, billable=True, state="delivered", notes=""))
    session.commit()
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "FAIL  one day per person per date" in result.output and "1.25" in result.output


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(runner, session, world, tmp_path):
    before = _fingerprint(session)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database at all" * 100)
    session.remove()
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert ("not a" in result.output and "backup" in result.output) or "sound SQLite" in result.output
    assert _fingerprint(session) == before
