"""Issuing: gap-free numbers, dates, frozen parties, invoiced days, fixed rates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, draft, issued, remittance, seed_days
from tracker.access import SystemActor
from tracker.audit import services as audit_services
from tracker.audit.models import AuditLog
from tracker.authorities import services as authorities
from tracker.billing import services as billing
from tracker.billing.models import InvoiceStatus, NumberSeries
from tracker.days import services as days_services
from tracker.days.models import DayState, SupportDay
from tracker.engagements import services as engagements
from tracker.errors import Locked, ValidationFailed
from tracker.settings import services as settings


def test_issue_numbers_dates_and_freezes_the_seed_invoice(session, world):
    seed_days(session, world)
    remittance(session)
    invoice = billing.issue_invoice(session, world.users["finance"], draft(session, world.client_a), TODAY)
    assert invoice.number == "INV-2026-0001" and invoice.status == InvoiceStatus.ISSUED
    assert invoice.issued_on == TODAY and invoice.due_on == TODAY + timedelta(days=30) and invoice.payment_terms_days == 30
    assert invoice.gross == Decimal("12000.00") and invoice.balance == Decimal("12000.00")
    assert (invoice.supplier_name, invoice.supplier_vat_number) == ("Lead Borough Council", "GB999999973")
    assert invoice.supplier_address == "Town Hall\nLeadtown\nLD1 1AA"
    assert (invoice.customer_name, invoice.customer_address) == ("Client A Council", "A House\nAtown\nAA1 1AA")
    assert "BACS to Lead Borough Council" in invoice.remittance_details
    states = set(session.scalars(sa.select(SupportDay.state).where(SupportDay.engagement_id == world.engagement_a.id)))
    assert states == {DayState.INVOICED}
    assert world.engagement_a.rate_locked_at is not None
    row = session.scalar(sa.select(AuditLog).where(AuditLog.action == "issue"))
    assert row.actor_label == "finance@lead.example.org" and row.after["number"] == "INV-2026-0001"
    assert row.before == {"status": "draft"} | {k: None for k in row.after if k != "status"}


def test_numbers_run_on_without_gaps_per_year_and_prefix(session, world):
    remittance(session)
    numbers = []
    for offset in range(3):
        day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1) + timedelta(days=offset), "1")
        numbers.append(issued(session, world.client_a).number)
    assert numbers == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003"]
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 8), "1")
    next_year = date(2027, 1, 4)
    settings.set_value(session, "invoice_prefix", "lbc", next_year, SystemActor("test"))
    invoice = billing.issue_invoice(session, SystemActor("test"), draft(session, world.client_a), next_year)
    assert invoice.number == "LBC-2027-0001"


def test_a_failed_issue_leaves_no_gap(session, world, monkeypatch):
    remittance(session)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    first = draft(session, world.client_a)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit_services, "record", fail)  # fails after the number was taken
    with pytest.raises(RuntimeError):
        billing.issue_invoice(session, SystemActor("test"), first, TODAY)
    session.rollback()
    monkeypatch.undo()
    assert session.get(type(first), first.id).status == InvoiceStatus.DRAFT
    assert session.scalar(sa.select(NumberSeries.next_value)) in (None, 1)
    assert billing.issue_invoice(session, SystemActor("test"), first, TODAY).number == "INV-2026-0001"


def test_issuing_twice_is_409(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = issued(session, world.client_a)
    with pytest.raises(billing.AlreadyIssued) as err:
        billing.issue_invoice(session, SystemActor("test"), invoice, TODAY)
    assert err.value.status == 409


def test_a_vat_invoice_needs_the_leads_vat_number_and_remittance_details(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = draft(session, world.client_a)
    with pytest.raises(billing.NotReadyToIssue) as err:
        billing.issue_invoice(session, SystemActor("test"), invoice, TODAY)
    assert "remittance details" in err.value.message
    remittance(session)
    lead = world.lead
    authorities.update_authority(session, SystemActor("test"), lead, authorities.AuthorityInput(
        name=lead.name, is_lead=True, address=lead.address, vat_number=""))
    with pytest.raises(billing.NotReadyToIssue) as err:
        billing.issue_invoice(session, SystemActor("test"), invoice, TODAY)
    assert "VAT registration number" in err.value.message
    assert session.scalar(sa.select(sa.func.count()).select_from(NumberSeries)) == 0


def test_supplier_and_customer_details_stay_as_issued(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = issued(session, world.client_a)
    authorities.update_authority(session, SystemActor("test"), world.client_a, authorities.AuthorityInput(
        name="Client A Unitary Council", address="New Civic Centre"))
    session.refresh(invoice)
    assert (invoice.customer_name, invoice.customer_address) == ("Client A Council", "A House\nAtown\nAA1 1AA")


def test_the_day_rate_is_fixed_once_invoiced_and_a_stale_draft_cannot_issue(session, world):
    remittance(session)
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    stale = draft(session, world.client_a)
    e = world.engagement_a
    engagements.update_engagement(session, SystemActor("test"), e, _input(e, day_rate=Decimal("550.00")), TODAY)
    with pytest.raises(billing.NotReadyToIssue) as err:
        billing.issue_invoice(session, SystemActor("test"), stale, TODAY)
    assert "day rate" in err.value.message
    billing.delete_draft(session, SystemActor("test"), stale)
    invoice = issued(session, world.client_a)
    assert invoice.lines[0].rate == Decimal("550.00")
    with pytest.raises(Locked):
        engagements.update_engagement(session, SystemActor("test"), e, _input(e, day_rate=Decimal("600.00")), TODAY)


def test_invoiced_days_cannot_be_changed_or_deleted_through_the_days_services(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    issued(session, world.client_a)
    with pytest.raises(Locked) as err:
        days_services.update_support_day(session, SystemActor("test"), d, days_services.input_from(d, notes="typo"), TODAY)
    assert "invoiced" in err.value.message
    with pytest.raises(Locked):
        days_services.delete_support_day(session, SystemActor("test"), d)
    session.refresh(d)
    assert (d.days, d.notes, d.state) == (Decimal("1.00"), "", DayState.INVOICED)


def _input(e, **changes):
    data = engagements.EngagementInput(
        client_id=e.client_id, title=e.title, start_date=e.start_date, kind=e.kind.value, end_date=e.end_date,
        estimated_days_low=e.estimated_days_low, estimated_days_high=e.estimated_days_high,
        purchase_order=e.purchase_order, vat_rate=e.vat_rate, vat_note=e.vat_note,
        approval_reference=e.approval_reference, description=e.description, day_rate=e.day_rate,
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def test_invoicing_settings_are_registered_and_checked(session, world):
    assert {"invoice_prefix", "credit_note_prefix", "payment_terms_days", "remittance_details",
            "ledger_cost_centre", "ledger_income_code"} <= set(settings.specs())
    assert settings.set_value(session, "invoice_prefix", " hbc ", date(2026, 1, 1), SystemActor("test")).value == "HBC"
    for bad in ("", "HBC/", "WAY-TOO-LONG-PREFIX", "-HBC", "HBC-"):
        with pytest.raises(ValidationFailed):
            settings.set_value(session, "invoice_prefix", bad, date(2026, 1, 1), SystemActor("test"))
    with pytest.raises(ValidationFailed):
        settings.set_value(session, "payment_terms_days", "0", date(2026, 1, 1), SystemActor("test"))
    settings.set_value(session, "payment_terms_days", "14", date(2026, 1, 1), SystemActor("test"))
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    assert issued(session, world.client_a).due_on == TODAY + timedelta(days=14)


@pytest.mark.parametrize("action", ["issue", "delete", "credit", "pay"])
def test_acting_on_a_draft_someone_else_just_deleted_is_404_not_500(session, world, db, action):
    """Found by the load drill (bench/load_without_loss.py): a finance officer issues or
    deletes a draft that another officer deleted after this request had loaded it."""
    from tracker.billing.models import Invoice
    from tracker.errors import NotFound

    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
    remittance(session)
    invoice = draft(session, world.client_a)
    invoice_id = invoice.id  # loaded by this request...
    session.commit()  # ...whose snapshot then ends (as each statement's does on PostgreSQL)
    with sa.orm.Session(db.engine) as other:  # the other officer's request deletes it
        billing.delete_draft(other, SystemActor("other officer"), other.get(Invoice, invoice_id))
    calls = {
        "issue": lambda: billing.issue_invoice(session, SystemActor("test"), invoice, TODAY),
        "delete": lambda: billing.delete_draft(session, SystemActor("test"), invoice),
        "credit": lambda: billing.credit_invoice(session, SystemActor("test"), invoice, "why", TODAY),
        "pay": lambda: billing.record_payment(session, SystemActor("test"), invoice, Decimal("1.00"), TODAY, "", TODAY),
    }
    with pytest.raises(NotFound):
        calls[action]()
    session.rollback()
    assert session.scalar(sa.select(sa.func.count()).select_from(NumberSeries)) == 0
