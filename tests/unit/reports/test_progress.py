"""The client progress report's figures, worked by hand.

Seed (tests.factories.seed_days): 20 delivered days on engagement A at £500:
Sam One 10 scoping; Kim Two 6 training + 4 mentoring = £10,000.00 against an
estimate of 20–30 days = £10,000.00–£15,000.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.factories import TODAY, day, draft, goal, issued, milestone, sap_response, sap_round, seed_days
from tracker.days.models import Activity
from tracker.reports.progress.report import activity_table, progress_report


def test_days_and_income_by_activity_against_the_estimate(session, world):
    seed_days(session, world)
    report = progress_report(session, world.engagement_a, TODAY)
    rows = {r.activity: r for r in report.activities}
    assert list(rows) == [Activity.SCOPING, Activity.TRAINING, Activity.MENTORING]  # the activities' own order
    assert rows[Activity.SCOPING].days_delivered == Decimal("10.00")
    assert rows[Activity.SCOPING].income_delivered == Decimal("5000.00")
    assert rows[Activity.TRAINING].days_delivered == Decimal("6.00")
    assert rows[Activity.TRAINING].income_delivered == Decimal("3000.00")
    assert rows[Activity.MENTORING].income_delivered == Decimal("2000.00")
    assert report.figures.days_delivered == Decimal("20.00")
    assert report.figures.income_delivered == Decimal("10000.00")
    assert (report.figures.estimate_low, report.figures.estimate_high) == (Decimal("20.00"), Decimal("30.00"))
    assert report.estimate_low_value == Decimal("10000.00")
    assert report.estimate_high_value == Decimal("15000.00")
    assert report.share_of_high(report.figures.days_delivered) == Decimal("66.7")  # 20 / 30
    assert report.income_invoiced == Decimal("0.00")


def test_planned_days_invoiced_income_and_the_next_five_bookings(session, world):
    seed_days(session, world)
    issued(session, world.client_a, up_to=date(2026, 9, 30))  # the seed: every day is in September
    s1, s2, e = world.staff["s1"], world.staff["s2"], world.engagement_a
    day(session, e, s1, date(2026, 11, 20), "1", "tools", state="planned")  # before today: not "next"
    day(session, e, s1, date(2026, 11, 25), "0.5", "training", state="planned")
    day(session, e, s2, date(2026, 11, 25), "1", "mentoring", state="planned")
    day(session, e, s1, date(2026, 12, 2), "1", "action_planning", state="planned")
    day(session, e, s2, date(2026, 12, 3), "0.25", "tools", state="planned")
    day(session, e, s1, date(2026, 12, 9), "1", "tools", state="planned")
    day(session, e, s2, date(2026, 12, 10), "1", "tools", state="planned")  # the sixth: left off
    report = progress_report(session, e, TODAY)
    # September weekdays from 1 Sept: 1–4, 7–11, 14 = 10 days each for two people, all in September.
    assert report.income_invoiced == Decimal("10000.00")
    assert report.figures.days_planned == Decimal("5.75")  # 1 + 0.5 + 1 + 1 + 0.25 + 1 + 1
    assert [(d.worked_on, d.staff_name, d.activity, d.days) for d in report.next_days] == [
        (date(2026, 11, 25), "Kim Two", Activity.MENTORING, Decimal("1.00")),
        (date(2026, 11, 25), "Sam One", Activity.TRAINING, Decimal("0.50")),
        (date(2026, 12, 2), "Sam One", Activity.ACTION_PLANNING, Decimal("1.00")),
        (date(2026, 12, 3), "Kim Two", Activity.TOOLS, Decimal("0.25")),
        (date(2026, 12, 9), "Sam One", Activity.TOOLS, Decimal("1.00")),
    ]
    tools = next(r for r in report.activities if r.activity == Activity.TOOLS)
    assert (tools.days_delivered, tools.days_planned, tools.income_delivered) == (Decimal("0.00"), Decimal("3.25"), Decimal("0.00"))


def test_section_means_by_round_key_areas_and_milestones(session, world):
    e = world.engagement_a
    base = sap_round(session, e, "Baseline", date(2026, 7, 1), ["Early help"])
    sap_response(session, base, "Board", {"1.1": 2, "1.2": 3, "2.1": 1})
    sap_response(session, base, "Executive", {"1.1": 2, "2.1": 2})
    six = sap_round(session, e, "6-month", date(2026, 11, 1), ["Disabled children", "Early help"])
    sap_response(session, six, "Board", {"1.1": 4, "1.2": 3, "2.1": 3, "3.1": 2})
    g = goal(session, e, standard_codes=["1.1"])
    milestone(session, g, "Done one", due_on=date(2026, 10, 1), status="done")
    milestone(session, g, "Late one", due_on=date(2026, 11, 1))
    milestone(session, g, "Soon one", due_on=date(2026, 12, 1), status="in_progress")
    milestone(session, g, "Later one", due_on=date(2027, 3, 1))
    milestone(session, g, "Dropped one", due_on=date(2026, 9, 1), status="dropped")
    report = progress_report(session, e, TODAY)
    assert [r.label for r in report.rounds] == ["Baseline", "6-month"]
    baseline, six_month = report.rounds
    assert baseline.mean(1) == Decimal("2.33")  # (2 + 3 + 2) / 3
    assert baseline.mean(2) == Decimal("1.50")  # (1 + 2) / 2
    assert baseline.mean(3) is None
    assert six_month.mean(1) == Decimal("3.50")  # (4 + 3) / 2
    assert six_month.mean(2) == Decimal("3.00")
    assert six_month.mean(3) == Decimal("2.00")
    assert sorted(report.section_titles) == [1, 2, 3]
    assert report.key_areas == ["Disabled children", "Early help"]
    m = report.milestones
    assert (m.milestones, m.done, m.dropped, m.overdue, m.due_soon) == (5, 1, 1, 1, 1)
    assert (report.milestones_total, report.milestones_open) == (4, 3)


def test_an_engagement_with_nothing_yet(session, world):
    report = progress_report(session, world.engagement_b, TODAY)
    assert report.activities == [] and report.rounds == [] and report.next_days == []
    assert report.key_areas == [] and report.milestones_total == 0
    assert report.figures.income_delivered == Decimal("0.00")


def test_the_export_table_adds_up(session, world):
    seed_days(session, world)
    columns, rows, totals = activity_table(progress_report(session, world.engagement_a, TODAY))
    assert [c.key for c in columns] == ["activity", "days_delivered", "days_planned", "income_delivered"]
    assert sum(r["income_delivered"] for r in rows) == totals["income_delivered"] == Decimal("10000.00")
    assert sum(r["days_delivered"] for r in rows) == totals["days_delivered"] == Decimal("20.00")


def test_a_draft_is_not_invoiced_income(session, world):
    seed_days(session, world)
    issued(session, world.client_a, up_to=date(2026, 9, 30))
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 6), "1", "tools")
    draft(session, world.client_a, up_to=date(2026, 10, 31))  # £500 on a draft, not yet invoiced
    assert progress_report(session, world.engagement_a, TODAY).income_invoiced == Decimal("10000.00")
