"""`flask reminders run`: overdue reminders by stage, estimate alerts at 80% and
100% of the high estimate, capacity review due on the first working day; each
at most once however often it runs, and delivered once by `flask mail send`."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from tests import factories
from tests.factories import billing_samples
from tests.mail.conftest import send_mail
from tracker.billing import services as billing
from tracker.engagements.models import EngagementMember
from tracker.mail.models import MessageKind, OutboxMessage
from tracker.reminders import services as reminders
from tracker.reports.capacity.models import CapacityReview, ReviewStatus


def _run(runner, today: date) -> str:
    result = runner.invoke(args=["reminders", "run", "--today", today.isoformat()])
    assert result.exit_code == 0, result.output
    return result.output


def _queued(session, kind=None):
    session.expire_all()
    stmt = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        stmt = stmt.where(OutboxMessage.kind == kind)
    return list(session.scalars(stmt))


def test_overdue_reminders_go_once_per_stage_and_stop_when_paid(app, smtp, world, session, runner):
    samples = billing_samples(session, world)
    invoice, other = samples["a"], samples["b"]  # client B has no finance e-mail
    due, number, invoice_id = invoice.due_on, invoice.number, invoice.id
    assert "queued 0 overdue" in _run(runner, due + timedelta(days=6))
    out = _run(runner, due + timedelta(days=7))
    assert "queued 1 overdue" in out and f"Not sent: {other.number}: Client B Council has no finance e-mail" in out
    assert "queued 0 overdue" in _run(runner, due + timedelta(days=7))  # twice: nothing twice
    assert "queued 0 overdue" in _run(runner, due + timedelta(days=20))
    assert "queued 1 overdue" in _run(runner, due + timedelta(days=25))  # the 21-day stage
    assert "queued 0 overdue" in _run(runner, due + timedelta(days=40))
    keys = [m.dedupe_key for m in _queued(session, MessageKind.OVERDUE_REMINDER)]
    assert keys == [f"overdue:{invoice_id}:7", f"overdue:{invoice_id}:21"]

    send_mail(runner)
    send_mail(runner)
    to_client = [r for r in smtp.received if r.rcpt_tos == ["ap@a.example.org"]]
    assert len(to_client) == 2  # (managers also had a capacity review reminder on 1 Feb 2027)
    first, final = (r.message for r in to_client)
    assert first["Subject"].strip() == f"Reminder: invoice {number} from Lead Borough Council is overdue"
    assert "7 days overdue" in first.get_body(("plain",)).get_content()
    assert "Final reminder" in final.get_body(("plain",)).get_content()


def test_no_reminder_once_paid_or_credited(app, world, session):
    samples = billing_samples(session, world)
    invoice = samples["a"]
    billing.record_payment(session, factories.ACTOR, invoice, str(invoice.gross), factories.TODAY, "BACS", factories.TODAY)
    world.client_b.finance_email = "ap@b.example.org"
    session.commit()
    billing.credit_invoice(session, factories.ACTOR, samples["b"], "Not ours", factories.TODAY)
    summary = reminders.run(session, invoice.due_on + timedelta(days=30), [7, 21])
    assert summary.overdue == 0 and _queued(session, MessageKind.OVERDUE_REMINDER) == []


def test_stages_are_settable(app, world, session, runner, monkeypatch):
    invoice = billing_samples(session, world)["a"]
    monkeypatch.setitem(app.config, "REMINDER_STAGES", "3, 10")
    assert "queued 1 overdue" in _run(runner, invoice.due_on + timedelta(days=3))
    monkeypatch.setitem(app.config, "REMINDER_STAGES", "soon")
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code != 0 and "e.g. 7,21" in result.output


def _book(session, world, first: date, count: int, state="planned"):
    for on in factories.weekdays(first, count):
        factories.day(session, world.engagement_a, world.staff["s1"], on, "1", "scoping", state=state)


def test_estimate_alerts_at_80_and_100_percent_once_each(app, world, session, runner):
    # Engagement A: high estimate 30 days; it has no manager of its own, so every manager hears.
    _book(session, world, date(2026, 12, 1), 24)
    assert "0 estimate alert" in _run(runner, factories.TODAY)  # 24 of 30 = 80%: not past it
    _book(session, world, date(2027, 1, 15), 1)
    assert "1 estimate alert" in _run(runner, factories.TODAY)
    assert "0 estimate alert" in _run(runner, factories.TODAY)
    _book(session, world, date(2027, 2, 15), 6)  # 31 days
    assert "1 estimate alert" in _run(runner, factories.TODAY)
    assert "0 estimate alert" in _run(runner, factories.TODAY)
    alerts = _queued(session, MessageKind.ESTIMATE_ALERT)
    assert [(m.to_address, m.subject) for m in alerts] == [
        ("manager@lead.example.org", "A support package: days have passed 80% of the high estimate"),
        ("manager@lead.example.org", "A support package: days have passed 100% of the high estimate"),
    ]
    assert "31.00" in alerts[1].body_text or "31" in alerts[1].body_text


def test_estimate_alerts_go_to_the_engagements_own_managers_who_want_them(app, world, session):
    lead_manager_staff = factories.staff_member(session, "Pat Lead")
    own = factories.user(session, "pat@lead.example.org", "manager", staff_id=lead_manager_staff.id)
    session.add(EngagementMember(engagement_id=world.engagement_a.id, staff_id=lead_manager_staff.id))
    session.commit()
    _book(session, world, date(2026, 12, 1), 25)
    reminders.run(session, factories.TODAY, [7, 21])
    assert [m.to_address for m in _queued(session, MessageKind.ESTIMATE_ALERT)] == ["pat@lead.example.org"]

    # Pat turns alerts off: the 100% alert goes to nobody (not to other managers either).
    own.mail_alerts = False
    session.commit()
    _book(session, world, date(2027, 2, 15), 6)
    assert reminders.run(session, factories.TODAY, [7, 21]).estimate == 0


def test_capacity_review_due_on_the_first_working_day_until_signed(app, world, session, runner, login_as):
    assert reminders.first_working_day(2026, 12) == date(2026, 12, 1)
    assert reminders.first_working_day(2026, 11) == date(2026, 11, 2)  # 1 Nov 2026 is a Sunday
    assert "1 capacity review" in _run(runner, date(2026, 12, 1))
    assert "0 capacity review" in _run(runner, date(2026, 12, 1))
    assert "0 capacity review" in _run(runner, date(2026, 12, 2))
    [message] = _queued(session, MessageKind.CAPACITY_REVIEW_DUE)
    assert message.to_address == "manager@lead.example.org"
    assert message.subject == "The capacity review for November 2026 is due"

    # A manager who turned alerts off (on the preferences page) is not told; a signed review stops it.
    page = login_as("manager").post("/account/mail", data={}, follow_redirects=True)
    assert "Alerts and reminders are off." in page.text
    assert "0 capacity review" in _run(runner, date(2027, 1, 1))
    session.add(CapacityReview(month=date(2027, 1, 1), reviewed_on=date(2027, 1, 29), status=ReviewStatus.SIGNED))
    session.commit()
    login_as("manager").post("/account/mail", data={"mail_alerts": "y"})
    assert "0 capacity review" in _run(runner, date(2027, 2, 1))
    assert "1 capacity review" in _run(runner, date(2027, 3, 1))
