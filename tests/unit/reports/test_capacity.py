"""Capacity review figures against hand-computed values (data: tests.factories.add_capacity_days)."""

from datetime import date
from decimal import Decimal

from tests.factories import day
from tracker.reports.capacity import report as capacity

NOV = date(2026, 11, 1)


def test_per_person_figures_and_flags(session, capacity_world):
    report = capacity.capacity_report(session, date(2026, 11, 17))
    rows = {r.name: r for r in report.rows}
    s1 = rows["Sam One"]
    # 2.5 delivered + 1.25 planned = 3.75 of 18 days = 20.83% > 20% cap
    assert (s1.external_delivered, s1.external_planned, s1.share, s1.flag) == (
        Decimal("2.50"), Decimal("1.25"), Decimal("0.2083"), "red")
    s2 = rows["Kim Two"]
    # 2.5 of 15 = 16.67%: over 80% of a 20% cap (16%), not over it
    assert (s2.external_delivered, s2.external_planned, s2.share, s2.flag) == (
        Decimal("2.00"), Decimal("0.50"), Decimal("0.1667"), "amber")
    s3 = rows["Lee Three"]
    assert (s3.share, s3.flag, s3.allowed_days) == (Decimal("0.0000"), "green", Decimal("1.00"))


def test_team_totals(session, capacity_world):
    report = capacity.capacity_report(session, NOV)
    assert report.capacity_days == Decimal("43.00")
    assert (report.external_delivered, report.external_planned) == (Decimal("4.50"), Decimal("1.75"))
    assert report.share == Decimal("0.1453")        # 6.25 / 43
    assert report.cap_share == Decimal("0.1767")    # (3.6 + 3.0 + 1.0) / 43
    assert report.flag == "amber"                   # 0.1453 > 0.8 × 0.1767
    assert report.counts() == {"red": 1, "amber": 1, "green": 1}


def test_forward_look_spreads_remaining_estimates(session, capacity_world):
    report = capacity.capacity_report(session, NOV)
    dec, jan, feb = report.forward
    assert feb.estimated_remaining == Decimal("8.63")
    assert [f.month for f in report.forward] == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1)]
    # A: 30 − 5.75 used = 24.25 over Dec–May (6) ; B: 30 − 2.5 = 27.5 over 6 → 8.625 a month
    assert dec.planned == Decimal("1.00") and dec.estimated_remaining == Decimal("8.63")
    assert dec.capacity_allowed == Decimal("7.60")
    assert dec.total == Decimal("9.63") and dec.share == Decimal("1.2671") and dec.flag == "red"
    assert jan.planned == Decimal("0.00") and jan.total == Decimal("8.63") and jan.flag == "red"


def test_inactive_staff_drop_out_unless_they_have_days(session, capacity_world):
    capacity_world.staff["s3"].active = False
    session.commit()
    names = [r.name for r in capacity.capacity_report(session, NOV).rows]
    assert "Lee Three" not in names


def test_a_month_without_days_is_all_green(session, capacity_world):
    report = capacity.capacity_report(session, date(2026, 8, 1))
    assert {r.flag for r in report.rows} == {"green"} and report.share == Decimal("0.0000")


def test_snapshot_round_trips(session, capacity_world):
    report = capacity.capacity_report(session, NOV)
    assert capacity.from_snapshot(capacity.to_snapshot(report)) == report


def test_forward_planned_days_fall_in_their_own_months_at_the_edges(session, capacity_world):
    b, s2 = capacity_world.engagement_b, capacity_world.staff["s2"]
    for on, days in ((date(2026, 12, 31), "0.5"), (date(2027, 1, 4), "0.25"), (date(2027, 1, 29), "0.75"),
                     (date(2027, 2, 1), "1"), (date(2027, 2, 26), "0.5"), (date(2027, 3, 1), "1")):
        day(session, b, s2, on, days, state="planned")
    dec, jan, feb = capacity.capacity_report(session, NOV).forward
    assert (dec.planned, jan.planned, feb.planned) == (Decimal("1.50"), Decimal("1.00"), Decimal("1.50"))  # not March's
