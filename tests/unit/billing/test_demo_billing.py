"""The demo world's invoicing: paid CWAC invoices, one credit note, an
outstanding invoice, a Wirral invoice outside the scope of VAT, work waiting."""

import re
from decimal import Decimal

import sqlalchemy as sa

from tests.factories import TODAY
from tracker.billing import services as billing
from tracker.billing.models import Invoice, InvoiceKind, InvoiceStatus
from tracker.demo.world import build_world


def test_the_demo_world_has_a_believable_invoice_history(session):
    world = build_world(session, TODAY, "demo passphrase 1")
    documents = session.scalars(sa.select(Invoice).order_by(Invoice.issued_on, Invoice.id)).all()
    invoices = [d for d in documents if d.kind == InvoiceKind.INVOICE]
    notes = [d for d in documents if d.kind == InvoiceKind.CREDIT_NOTE]
    assert [i.number for i in invoices] == [f"HBC-2026-{n:04d}" for n in range(1, len(invoices) + 1)]
    assert len(notes) == 1 and re.fullmatch(r"HBC-CN-2026-0001", notes[0].number)
    cwac = [i for i in invoices if i.client_id == world.clients["cwac"].id]
    assert [i.status for i in cwac[:3]] == [InvoiceStatus.PAID] * 3
    assert cwac[-1].status == InvoiceStatus.ISSUED and cwac[-1].is_overdue(TODAY)
    assert notes[0].credits_id == cwac[2].id and cwac[2].credited == -notes[0].gross
    wirral = [i for i in invoices if i.client_id == world.clients["wirral"].id]
    assert len(wirral) == 1 and wirral[0].vat == Decimal("0.00") and wirral[0].lines[0].vat_rate is None
    assert wirral[0].balance == wirral[0].gross and not wirral[0].is_overdue(TODAY)
    assert all(i.supplier_name == "Halton Borough Council" and i.supplier_vat_number for i in invoices)
    waiting = billing.uninvoiced(session, TODAY)
    # CWAC's months since the last invoice, and Wirral's days since its one invoice, wait to be drafted.
    assert [w.client.name for w in waiting] == ["Cheshire West and Chester Council", "Wirral Council"]
    assert all(w.days > 0 for w in waiting)
    rows, total = billing.aged_debt(session, TODAY)
    assert {r.client_name for r in rows} == {"Cheshire West and Chester Council", "Wirral Council"}
    assert total.total == cwac[-1].balance + wirral[0].balance
