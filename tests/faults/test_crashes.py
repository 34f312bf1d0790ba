"""Faults: a worker killed mid-import leaves nothing half-saved; the app
recovers when its database connections die or the server restarts."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tracker.days.models import SupportDay
from tracker.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def _flask(args, database_url, instance, env_extra=None):
    env = os.environ | {"FLASK_APP": "app.py", "DATABASE_URL": database_url, "TRACKER_ENV": "development",
                        "TRACKER_INSTANCE_DIR": str(instance), "SECRET_KEY": "x" * 40} | (env_extra or {})
    env.pop("TEST_DATABASE_URL", None)
    return subprocess.Popen([sys.executable, "-m", "flask", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(process, text, timeout=60):
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen += line
        if text in line:
            return seen
        if process.poll() is not None and not line:
            break
    raise AssertionError(f"never saw {text!r}; stderr was:\n{seen}")


def _count(session):
    session.rollback()
    return session.scalar(sa.select(sa.func.count()).select_from(SupportDay))


def test_killing_an_import_midway_saves_nothing(database_url, session, world, tmp_path):
    lines = ["engagement_id,staff_email,worked_on,activity,days,billable,notes"]
    lines += [f"{world.engagement_a.id},sam.one@lead.example.org,2026-{m:02d}-{d:02d},scoping,1,," for m in (6, 7, 8, 9, 10)
              for d in range(1, 29)]
    path = tmp_path / "days.csv"
    path.write_text("\n".join(lines) + "\n")
    before = _count(session)
    session.remove()  # no lock held by the test while the worker writes

    worker = _flask(["days", "import", str(path)], database_url, tmp_path,
                    {"TRACKER_FAULT_PAUSE": "import.before_commit"})
    try:
        _wait_for(worker, "fault point import.before_commit reached")
        # The rows are inserted, the transaction is open: kill the worker dead.
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == -signal.SIGKILL
    assert _count(session) == before  # nothing half-saved

    # ...and the same import, allowed to finish, saves every row.
    finished = _flask(["days", "import", str(path)], database_url, tmp_path)
    out, err = finished.communicate(timeout=60)
    assert finished.returncode == 0, err
    assert "Imported 140 days" in out
    assert _count(session) == before + 140


def test_the_app_recovers_when_its_connections_die(app, api_as, world):
    api = api_as("manager")
    assert api.get("/api/v1/engagements").status_code == 200
    # Kill the connections under the pool (as a database restart or a firewall would).
    pool = db.engine.pool
    with db.engine.connect() as conn:
        conn.connection.dbapi_connection.close()
    db.session.remove()
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True
    assert api.get("/api/v1/engagements").status_code == 200
    assert pool is db.engine.pool


def test_the_app_recovers_after_the_database_server_restarts(app, api_as, world, is_postgres, database_url):
    """On the test PostgreSQL server (scripts/with-postgres.sh exports PGDATA and PGBIN) a real restart;
    on SQLite, reopening the database file after every connection was dropped."""
    api = api_as("manager")
    assert api.get("/api/v1/engagements").status_code == 200
    db.session.remove()
    if is_postgres and os.environ.get("PGDATA") and os.environ.get("PGBIN"):
        as_pg = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        # The restarted server must not inherit our pipes: its output goes to its log.
        subprocess.run([*as_pg, f"{os.environ['PGBIN']}/pg_ctl", "-D", os.environ["PGDATA"], "-m", "fast", "-w",
                        "-l", f"{os.environ['PGDATA']}/server.log", "restart"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    else:
        db.engine.pool.dispose()  # every pooled connection closed, as on a server restart
    response = api.get("/api/v1/engagements")
    assert response.status_code == 200 and response.json["total"] == 2


def test_killing_an_invoice_issue_before_commit_consumes_no_number(database_url, session, world, tmp_path):
    """SIGKILL while issuing, after the number is taken and the rows updated but before COMMIT:
    the invoice stays a draft, its days stay delivered, the number is not used up."""
    from datetime import date

    from tests.factories import day, draft, remittance
    from tracker.billing.models import Invoice, InvoiceStatus, NumberSeries
    from tracker.days.models import DayState
    from tracker.ops.checks import run_checks

    days = [day(session, world.engagement_a, world.staff["s1"], date(2026, 10, d), "1", "scoping") for d in (5, 6)]
    remittance(session)
    invoice_id = draft(session, world.client_a).id
    day_ids = [d.id for d in days]
    session.remove()  # no lock held by the test while the worker writes

    args = ["invoices", "issue", str(invoice_id), "--on", "2026-11-23", "--as", "finance@lead.example.org"]
    worker = _flask(args, database_url, tmp_path,
                    {"TRACKER_FAULT_PAUSE": "invoice.issue.before_commit", "TRACKER_FAULT_SECONDS": "20"})
    try:
        _wait_for(worker, "fault point invoice.issue.before_commit reached", timeout=20)
        worker.send_signal(signal.SIGKILL)  # number taken, invoice and days updated, transaction open
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
    assert worker.returncode == -signal.SIGKILL

    session.rollback()
    invoice = session.get(Invoice, invoice_id)
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None and invoice.issued_on is None
    assert session.scalar(sa.select(sa.func.count()).select_from(NumberSeries)) == 0  # no number consumed
    states = set(session.scalars(sa.select(SupportDay.state).where(SupportDay.id.in_(day_ids))))
    assert states == {DayState.DELIVERED}
    assert [r for r in run_checks(session) if not r.ok] == []
    session.remove()

    # The same issue, allowed to finish, takes the first number of the series.
    finished = _flask(args, database_url, tmp_path)
    out, err = finished.communicate(timeout=30)
    assert finished.returncode == 0, err
    assert "Issued INV-2026-0001" in out
    invoice = session.get(Invoice, invoice_id)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.number == "INV-2026-0001"
    assert set(session.scalars(sa.select(SupportDay.state).where(SupportDay.id.in_(day_ids)))) == {DayState.INVOICED}
    assert [r for r in run_checks(session) if not r.ok] == []
