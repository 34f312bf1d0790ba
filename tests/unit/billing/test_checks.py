"""`flask check`'s invoice rules pass on honest data and name each kind of
corruption. Rows are forced in with Core INSERTs, which the database guards
(UPDATE/DELETE triggers) let through, as a faulty import or hand edit might."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from tests.factories import TODAY, day, issued
from tracker.billing import services as billing
from tracker.billing.models import InvoiceLine, InvoiceLineDay, NumberSeries, Payment
from tracker.days.models import DayState, SupportDay
from tracker.ops.checks import run_checks


def problems(session) -> dict[str, list[str]]:
    session.flush()
    return {r.name: r.problems for r in run_checks(session) if r.problems}


def two_invoices(session, world):
    first = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
    a = issued(session, world.client_a)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 6), "1", "scoping")
    b = issued(session, world.client_a)
    return first, a, b


def test_honest_invoices_credit_notes_and_payments_pass(session, world):
    first, a, b = two_invoices(session, world)
    billing.credit_invoice(session, world.users["finance"], a, "Raised in error", TODAY)
    billing.record_payment(session, world.users["finance"], b, Decimal("100.00"), TODAY, "BACS 1", TODAY)
    again = issued(session, world.client_a)  # the credited day, invoiced once more
    assert [link.support_day_id for line in again.lines for link in line.day_links] == [first.id]
    assert problems(session) == {}


def test_a_day_on_two_live_invoices_is_found(session, world):
    first, _a, b = two_invoices(session, world)
    session.execute(sa.insert(InvoiceLineDay).values(line_id=b.lines[0].id, support_day_id=first.id,
                                                     worked_on=first.worked_on, days=first.days))
    assert problems(session) == {"no day on two live invoices": [f"support day {first.id} is on 2 live invoice lines"]}


def test_a_day_marked_invoiced_without_an_invoice_is_found(session, world):
    loose = day(session, world.engagement_a, world.staff["s2"], date(2026, 10, 7), "1", "training")
    session.execute(sa.update(SupportDay).where(SupportDay.id == loose.id).values(state=DayState.INVOICED))
    assert problems(session) == {
        "no day on two live invoices": [f"support day {loose.id} is marked invoiced but no live invoice holds it"]}


def test_totals_that_differ_from_their_lines_are_found(session, world):
    _, a, _ = two_invoices(session, world)
    line = a.lines[0]
    values = {c.key: getattr(line, c.key) for c in InvoiceLine.__table__.columns if c.key not in ("id", "position")}
    session.execute(sa.insert(InvoiceLine).values(values | {"position": 99}))
    found = problems(session)
    assert list(found) == ["invoice totals are the sum of their lines"]
    assert found["invoice totals are the sum of their lines"][0].startswith(
        f"invoice {a.number}: stored net/VAT/gross 500.00/100.00/600.00, lines add up to 1000")


def test_payments_that_do_not_add_up_are_found(session, world):
    _, a, _ = two_invoices(session, world)
    session.execute(sa.insert(Payment).values(invoice_id=a.id, amount=Decimal("10.00"), paid_on=TODAY, reference="x"))
    assert problems(session) == {
        "payments add up to each invoice's paid figure": [f"invoice {a.number}: paid 0.00 but payments add up to 10.00"]}


def test_a_gap_in_a_number_series_is_found(session, world):
    two_invoices(session, world)
    session.execute(sa.insert(NumberSeries).values(key="credit_note:CN:2026", next_value=3))
    assert problems(session) == {"invoice and credit-note numbers are gap-free": [
        "credit_note series CN-2026: next number is 3 but 0 were issued"]}
