"""The PostgreSQL triggers of migration 0004: raw SQL, bypassing the app and
its ORM guard, still cannot change issued invoices, their lines, payments, the
number series or the billed figures of claimed days."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, draft, issued
from tracker.access import SystemActor
from tracker.billing import services as billing
from tracker.billing.guards import LOCKED_SQLSTATE, translate_database_error
from tracker.extensions import db


@pytest.fixture
def invoice(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = issued(session, world.client_a)
    billing.record_payment(session, SystemActor("test"), invoice, "100.00", TODAY, "first", TODAY)
    return invoice


def _refused(sql: str, **params) -> str:
    with db.engine.connect() as conn, pytest.raises(sa.exc.DBAPIError) as err:
        conn.execute(sa.text(sql), params)
    assert err.value.orig.sqlstate == LOCKED_SQLSTATE, err.value
    locked = translate_database_error(err.value)
    assert locked.status == 409
    return locked.message


@pytest.mark.parametrize("sql", [
    "UPDATE invoices SET net = 1, gross = 1.2, vat = 0.2 WHERE id = :id",
    "UPDATE invoices SET customer_address = 'elsewhere' WHERE id = :id",
    "UPDATE invoices SET number = 'INV-2026-0099' WHERE id = :id",
    "UPDATE invoices SET status = 'draft', number = NULL, issued_on = NULL WHERE id = :id",
    "UPDATE invoices SET paid = 0 WHERE id = :id",
    "DELETE FROM invoices WHERE id = :id",
])
def test_issued_invoices_cannot_be_changed_by_raw_sql(invoice, sql):
    assert "INV-2026-0001" in _refused(sql, id=invoice.id)


def test_lines_payments_days_and_series_cannot_be_changed_by_raw_sql(invoice):
    _refused("UPDATE invoice_lines SET rate = 1 WHERE invoice_id = :id", id=invoice.id)
    _refused("DELETE FROM invoice_lines WHERE invoice_id = :id", id=invoice.id)
    _refused("UPDATE invoice_line_days SET days = 0.25")
    _refused("UPDATE payments SET amount = 1")
    _refused("DELETE FROM payments")
    _refused("UPDATE number_series SET next_value = 1")
    _refused("DELETE FROM number_series")
    assert "on an invoice" in _refused("UPDATE support_days SET days = 0.5")
    assert "on an invoice" in _refused("UPDATE support_days SET state = 'planned'")
    _refused("DELETE FROM invoice_day_claims")  # which would free the days for editing
    _refused("UPDATE invoice_day_claims SET invoice_id = invoice_id")


def test_the_allowed_moves_still_work(invoice, session, world):
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE support_days SET notes = 'typo fixed'"))  # not a billed figure
        conn.execute(sa.text("UPDATE invoices SET paid = paid + 1, status = 'part_paid' WHERE id = :id"), {"id": invoice.id})
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 2), "1")
    open_draft = draft(session, world.client_a)
    with db.engine.begin() as conn:  # drafts are not frozen; deleting one cascades to its lines and days
        conn.execute(sa.text("UPDATE invoices SET up_to = '2026-10-31' WHERE id = :id"), {"id": open_draft.id})
        conn.execute(sa.text("DELETE FROM invoice_day_claims WHERE invoice_id = :id"), {"id": open_draft.id})
        conn.execute(sa.text("DELETE FROM invoices WHERE id = :id"), {"id": open_draft.id})
        remaining = conn.execute(sa.text("SELECT count(*) FROM invoice_lines")).scalar()
    assert remaining == 1
