"""Real concurrent transactions on PostgreSQL: each racer has its own thread,
app context, session and connection, and a barrier holds them inside their
transactions until all are there, so they truly overlap."""

from __future__ import annotations

import re
import threading
import time
from datetime import date

import sqlalchemy as sa

from tests.factories import TODAY, day, draft, issued, remittance, weekdays
from tests.postgres.conftest import meet_before, race
from tracker.access import SystemActor
from tracker.audit import services as audit_services
from tracker.billing import services as billing
from tracker.billing.guards import translate_database_error
from tracker.billing.models import Invoice, InvoiceDayClaim, InvoiceKind, InvoiceStatus, NumberSeries
from tracker.days import services as days_services
from tracker.days.models import SupportDay
from tracker.errors import Conflict, Locked
from tracker.extensions import db
from tracker.ops.checks import run_checks


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_two_drafts_for_the_same_days_one_wins_the_other_gets_409(app, session, world):
    for worked_on in weekdays(date(2026, 9, 1), 5):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
    client_id = world.client_a.id

    def make_draft():
        return billing.build_invoice(db.session, SystemActor("racer"), client_id, TODAY, TODAY).id

    with meet_before(r"FROM staff_members .* FOR UPDATE", parties=2):
        results = race(app, make_draft, make_draft)
    wins = [value for outcome, value in results if outcome == "ok"]
    losses = [value for outcome, value in results if outcome == "error"]
    assert len(wins) == 1 and len(losses) == 1, results
    assert isinstance(losses[0], Conflict) and losses[0].status == 409
    assert losses[0].code in {"double_claim", "nothing_billable"}
    session.expire_all()
    assert _count(Invoice) == 1 and _count(InvoiceDayClaim, InvoiceDayClaim.invoice_id == wins[0]) == 5


def test_two_drafts_race_through_the_api_one_201_one_409(app, session, world, api_as):
    for worked_on in weekdays(date(2026, 9, 1), 3):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
    finance, manager = api_as("finance"), api_as("manager")
    body = {"client_id": world.client_a.id, "up_to": TODAY.isoformat()}

    with meet_before(r"FROM staff_members .* FOR UPDATE", parties=2):
        results = race(app, lambda: finance.post("/api/v1/invoices", json=body),
                       lambda: manager.post("/api/v1/invoices", json=body))
    statuses = sorted(response.status_code for _, response in results)
    assert statuses == [201, 409], [(r.status_code, r.json) for _, r in results]
    loser = next(response for _, response in results if response.status_code == 409)
    assert loser.json["error"]["code"] in {"double_claim", "nothing_billable"}
    session.expire_all()
    assert _count(Invoice) == 1 and _count(InvoiceDayClaim) == 3


def test_concurrent_issues_get_consecutive_numbers_without_gaps(app, session, world):
    remittance(session)
    racers = 6
    ids = []
    for worked_on in weekdays(date(2026, 9, 1), racers):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
        ids.append(draft(session, world.client_a, up_to=worked_on).id)

    def issue(invoice_id):
        return lambda: billing.issue_invoice(db.session, SystemActor("racer"), db.session.get(Invoice, invoice_id), TODAY).number

    with meet_before(r"INSERT INTO number_series", parties=racers):
        results = race(app, *(issue(i) for i in ids))
    assert all(outcome == "ok" for outcome, _ in results), results
    numbers = sorted(value for _, value in results)
    assert numbers == [f"INV-2026-{n:04d}" for n in range(1, racers + 1)]
    session.expire_all()
    assert session.scalar(sa.select(NumberSeries.next_value)) == racers + 1


