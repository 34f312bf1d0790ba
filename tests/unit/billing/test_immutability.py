"""Issued invoices, their lines, their days and payments cannot be changed by
raw ORM code either (the before_flush guard; PostgreSQL adds triggers)."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, draft, issued
from tracker.access import SystemActor
from tracker.billing import services as billing
from tracker.billing.guards import InvoiceLocked
from tracker.billing.models import Invoice, InvoiceLine, InvoiceLineDay, InvoiceStatus, Payment
from tracker.days.models import DayState, SupportDay
from tracker.errors import Locked


@pytest.fixture
def invoice(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    return issued(session, world.client_a)


def _refused(session, error=InvoiceLocked):
    with pytest.raises(error):
        session.flush()
    session.rollback()


@pytest.mark.parametrize("field,value", [
    ("net", Decimal("1.00")), ("gross", Decimal("1.00")), ("number", "INV-2026-0099"),
    ("customer_address", "Somewhere else"), ("issued_on", date(2026, 1, 1)), ("supplier_vat_number", "GB1"),
])
def test_an_issued_invoice_cannot_be_edited_through_the_orm(session, invoice, field, value):
    setattr(invoice, field, value)
    _refused(session)
    fresh = session.get(Invoice, invoice.id)
    assert (fresh.number, fresh.net, fresh.gross) == ("INV-2026-0001", Decimal("500.00"), Decimal("600.00"))


def test_an_issued_invoice_cannot_be_deleted_or_go_back_to_draft(session, invoice):
    session.delete(invoice)
    _refused(session)
    invoice = session.get(Invoice, invoice.id)
    invoice.status = InvoiceStatus.DRAFT
    _refused(session)
    assert session.get(Invoice, invoice.id).status == InvoiceStatus.ISSUED


def test_its_lines_and_line_days_cannot_be_changed_or_deleted(session, invoice):
    line = session.scalars(sa.select(InvoiceLine)).one()
    line.rate = Decimal("1.00")
    _refused(session)
    session.delete(session.scalars(sa.select(InvoiceLine)).one())
    _refused(session)
    link = session.scalars(sa.select(InvoiceLineDay)).one()
    link.days = Decimal("0.25")
    _refused(session)


def test_payments_are_append_only(session, invoice):
    billing.record_payment(session, SystemActor("test"), invoice, "100.00", TODAY, "first", TODAY)
    payment = session.scalars(sa.select(Payment)).one()
    payment.amount = Decimal("1000.00")
    _refused(session)
    session.delete(session.scalars(sa.select(Payment)).one())
    _refused(session)


def test_invoiced_days_cannot_be_changed_through_the_orm(session, invoice):
    d = session.scalars(sa.select(SupportDay)).one()
    d.days = Decimal("0.5")
    _refused(session, Locked)
    d = session.scalars(sa.select(SupportDay)).one()
    d.state = DayState.PLANNED
    _refused(session, Locked)
    session.delete(session.scalars(sa.select(SupportDay)).one())
    _refused(session, Locked)
    d = session.scalars(sa.select(SupportDay)).one()
    d.notes = "Notes are not billed"  # the guard only protects the billed figures
    session.commit()


def test_a_draft_stays_editable_by_billing_itself(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = draft(session, world.client_a)
    invoice.up_to = date(2026, 10, 31)
    session.commit()
    assert session.get(Invoice, invoice.id).up_to == date(2026, 10, 31)


def test_an_issued_invoices_day_claims_stay_until_a_credit_note(session, invoice):
    from tracker.billing.models import InvoiceDayClaim

    session.delete(session.scalars(sa.select(InvoiceDayClaim)).one())
    _refused(session)
    billing.credit_invoice(session, SystemActor("test"), session.get(Invoice, invoice.id), "Released properly", TODAY)
    assert session.scalar(sa.select(sa.func.count()).select_from(InvoiceDayClaim)) == 0
