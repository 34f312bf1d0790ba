"""No N+1: each main list page and JSON API list runs as many SQL statements
with 50 rows as with 5 (counted with SQLAlchemy's before_cursor_execute)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY
from tracker.audit.models import AuditLog
from tracker.authorities.models import Authority
from tracker.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payment
from tracker.days.models import Activity, DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind, EngagementMember, EngagementStatus
from tracker.extensions import db
from tracker.staff.models import StaffMember

PAGES = [
    "/engagements/?per_page=100",
    "/engagements/{engagement}/days?per_page=100",
    "/authorities/?per_page=100",
    "/staff/?per_page=100",
    "/invoices/?per_page=100",
    "/audit/?per_page=100",
    "/reports/capacity",
    "/reports/capacity?green=1",  # the green majority unfolded
]
API = [
    "/api/v1/engagements?per_page=100",
    "/api/v1/engagements/{engagement}/days?per_page=100",
    "/api/v1/authorities?per_page=100",
    "/api/v1/staff?per_page=100",
    "/api/v1/invoices?per_page=100",
    "/api/v1/reports/capacity",
]


@contextmanager
def counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)


def grow(session, world, rows: int) -> None:
    """At least `rows` of everything the lists show: authorities, staff (each with
    a day in the capacity month), engagements, days on engagement A, issued
    invoices with lines and payments, audit entries."""
    now = datetime.now(UTC)
    have = session.scalar(sa.select(sa.func.count()).select_from(Engagement).where(Engagement.title.like("Grown %")))
    extra = range(have, rows)
    if not extra:
        return
    conn = session.connection()
    clients = conn.execute(sa.insert(Authority).returning(Authority.id, sort_by_parameter_order=True), [
        {"name": f"Grown Authority {i}", "address": f"{i} Road", "created_at": now} for i in extra
    ]).scalars().all()
    staff = conn.execute(sa.insert(StaffMember).returning(StaffMember.id, sort_by_parameter_order=True), [
        {"name": f"Grown Staff {i}", "email": f"grown{i}@lead.example.org", "created_at": now} for i in extra
    ]).scalars().all()
    engagements = conn.execute(sa.insert(Engagement).returning(Engagement.id, sort_by_parameter_order=True), [
        {"client_id": client_id, "title": f"Grown {i}", "kind": EngagementKind.SUPPORT_PACKAGE,
         "status": EngagementStatus.ACTIVE, "day_rate": Decimal("500.00"), "estimated_days_low": Decimal(10),
         "estimated_days_high": Decimal(20), "start_date": date(2026, 1, 1), "end_date": date(2027, 12, 31),
         "purchase_order": f"PO-{i}", "vat_rate": Decimal("0.2000"), "vat_note": "", "approval_reference": "",
         "description": "", "created_at": now}
        for i, client_id in zip(extra, clients, strict=True)
    ]).scalars().all()
    conn.execute(sa.insert(EngagementMember), [
        {"engagement_id": e, "staff_id": s} for e, s in zip(engagements, staff, strict=True)
    ] + [{"engagement_id": world.engagement_a.id, "staff_id": s} for s in staff])
    # One day per grown person on engagement A, all in November (the capacity month).
    conn.execute(sa.insert(SupportDay), [
        {"engagement_id": world.engagement_a.id, "staff_id": s, "worked_on": date(2026, 11, 2) + timedelta(days=i % 4),
         "activity": Activity.MENTORING, "days": Decimal("0.5"), "billable": True, "state": DayState.DELIVERED,
         "notes": "", "created_at": now, "updated_at": now}
        for i, s in zip(extra, staff, strict=True)
    ])
    invoices = conn.execute(sa.insert(Invoice).returning(Invoice.id, sort_by_parameter_order=True), [
        {"kind": InvoiceKind.INVOICE, "status": InvoiceStatus.PART_PAID, "number": f"GRW-2026-{i + 1:04d}",
         "client_id": client_id, "engagement_id": e, "up_to": date(2026, 10, 31), "issued_on": date(2026, 11, 2),
         "due_on": date(2026, 12, 2), "net": Decimal("500.00"), "vat": Decimal("100.00"), "gross": Decimal("600.00"),
         "paid": Decimal("100.00"), "credited": Decimal(0), "customer_name": f"Grown Authority {i}",
         "payment_terms_days": 30, "created_at": now, "issued_at": now}
        for i, client_id, e in zip(extra, clients, engagements, strict=True)
    ]).scalars().all()
    conn.execute(sa.insert(InvoiceLine), [
        {"invoice_id": inv, "position": 1, "engagement_id": e, "staff_id": s, "activity": Activity.MENTORING,
         "description": "Mentoring", "engagement_title": "Grown", "staff_name": "Grown", "first_day": date(2026, 10, 1),
         "last_day": date(2026, 10, 1), "days": Decimal(1), "rate": Decimal("500.00"), "net": Decimal("500.00"),
         "vat_rate": Decimal("0.2000"), "vat": Decimal("100.00"), "gross": Decimal("600.00")}
        for inv, e, s in zip(invoices, engagements, staff, strict=True)
    ])
    conn.execute(sa.insert(Payment), [
        {"invoice_id": inv, "amount": Decimal("100.00"), "paid_on": TODAY, "reference": "BACS", "recorded_at": now}
        for inv in invoices
    ])
    conn.execute(sa.insert(AuditLog), [
        {"at": now, "actor_id": world.users["manager"].id, "actor_label": "manager@lead.example.org",
         "action": "update", "entity": "engagement", "entity_id": str(e), "before": {"title": "Old"},
         "after": {"title": "New"}}
        for e in engagements
    ])
    session.commit()


def queries_for(session, world, fetch, url: str, rows: int) -> int:
    grow(session, world, rows)
    url = url.format(engagement=world.engagement_a.id)
    fetch(url)  # warm caches (framework, settings) so only the page's own statements differ
    session.expire_all()
    with counting() as statements:
        response = fetch(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements), statements


def assert_flat(session, world, fetch, url):
    few, few_sql = queries_for(session, world, fetch, url, 5)
    many, many_sql = queries_for(session, world, fetch, url, 50)
    assert many == few, f"{url}: {few} statements with 5 rows, {many} with 50 (N+1?)\n" + "\n".join(
        s.split("\n")[0][:160] for s in many_sql[len(few_sql) - 3:]
    )


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_run_the_same_statements_for_5_and_50_rows(session, world, login_as, url):
    client = login_as("admin")
    assert_flat(session, world, client.get, url)


@pytest.mark.parametrize("url", API)
def test_api_lists_run_the_same_statements_for_5_and_50_rows(session, world, api_as, url):
    api = api_as("admin")
    assert_flat(session, world, api.get, url)