def test_an_issue_that_fails_mid_race_leaves_no_gap(app, session, world, monkeypatch):
    remittance(session)
    ids = []
    for worked_on in weekdays(date(2026, 9, 1), 4):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
        ids.append(draft(session, world.client_a, up_to=worked_on).id)
    real_record = audit_services.record

    def record(session_, actor, action, *args, **kwargs):
        if action == "issue" and threading.current_thread().name == "racer-1":
            raise RuntimeError("the audit disk is full")  # after racer-1 took a number
        return real_record(session_, actor, action, *args, **kwargs)

    monkeypatch.setattr(audit_services, "record", record)

    def issue(invoice_id):
        return lambda: billing.issue_invoice(db.session, SystemActor("racer"), db.session.get(Invoice, invoice_id), TODAY).number

    with meet_before(r"INSERT INTO number_series", parties=4):
        results = race(app, *(issue(i) for i in ids))
    assert [outcome for outcome, _ in results] == ["ok", "error", "ok", "ok"]
    assert sorted(value for outcome, value in results if outcome == "ok") == ["INV-2026-0001", "INV-2026-0002",
                                                                            "INV-2026-0003"]
    session.expire_all()
    assert session.get(Invoice, ids[1]).status == InvoiceStatus.DRAFT and session.get(Invoice, ids[1]).number is None


def test_two_credits_of_one_invoice_at_once_release_its_days_once(app, session, world):
    for worked_on in weekdays(date(2026, 9, 1), 3):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
    invoice_id = issued(session, world.client_a).id

    def credit():
        return billing.credit_invoice(db.session, SystemActor("racer"), db.session.get(Invoice, invoice_id), "Race", TODAY).number

    with meet_before(r"FROM invoices .* FOR UPDATE", parties=2):
        results = race(app, credit, credit)
    outcomes = sorted(outcome for outcome, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for outcome, value in results if outcome == "error")
    assert error.status == 409 and error.code == "already_credited"
    session.expire_all()
    assert _count(Invoice, Invoice.kind == InvoiceKind.CREDIT_NOTE) == 1 and _count(InvoiceDayClaim) == 0
    assert draft(session, world.client_a).total_days == 3  # invoiceable again, once
    assert _count(InvoiceDayClaim) == 3


