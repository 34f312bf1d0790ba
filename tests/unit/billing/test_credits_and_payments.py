"""Credit notes release days once; payments settle invoices; aged debt buckets."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, draft, issued, seed_days
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.billing import services as billing
from tracker.billing.models import InvoiceDayClaim, InvoiceKind, InvoiceStatus
from tracker.days import services as days_services
from tracker.days.models import DayState, SupportDay
from tracker.errors import ValidationFailed


def test_a_whole_credit_makes_a_numbered_negative_note_and_frees_the_days_once(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    note = billing.credit_invoice(session, world.users["finance"], invoice, "Wrong purchase order", TODAY)
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.number == "CN-2026-0001" and note.credits_id == invoice.id
    assert (note.net, note.vat, note.gross) == (Decimal("-10000.00"), Decimal("-2000.00"), Decimal("-12000.00"))
    assert [line.days for line in note.lines] == [Decimal("-6.00"), Decimal("-4.00"), Decimal("-10.00")]
    assert [line.credits_line_id for line in note.lines] == [line.id for line in invoice.lines]
    assert note.reason == "Wrong purchase order" and note.customer_name == invoice.customer_name
    assert invoice.status == InvoiceStatus.CREDITED and invoice.balance == Decimal("0.00")
    assert set(session.scalars(sa.select(SupportDay.state))) == {DayState.DELIVERED}
    assert session.scalar(sa.select(sa.func.count()).select_from(InvoiceDayClaim)) == 0

    again = draft(session, world.client_a)  # invoiceable again ...
    assert again.net == Decimal("10000.00")
    with pytest.raises(billing.NothingToInvoice):  # ... once
        draft(session, world.client_a)
    with pytest.raises(billing.AlreadyCredited):
        billing.credit_invoice(session, SystemActor("test"), invoice, "Twice", TODAY)
    assert {r.action for r in session.scalars(sa.select(AuditLog).where(AuditLog.entity == "invoice"))} >= {
        "draft", "issue", "credit"}


def test_a_partial_credit_by_line_frees_only_those_days(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    mentoring = invoice.lines[1]
    note = billing.credit_invoice(session, SystemActor("test"), invoice, "Mentoring was not chargeable", TODAY, [mentoring.id])
    assert note.gross == Decimal("-2400.00") and len(note.lines) == 1
    assert invoice.status == InvoiceStatus.ISSUED and invoice.balance == Decimal("9600.00")
    freed = session.scalars(sa.select(SupportDay).where(SupportDay.state == DayState.DELIVERED)).all()
    assert len(freed) == 4 and {d.activity.value for d in freed} == {"mentoring"}
    with pytest.raises(billing.AlreadyCredited) as err:
        billing.credit_invoice(session, SystemActor("test"), invoice, "Again", TODAY, [mentoring.id])
    assert "Line 2" in err.value.fields["line_ids"]
    with pytest.raises(ValidationFailed):
        billing.credit_invoice(session, SystemActor("test"), invoice, "Not ours", TODAY, [999999])
    with pytest.raises(ValidationFailed) as err:
        billing.credit_invoice(session, SystemActor("test"), invoice, "  ", TODAY)
    assert "reason" in err.value.fields
    rest = billing.credit_invoice(session, SystemActor("test"), invoice, "The rest", TODAY)
    assert rest.number == "CN-2026-0002" and rest.gross == Decimal("-9600.00")
    assert invoice.status == InvoiceStatus.CREDITED


def test_a_credited_day_can_be_corrected_then_invoiced_again(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = issued(session, world.client_a)
    billing.credit_invoice(session, SystemActor("test"), invoice, "Should have been half a day", TODAY)
    days_services.update_support_day(session, SystemActor("test"), d, days_services.input_from(d, days="0.5"), TODAY)
    second = issued(session, world.client_a)
    assert second.net == Decimal("250.00") and second.number == "INV-2026-0002"
    assert invoice.lines[0].day_links[0].days == Decimal("1.00")  # the first invoice's record is unchanged


def test_payments_part_pay_then_pay_and_refuse_overpayment(session, world):
    seed_days(session, world)
    invoice = issued(session, world.client_a)
    finance = world.users["finance"]
    billing.record_payment(session, finance, invoice, "5000", TODAY, "BACS 1", TODAY)
    assert invoice.status == InvoiceStatus.PART_PAID and invoice.balance == Decimal("7000.00")
    with pytest.raises(ValidationFailed) as err:
        billing.record_payment(session, finance, invoice, "7000.01", TODAY, "", TODAY)
    assert "£7,000.00 still owed" in err.value.fields["amount"]
    with pytest.raises(ValidationFailed) as err:
        billing.record_payment(session, finance, invoice, "-1", TODAY + timedelta(days=1), "x" * 61, TODAY)
    assert set(err.value.fields) == {"amount", "paid_on", "reference"}
    with pytest.raises(ValidationFailed) as err:
        billing.record_payment(session, finance, invoice, "10.001", TODAY, "", TODAY)
    assert "pounds and pence" in err.value.fields["amount"]
    billing.record_payment(session, finance, invoice, Decimal("7000.00"), TODAY, "BACS 2", TODAY)
    assert invoice.status == InvoiceStatus.PAID and invoice.paid == Decimal("12000.00") and invoice.balance == 0
    with pytest.raises(billing.NotPayable):
        billing.record_payment(session, finance, invoice, "1", TODAY, "", TODAY)
    rows = session.scalars(sa.select(AuditLog).where(AuditLog.entity == "payment")).all()
    assert [r.after["amount"] for r in rows] == ["5000.00", "7000.00"]


def test_drafts_and_credit_notes_take_no_payment(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 2), "1")
    one = draft(session, world.client_a, up_to=date(2026, 10, 1))
    with pytest.raises(billing.NotPayable):
        billing.record_payment(session, SystemActor("test"), one, "1", TODAY, "", TODAY)
    two = issued(session, world.client_a)
    note = billing.credit_invoice(session, SystemActor("test"), two, "Duplicate", TODAY)
    with pytest.raises(billing.NotPayable):
        billing.record_payment(session, SystemActor("test"), note, "1", TODAY, "", TODAY)
    with pytest.raises(billing.NotCreditable):
        billing.credit_invoice(session, SystemActor("test"), note, "A credit of a credit", TODAY)
    with pytest.raises(billing.NotCreditable):
        billing.credit_invoice(session, SystemActor("test"), one, "A draft", TODAY)


def test_overdue_and_aged_debt_buckets(session, world):
    s1, s2 = world.staff["s1"], world.staff["s2"]
    issue_dates = [TODAY - timedelta(days=n) for n in (10, 45, 75, 100, 140)]  # due 30 days later
    for index, issued_on in enumerate(issue_dates):
        day(session, world.engagement_a, s1, date(2026, 6, 1) + timedelta(days=index), "1")
        issued(session, world.client_a, up_to=issued_on, today=issued_on)
    day(session, world.engagement_b, s2, date(2026, 6, 1), "0.5")
    b = issued(session, world.client_b, today=TODAY - timedelta(days=40))
    billing.record_payment(session, SystemActor("test"), b, "100.00", TODAY, "part", TODAY)
    rows, total = billing.aged_debt(session, TODAY)
    by_client = {row.client_name: row.buckets for row in rows}
    assert by_client["Client A Council"] == {
        "current": Decimal("600.00"), "days_1_30": Decimal("600.00"), "days_31_60": Decimal("600.00"),
        "days_61_90": Decimal("600.00"), "days_over_90": Decimal("600.00")}
    assert by_client["Client B Council"]["days_1_30"] == Decimal("200.00")  # 300.00 less 100.00 paid
    assert total.total == Decimal("3200.00") and total.invoices == 6
    overdue = session.scalars(billing.filtered(world.users["finance"], billing.InvoiceFilters(status="overdue"), TODAY)).all()
    assert len(overdue) == 5 and all(i.is_overdue(TODAY) for i in overdue)
    assert overdue[0].days_overdue(TODAY) > 0
