"""Drafts: what a draft takes, how it prices it, and that it reserves its days."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day, draft, engagement, seed_days
from tracker.access import SystemActor
from tracker.audit.models import AuditLog
from tracker.billing import services as billing
from tracker.billing.models import Invoice, InvoiceDayClaim, InvoiceLine, InvoiceStatus
from tracker.days import services as days_services
from tracker.days.models import DayState
from tracker.errors import Locked, ValidationFailed


def test_the_seed_package_20_days_at_500_is_10000_net_12000_gross(session, world):
    seed_days(session, world)
    invoice = draft(session, world.client_a)
    assert invoice.status == InvoiceStatus.DRAFT and invoice.number is None
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("10000.00"), Decimal("2000.00"), Decimal("12000.00"))
    assert invoice.total_days == Decimal("20.00")
    # Lines grouped by engagement, staff member and activity; the rate frozen on each.
    assert [(line.staff_name, line.activity.value, line.days, line.rate, line.net, line.vat, line.gross)
            for line in invoice.lines] == [
        ("Kim Two", "training", Decimal("6.00"), Decimal("500.00"), Decimal("3000.00"), Decimal("600.00"), Decimal("3600.00")),
        ("Kim Two", "mentoring", Decimal("4.00"), Decimal("500.00"), Decimal("2000.00"), Decimal("400.00"), Decimal("2400.00")),
        ("Sam One", "scoping", Decimal("10.00"), Decimal("500.00"), Decimal("5000.00"), Decimal("1000.00"), Decimal("6000.00")),
    ]
    assert invoice.lines[0].first_day == date(2026, 9, 1) and invoice.lines[0].last_day == date(2026, 9, 8)
    assert invoice.lines[2].vat_rate == Decimal("0.2000") and invoice.lines[2].vat_label == "20%"
    assert sum(len(line.day_links) for line in invoice.lines) == 20


def test_line_net_rounds_half_up_to_the_penny_and_vat_per_line(session, world):
    odd = engagement(session, world.client_a, "Odd rate", day_rate=Decimal("333.33"), staff_ids=[world.staff["s1"].id])
    day(session, odd, world.staff["s1"], date(2026, 10, 1), "0.25", "tools")  # 83.3325 → 83.33
    day(session, odd, world.staff["s2"], date(2026, 10, 1), "0.75", "tools")  # 249.9975 → 250.00
    invoice = draft(session, world.client_a)
    assert [line.net for line in invoice.lines] == [Decimal("250.00"), Decimal("83.33")]
    assert [line.vat for line in invoice.lines] == [Decimal("50.00"), Decimal("16.67")]  # 16.666 → 16.67
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("333.33"), Decimal("66.67"), Decimal("400.00"))


def test_outside_the_scope_of_vat_carries_no_vat_and_the_reason(session, world):
    outside = engagement(session, world.client_b, "Outside scope", vat_rate=None,
                         vat_note="Outside the scope of VAT: s.33 body", staff_ids=[world.staff["s2"].id])
    day(session, outside, world.staff["s2"], date(2026, 10, 1), "1")
    invoice = draft(session, world.client_b)
    line = invoice.lines[0]
    assert line.vat_rate is None and line.vat == Decimal("0.00") and line.vat_note == "Outside the scope of VAT: s.33 body"
    assert invoice.gross == invoice.net == Decimal("500.00") and invoice.title == "Invoice"


def test_only_delivered_billable_days_up_to_the_date_of_that_client(session, world):
    s1, s2 = world.staff["s1"], world.staff["s2"]
    day(session, world.engagement_a, s1, date(2026, 10, 1), "1")
    day(session, world.engagement_a, s1, date(2026, 10, 30), "1")  # after up_to
    day(session, world.engagement_a, s1, date(2026, 11, 30), "1", state="planned")  # planned
    day(session, world.engagement_a, s2, date(2026, 10, 2), "1", billable=False)  # not billable
    day(session, world.engagement_b, s2, date(2026, 10, 1), "1")  # another client
    shared = engagement(session, world.client_a, "Shared", kind="shared_service", vat_rate=None, vat_note="n/a")
    day(session, shared, s2, date(2026, 10, 5), "1", "shared_service")  # never billable
    invoice = draft(session, world.client_a, up_to=date(2026, 10, 29))
    assert [link.worked_on for line in invoice.lines for link in line.day_links] == [date(2026, 10, 1)]


def test_one_engagement_only_when_asked(session, world):
    other = engagement(session, world.client_a, "Second package", staff_ids=[world.staff["s1"].id])
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    day(session, other, world.staff["s1"], date(2026, 10, 2), "0.5")
    invoice = draft(session, world.client_a, engagement=other)
    assert {line.engagement_id for line in invoice.lines} == {other.id} and invoice.net == Decimal("250.00")
    rest = draft(session, world.client_a)
    assert {line.engagement_id for line in rest.lines} == {world.engagement_a.id}
    with pytest.raises(ValidationFailed) as err:
        billing.build_invoice(session, SystemActor("test"), world.client_a.id, TODAY, TODAY, world.engagement_b.id)
    assert "engagement_id" in err.value.fields


def test_nothing_billable_is_409_with_a_clear_message(session, world):
    with pytest.raises(billing.NothingToInvoice) as err:
        draft(session, world.client_a)
    assert err.value.status == 409 and "Nothing to invoice for Client A Council" in err.value.message


def test_bad_input_names_the_field(session, world):
    with pytest.raises(ValidationFailed) as err:
        billing.build_invoice(session, SystemActor("test"), world.lead.id, "soon", TODAY)
    assert set(err.value.fields) == {"client_id", "up_to"}


def test_days_on_a_draft_are_reserved_and_cannot_be_edited(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = draft(session, world.client_a)
    with pytest.raises(billing.NothingToInvoice):
        draft(session, world.client_a)  # no other draft takes them
    with pytest.raises(Locked) as err:
        days_services.update_support_day(session, SystemActor("test"), d, days_services.input_from(d, days="0.5"), TODAY)
    assert f"draft invoice {invoice.id}" in err.value.message
    with pytest.raises(Locked):
        days_services.delete_support_day(session, SystemActor("test"), d)
    assert d.days == Decimal("1.00") and d.state == DayState.DELIVERED


def test_deleting_a_draft_frees_its_days_and_is_audited(session, world):
    d = day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    invoice = draft(session, world.client_a)
    invoice_id = invoice.id
    billing.delete_draft(session, SystemActor("test"), invoice)
    assert session.get(Invoice, invoice_id) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(InvoiceDayClaim)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == 0
    days_services.update_support_day(session, SystemActor("test"), d, days_services.input_from(d, days="0.5"), TODAY)
    again = draft(session, world.client_a)
    assert again.net == Decimal("250.00")
    actions = session.scalars(sa.select(AuditLog.action).where(AuditLog.entity == "invoice").order_by(AuditLog.id)).all()
    assert actions == ["draft", "delete", "draft"]
    deleted = session.scalar(sa.select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity == "invoice"))
    assert deleted.before["net"] == "500.00" and deleted.before["lines"][0]["support_day_ids"] == [d.id]
    assert deleted.actor_label == "test" and deleted.after is None


def test_the_claim_key_refuses_a_second_claim_even_if_the_query_missed_it(session, world, monkeypatch):
    """The last line of defence against double billing: were the candidate query
    ever to return a claimed day, the claim's primary key refuses it (409) and
    nothing of the second draft is saved."""
    from tracker.billing import queries

    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 1), "1")
    first = draft(session, world.client_a)
    real = queries.billable_days

    assert real(world.client_a.id, TODAY) is not None
    monkeypatch.setattr(queries, "billable_days", lambda client_id, up_to, engagement_id=None:
                        _without_claim_filter(client_id, up_to))
    with pytest.raises(billing.DoubleClaim) as err:
        draft(session, world.client_a)
    assert err.value.status == 409
    assert session.scalars(sa.select(Invoice.id)).all() == [first.id]
    assert session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine)) == 1


def _without_claim_filter(client_id, up_to):
    from tracker.days.models import SupportDay
    from tracker.engagements.models import Engagement

    return (
        sa.select(SupportDay.id, SupportDay.engagement_id, SupportDay.staff_id, SupportDay.activity,
                  SupportDay.worked_on, SupportDay.days)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .where(Engagement.client_id == client_id, SupportDay.worked_on <= up_to)
    )