def test_two_payments_of_the_whole_balance_at_once_take_it_once(app, session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = issued(session, world.client_a)
    invoice_id, balance = invoice.id, invoice.balance

    def pay():
        invoice_ = db.session.get(Invoice, invoice_id)
        return str(billing.record_payment(db.session, SystemActor("racer"), invoice_, balance, TODAY, "race", TODAY).amount)

    with meet_before(r"FROM invoices .* FOR UPDATE", parties=2):
        results = race(app, pay, pay)
    assert sorted(outcome for outcome, _ in results) == ["error", "ok"], results
    error = next(value for outcome, value in results if outcome == "error")
    assert error.status == 409 and error.code == "not_payable"
    session.expire_all()
    fresh = session.get(Invoice, invoice_id)
    assert fresh.paid == balance and fresh.status == InvoiceStatus.PAID


def test_a_day_changed_while_a_draft_prices_it_is_refused_by_the_database(app, session, world):
    """The draft locks the day; the edit passes the service's lock check (the
    claim is not committed yet) and queues; the draft commits; the edit is then
    refused at its flush (ORM guard; the trigger would refuse it next). Without
    that the invoice would charge a day that no longer says what was charged."""
    target = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    target_id, client_id = target.id, world.client_a.id
    day_locked, edit_ready = threading.Event(), threading.Event()

    def after(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread().name == "racer-0" and re.search(r"FROM support_days .* FOR UPDATE", statement, re.S):
            day_locked.set()

    def before(conn, cursor, statement, parameters, context, executemany):
        name = threading.current_thread().name
        # The edit has passed its lock check and now takes the staff member's
        # booking lock (which queues behind the draft's lines, whose foreign key
        # holds that row): from here only the database can stop it.
        if name == "racer-1" and re.match(r"\s*SELECT staff_members.id .* FOR UPDATE", statement, re.S):
            edit_ready.set()
        if name == "racer-0" and statement.lstrip().startswith("INSERT INTO invoice_day_claims"):
            assert edit_ready.wait(15), "the edit never got past its lock check"
            time.sleep(0.2)  # let the edit's statement reach the server and queue

    def make_draft():
        return billing.build_invoice(db.session, SystemActor("racer"), client_id, TODAY, TODAY).id

    def edit_day():
        assert day_locked.wait(15), "the draft never locked the day"
        day_ = db.session.get(SupportDay, target_id)
        days_services.update_support_day(db.session, SystemActor("racer"), day_, days_services.input_from(day_, days="0.5"), TODAY)

    sa.event.listen(db.engine, "after_cursor_execute", after)
    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        results = race(app, make_draft, edit_day)
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", after)
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert results[0][0] == "ok", results
    assert results[1][0] == "error", results
    refusal = results[1][1]
    locked = refusal if isinstance(refusal, Locked) else translate_database_error(refusal)
    assert locked is not None and locked.status == 409 and f"draft invoice {results[0][1]}" in locked.message, refusal
    session.expire_all()
    invoice = session.get(Invoice, results[0][1])
    assert session.get(SupportDay, target_id).days == invoice.lines[0].days == 1


def test_a_raw_sql_edit_racing_a_draft_is_refused_by_the_trigger(app, session, world):
    """Code that bypasses the services and the ORM: its UPDATE waits for the
    draft's row lock, and the trigger refuses it once the claim is committed."""
    target = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    target_id, client_id = target.id, world.client_a.id
    day_locked = threading.Event()

    def after(conn, cursor, statement, parameters, context, executemany):
        if threading.current_thread().name == "racer-0" and re.search(r"FROM support_days .* FOR UPDATE", statement, re.S):
            day_locked.set()
            time.sleep(0.3)  # hold the lock while the raw UPDATE arrives and queues

    def make_draft():
        return billing.build_invoice(db.session, SystemActor("racer"), client_id, TODAY, TODAY).id

    def raw_edit():
        assert day_locked.wait(15), "the draft never locked the day"
        db.session.execute(sa.text("UPDATE support_days SET days = 0.5 WHERE id = :id"), {"id": target_id})
        db.session.commit()

    sa.event.listen(db.engine, "after_cursor_execute", after)
    try:
        results = race(app, make_draft, raw_edit)
    finally:
        sa.event.remove(db.engine, "after_cursor_execute", after)
    assert results[0][0] == "ok" and results[1][0] == "error", results
    locked = translate_database_error(results[1][1])
    assert locked is not None and locked.status == 409 and "on an invoice" in locked.message, results[1][1]
    session.expire_all()
    assert session.get(SupportDay, target_id).days == 1


def test_drafts_for_different_clients_do_not_block_each_other(app, session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 1), "1")
    a, b = world.client_a.id, world.client_b.id

    with meet_before(r"FROM staff_members .* FOR UPDATE", parties=2):
        results = race(app, lambda: billing.build_invoice(db.session, SystemActor("racer"), a, TODAY, TODAY).net,
                       lambda: billing.build_invoice(db.session, SystemActor("racer"), b, TODAY, TODAY).net)
    assert [outcome for outcome, _ in results] == ["ok", "ok"], results


def test_issue_or_delete_racing_a_delete_of_the_same_draft_is_404_never_500(app, session, world, api_as):
    """Found by bench/load_without_loss.py: the loser's row lock found the draft gone and
    the reload raised (500). Each pair waits at the lock together; the first deletes."""
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1")
    remittance(session)
    finance, manager = api_as("finance"), api_as("manager")

    def pair(invoice_id, second):
        path = f"/api/v1/invoices/{invoice_id}"
        jobs = (lambda: finance.delete(path),
                (lambda: manager.delete(path)) if second == "delete" else (lambda: manager.post(path + "/issue")))
        with meet_before(r"FROM invoices .* FOR UPDATE", parties=2):
            results = race(app, *jobs)
        assert all(outcome == "ok" for outcome, _ in results), results
        return sorted(response.status_code for _, response in results), [r.get_json() for _, r in results]

    for second in ("delete", "issue"):
        invoice_id = draft(session, world.client_a).id
        session.remove()
        statuses, bodies = pair(invoice_id, second)
        assert statuses in ([204, 404], [200, 409]), (statuses, bodies)
        session.expire_all()
        if statuses == [200, 409]:  # the issue won the lock: nothing left to race for
            break
        assert _count(Invoice, Invoice.id == invoice_id) == 0
    assert not [r for r in run_checks(session) if not r.ok]
