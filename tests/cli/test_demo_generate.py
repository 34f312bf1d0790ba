"""`flask demo generate` makes a small synthetic world on which every rule of
`flask check` holds: invoices, credit notes, payments, assessments and plans
included (on SQLite and, with TEST_DATABASE_URL, on PostgreSQL's triggers)."""

import sqlalchemy as sa

from tracker.assessments.models import Assessment, Score
from tracker.billing.models import Invoice, InvoiceDayClaim, InvoiceKind, InvoiceLine, InvoiceLineDay, InvoiceStatus, NumberSeries, Payment
from tracker.days.models import DayState, SupportDay
from tracker.ops.checks import run_checks
from tracker.plans.models import Goal, Milestone

ARGS = ["demo", "generate", "--days", "5000", "--authorities", "10", "--staff", "40", "--engagements", "30",
        "--today", "2026-11-23"]


def count(session, what, *where):
    return session.scalar(sa.select(sa.func.count()).select_from(what).where(*where))


def test_generate_makes_a_world_that_passes_every_check(runner, session):
    result = runner.invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "5,000 support days" in result.output

    problems = {r.name: r.problems for r in run_checks(session) if r.problems}
    assert problems == {}

    invoices = count(session, Invoice, Invoice.kind == InvoiceKind.INVOICE)
    notes = count(session, Invoice, Invoice.kind == InvoiceKind.CREDIT_NOTE)
    assert invoices > 50 and notes >= 1
    assert f"{invoices:,} invoices" in result.output
    statuses = set(session.scalars(sa.select(Invoice.status).distinct()))
    assert {InvoiceStatus.PAID, InvoiceStatus.ISSUED, InvoiceStatus.CREDITED} <= statuses
    assert count(session, Payment) > 0
    assert count(session, Assessment) > 0 and count(session, Score) > 0
    assert count(session, Goal) > 0 and count(session, Milestone) > 0

    if session.get_bind().dialect.name == "postgresql":  # analysed, so the planner knows the new rows
        unanalysed = session.scalars(sa.text(
            "SELECT relname FROM pg_stat_user_tables WHERE n_live_tup > 0 AND last_analyze IS NULL")).all()
        assert unanalysed == []
    # Every invoiced day has exactly one live claim, and the claims are exactly the invoiced days.
    assert count(session, SupportDay, SupportDay.state == DayState.INVOICED) == count(session, InvoiceDayClaim) > 0
    # Credit-note lines mirror the lines they credit; their days are released (no claim).
    credited = session.execute(
        sa.select(InvoiceLine.credits_line_id, InvoiceLine.gross).where(InvoiceLine.credits_line_id.is_not(None))
    ).all()
    assert credited
    for line_id, gross in credited:
        assert session.get(InvoiceLine, line_id).gross == -gross
        days = session.scalars(sa.select(InvoiceLineDay.support_day_id).where(InvoiceLineDay.line_id == line_id)).all()
        assert not count(session, InvoiceDayClaim, InvoiceDayClaim.line_id == line_id)
        assert days
    # The series counters agree with the numbers issued.
    for key, next_value in session.execute(sa.select(NumberSeries.key, NumberSeries.next_value)):
        kind, prefix, year = key.split(":")
        issued = count(session, Invoice, Invoice.kind == kind, Invoice.number.like(f"{prefix}-{year}-%"))
        assert next_value == issued + 1


def test_generate_is_repeatable_with_the_same_seed(tmp_path):
    from datetime import date

    from tracker.database import Base
    from tracker.demo import synthetic

    def world(name):
        engine = sa.create_engine(f"sqlite:///{tmp_path / name}")
        Base.metadata.create_all(engine)
        plan = synthetic.Plan(days=3000, authorities=8, staff=30, engagements=20, today=date(2026, 11, 23))
        synthetic.generate(engine, plan, lambda stage, n: None)
        with engine.connect() as conn:
            return conn.execute(sa.select(Invoice.number, Invoice.gross, Invoice.status).order_by(Invoice.number)).all()

    first = world("one.sqlite3")
    assert first
    assert world("two.sqlite3") == first
