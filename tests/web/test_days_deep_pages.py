"""Page 500 of a 50,000-day engagement: the deferred join (pagination.paginate_deferred)
gives the same rows as a plain OFFSET, keeps the page/per_page/total contract, and
takes its OFFSET over the covering index ix_support_days_engagement_id_worked_on_id."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tracker.days import services
from tracker.days.models import Activity, DayState, SupportDay
from tracker.staff.models import StaffMember

DAYS = 50_000
PEOPLE = 50


@pytest.fixture
def big_engagement(session, world):
    now = datetime.now(UTC)
    conn = session.connection()
    staff = conn.execute(sa.insert(StaffMember).returning(StaffMember.id, sort_by_parameter_order=True), [
        {"name": f"Deep {i:02d}", "email": f"deep{i}@lead.example.org", "created_at": now} for i in range(PEOPLE)
    ]).scalars().all()
    dates = [date(2022, 1, 3) + timedelta(days=i) for i in range(DAYS // PEOPLE)]  # 1,000 dates
    conn.execute(sa.insert(SupportDay), [
        {"engagement_id": world.engagement_a.id, "staff_id": s, "worked_on": on, "activity": Activity.MENTORING,
         "days": Decimal("0.5"), "billable": True, "state": DayState.DELIVERED, "notes": "", "created_at": now,
         "updated_at": now}
        for on in dates for s in staff
    ])
    session.commit()
    if conn.dialect.name == "postgresql":  # 50,000 rows just loaded: plan with statistics, as autovacuum would give
        session.execute(sa.text("ANALYZE support_days"))
        session.commit()
    return world.engagement_a


def test_page_500_matches_a_plain_offset_and_keeps_the_contract(session, api_as, big_engagement):
    response = api_as("manager").get(f"/api/v1/engagements/{big_engagement.id}/days?page=500&per_page=100")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (DAYS, 500, 100)
    expected = session.scalars(
        sa.select(SupportDay.id).where(SupportDay.engagement_id == big_engagement.id)
        .order_by(SupportDay.worked_on.desc(), SupportDay.id.desc()).limit(100).offset(49_900)
    ).all()
    assert [item["id"] for item in body["items"]] == expected


def test_the_page_of_days_shows_page_500(login_as, big_engagement):
    response = login_as("manager").get(f"/engagements/{big_engagement.id}/days?page=500&per_page=100")
    assert response.status_code == 200
    assert b"Deep" in response.data


def test_the_offset_runs_over_the_covering_index(session, is_postgres, big_engagement):
    ids = (services.days_query(big_engagement.id, services.DayFilters())
           .with_only_columns(SupportDay.id).limit(50).offset(24_950))
    sql = str(ids.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    if is_postgres:
        session.execute(sa.text("ANALYZE support_days"))
        plan = "\n".join(session.scalars(sa.text("EXPLAIN " + sql)))
        assert "ix_support_days_engagement_id_worked_on_id" in plan, plan
    else:
        plan = " ".join(row[3] for row in session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
        assert "COVERING INDEX ix_support_days_engagement_id_worked_on_id" in plan, plan
