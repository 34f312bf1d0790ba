"""Each role's home page shows its panels with figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.factories import TODAY, day, goal, issued, milestone, seed_days
from tracker.dashboard import services


def test_consultant_sees_their_week_and_next_bookings(session, capacity_world, login_as):
    # Sam One, week of Mon 23 Nov: 25 Nov 1 training + 26 Nov 0.25 tools planned; nothing delivered yet.
    board = services.consultant_dashboard(session, capacity_world.staff["s1"].id, TODAY)
    assert board.week_start == date(2026, 11, 23)
    assert (board.delivered, board.planned) == (Decimal("0.00"), Decimal("1.25"))
    assert [(b.worked_on, b.days) for b in board.upcoming] == [
        (date(2026, 11, 25), Decimal("1.00")), (date(2026, 11, 26), Decimal("0.25")), (date(2026, 12, 7), Decimal("1.00"))]
    html = login_as("consultant").get("/").get_data(as_text=True)
    assert "Your week from 23 Nov 2026" in html
    assert 'href="/days/week?start=2026-11-23"' in html
    assert "1.25 days" in html and "7 Dec 2026" in html and "Bespoke commissioning training" in html
    assert "Capacity this month" not in html and "Work waiting to be invoiced" not in html


def test_manager_sees_capacity_flags_and_engagements_near_their_estimate(session, capacity_world, login_as):
    # Capacity (tests/unit/reports/test_capacity.py): Sam One red 20.83%, Kim Two amber 16.67%, team 14.53% amber.
    # Engagement A: 3.5 delivered + 2.25 planned before the seed; + 20 seed days = 25.75 of 30 = 85.8%: near.
    seed_days(session, capacity_world)
    board = services.manager_dashboard(session, TODAY)
    assert [(r.name, r.flag) for r in board.flagged] == [("Sam One", "red"), ("Kim Two", "amber")]
    assert board.capacity.share == Decimal("0.1453") and board.review_status == "none"
    assert [(p.engagement.title, p.figures.days_committed, p.share_of_high) for p in board.near_estimate] == [
        ("A support package", Decimal("25.75"), Decimal("85.8"))]
    for role in ("manager", "admin"):
        html = login_as(role).get("/").get_data(as_text=True)
        assert "Capacity this month: November 2026" in html
        assert "14.53%" in html and "20.83%" in html and "16.67%" in html
        assert "A support package" in html and "85.8%" in html
        assert "B support package" not in html.split("near or over their high estimate", 1)[1]
        assert "Work waiting to be invoiced" not in html


def test_near_means_past_80_percent_of_the_high_estimate_like_the_amber_bar(session, world):
    e = world.engagement_a
    seed_days(session, world)  # 20 of 30: 66.7%
    assert services.engagements_near_estimate(session) == []
    for on in (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)):
        day(session, e, world.staff["s1"], on, "1", "mentoring", state="planned")  # 24 of 30: exactly 80%, still green
    assert services.engagements_near_estimate(session) == []
    day(session, e, world.staff["s1"], date(2026, 12, 7), "0.25", "mentoring", state="planned")  # 24.25: amber
    near = services.engagements_near_estimate(session)
    assert [(p.share_of_high, p.figures.flag) for p in near] == [(Decimal("80.8"), "amber")]


def test_finance_sees_work_waiting_and_overdue_invoices(session, world, login_as):
    # 20 seed days (1–14 Sep, two people). Invoiced up to 10 Sep on 1 Oct: 16 days, £8,000 net, £9,600 gross,
    # due 31 Oct: 23 days overdue on 23 Nov. Waiting: 11 and 14 Sep × 2 = 4 days, £2,000.00.
    seed_days(session, world)
    invoice = issued(session, world.client_a, up_to=date(2026, 9, 10), today=date(2026, 10, 1))
    assert (invoice.net, invoice.gross, invoice.due_on) == (Decimal("8000.00"), Decimal("9600.00"), date(2026, 10, 31))
    board = services.finance_dashboard(session, TODAY)
    assert (board.waiting_days, board.waiting_net) == (Decimal("4.00"), Decimal("2000.00"))
    assert [i.id for i in board.overdue] == [invoice.id]
    assert (board.overdue_totals.count, board.overdue_totals.balance) == (1, Decimal("9600.00"))
    html = login_as("finance").get("/").get_data(as_text=True)
    assert "Work waiting to be invoiced" in html and "&pound;2,000.00" in html and "4.00" in html
    assert invoice.number in html and "&pound;9,600.00" in html and ">23<" in html
    assert "Capacity this month" not in html


def test_client_sees_their_engagements_progress(session, world, login_as):
    seed_days(session, world)
    g = goal(session, world.engagement_a)
    milestone(session, g, "Done", due_on=date(2026, 10, 1), status="done")
    milestone(session, g, "Late", due_on=date(2026, 11, 2))
    milestone(session, g, "Dropped", due_on=date(2026, 11, 2), status="dropped")
    rows = services.client_dashboard(session, world.client_a.id, TODAY)
    assert [(r.engagement.title, r.figures.days_delivered) for r in rows] == [("A support package", Decimal("20.00"))]
    assert (rows[0].milestones.total, rows[0].milestones.done, rows[0].milestones.overdue) == (2, 1, 1)
    html = login_as("client").get("/").get_data(as_text=True)
    assert "Your engagements" in html and "A support package" in html and "B support package" not in html
    assert "1 of 2 milestones done" in html and "1 overdue" in html
    assert f'href="/reports/progress/{world.engagement_a.id}"' in html
    assert "Capacity this month" not in html and "Your week" not in html
