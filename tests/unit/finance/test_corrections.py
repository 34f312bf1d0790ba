"""Write-offs versus re-invoicing, refunds settling a credit balance, aged debt
that equals the sum of document balances, statements; bad input answers a
clear error with nothing changed."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import ACTOR, TODAY, day, draft, issued, seed_days
from tracker.billing import checks, statements
from tracker.billing import services as billing
from tracker.billing.models import Invoice, InvoiceKind, InvoiceStatus, Refund
from tracker.days import services as days_services
from tracker.days.figures import figures_of
from tracker.days.models import DayState, SupportDay
from tracker.errors import Conflict, NotFound, ValidationFailed
from tracker.reports.income.report import income_report

START, END = date(2026, 9, 1), date(2026, 11, 30)


def _line(invoice, activity):
    return next(line for line in invoice.lines if line.activity.value == activity)


def test_write_off_keeps_days_out_of_billing_for_ever_and_shows_them(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    mentoring = _line(invoice, "mentoring")  # 4 days, £2,000 net
    note = billing.credit_invoice(session, ACTOR, invoice, "Goodwill", TODAY, [mentoring.id], write_off=True)
    assert note.lines[0].write_off is True and note.gross == Decimal("-2400.00")
    days_off = session.scalars(sa.select(SupportDay).where(SupportDay.written_off.is_(True))).all()
    assert len(days_off) == 4 and {d.state for d in days_off} == {DayState.INVOICED}
    with pytest.raises(billing.NothingToInvoice):  # never billable again
        draft(session, world.client_a)
    assert billing.uninvoiced(session, TODAY) == []
    with pytest.raises(Conflict):  # and locked: they cannot be deleted or changed
        days_services.delete_support_day(session, ACTOR, days_off[0])
    session.rollback()
    figures = figures_of(session, world.engagement_a)
    assert (figures.days_written_off, figures.income_written_off) == (Decimal("4.00"), Decimal("2000.00"))
    report = income_report(session, START, END, "engagement")
    assert report.totals.written_off == Decimal("2000.00") and report.totals.wip == Decimal("0.00")
    assert report.totals.net_delivered == Decimal("10000.00")
    assert checks.no_day_on_two_live_invoices(session) == []  # written-off days are not "lost" invoiced days


def test_re_invoice_releases_the_days_once(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    mentoring = _line(invoice, "mentoring")
    note = billing.credit_invoice(session, ACTOR, invoice, "Wrong PO", TODAY, [mentoring.id], write_off=False)
    assert note.lines[0].write_off is False
    again = draft(session, world.client_a)
    assert again.net == Decimal("2000.00")
    assert income_report(session, START, END, "month").totals.written_off == Decimal("0.00")


def test_a_refund_settles_a_credit_balance_to_zero(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)  # £12,000 gross
    billing.record_payment(session, ACTOR, invoice, "10000.00", TODAY, "BACS", TODAY)
    billing.credit_invoice(session, ACTOR, invoice, "Scoping not wanted", TODAY, [_line(invoice, "scoping").id])
    assert invoice.balance == Decimal("-4000.00") and invoice.refund_due
    _rows, total = billing.aged_debt(session, TODAY)
    assert total.total == billing.balances_total(session) == Decimal("-4000.00")
    assert total.refund_due == Decimal("-4000.00")

    with pytest.raises(ValidationFailed) as err:  # more than the credit balance
        billing.record_refund(session, ACTOR, invoice, "4000.01", TODAY, "", TODAY)
    assert "amount" in err.value.fields
    assert session.scalar(sa.select(sa.func.count()).select_from(Refund)) == 0 and invoice.refunded == 0

    billing.record_refund(session, ACTOR, invoice, "1500.00", TODAY, "R1", TODAY)
    assert invoice.balance == Decimal("-2500.00")
    billing.record_refund(session, ACTOR, invoice, "2500.00", TODAY, "R2", TODAY)
    assert invoice.balance == Decimal("0.00") and not invoice.refund_due and invoice.status == InvoiceStatus.PAID
    with pytest.raises(billing.NoRefundDue):  # nothing more is due
        billing.record_refund(session, ACTOR, invoice, "1.00", TODAY, "", TODAY)
    assert billing.aged_debt(session, TODAY)[1].total == Decimal("0.00")
    assert checks.refunds_add_up(session) == []
    # Income: refunds are negative receipts.
    assert income_report(session, START, END, "client").totals.net_paid == Decimal("6000.00")
    st = statements.statement(session, world.client_a, TODAY)
    assert [e.kind for e in st.entries] == ["invoice", "credit_note", "payment", "refund", "refund"]
    assert st.balance == Decimal("0.00") and st.entries[2].balance == Decimal("-4000.00")


def test_aged_debt_equals_the_sum_of_document_balances(session, world):
    seed_days(session, world)
    day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 5), "0.5", "mentoring")
    a = issued(session, world.client_a, today=date(2026, 9, 20))  # due 20 Oct: 34 days overdue on TODAY
    b = issued(session, world.client_b)
    billing.record_payment(session, ACTOR, a, "12000.00", date(2026, 10, 1), "", TODAY)
    billing.credit_invoice(session, ACTOR, a, "Mentoring credited", TODAY, [_line(a, "mentoring").id])
    rows, total = billing.aged_debt(session, TODAY)
    by_client = {r.client_id: r for r in rows}
    assert by_client[world.client_a.id].total == a.balance == Decimal("-2400.00")
    assert by_client[world.client_b.id].total == b.balance == Decimal("300.00")
    listed = session.scalars(sa.select(Invoice).where(Invoice.status != InvoiceStatus.DRAFT)).all()
    assert total.total == sum((i.balance for i in listed), Decimal("0")) == billing.balances_total(session)
    assert total.buckets["current"] == Decimal("-2100.00")


def test_bad_corrections_change_nothing(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    line = _line(invoice, "mentoring")
    billing.credit_invoice(session, ACTOR, invoice, "Once", TODAY, [line.id])
    count = session.scalar(sa.select(sa.func.count()).select_from(Invoice))
    with pytest.raises(billing.AlreadyCredited):  # crediting an already-credited line: 409
        billing.credit_invoice(session, ACTOR, invoice, "Twice", TODAY, [line.id], write_off=True)
    day(session, world.engagement_b, world.staff["s2"], date(2026, 10, 5), "0.5", "mentoring")
    d = draft(session, world.client_b)
    with pytest.raises(billing.NotCreditable):  # a write-off on a draft: 409
        billing.credit_invoice(session, ACTOR, d, "Write off", TODAY, write_off=True)
    with pytest.raises(billing.NoRefundDue):  # a refund on an invoice with no credit balance: 409
        billing.record_refund(session, ACTOR, invoice, "10.00", TODAY, "", TODAY)
    assert session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == count + 1  # only the draft
    assert session.scalar(sa.select(sa.func.count()).select_from(SupportDay).where(SupportDay.written_off)) == 0
    with pytest.raises(NotFound):  # a statement of another authority for a client user
        statements.get_client(session, world.users["client"], world.client_b.id)
    with pytest.raises(NotFound):
        statements.get_client(session, world.users["finance"], world.lead.id)
    assert statements.get_client(session, world.users["client"], world.client_a.id) == world.client_a
    assert invoice.kind == InvoiceKind.INVOICE
