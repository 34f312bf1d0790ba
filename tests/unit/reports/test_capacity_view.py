"""The capacity review at scale: flagged people first, a team filter, the green
majority folded, totals over everyone, the signed snapshot complete."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.factories import staff_member
from tracker.errors import ValidationFailed
from tracker.reports.capacity import report as capacity
from tracker.reports.capacity import reviews
from tracker.reports.capacity.report import CapacityReport, StaffRow
from tracker.reports.capacity.view import capacity_view, team_arg, totals_of
from tracker.staff import services as staff

NOV = date(2026, 11, 1)
D = Decimal


def row(i, flag, share, team="", capacity_days="18", cap="0.20"):
    committed = (D(share) * D(capacity_days)).quantize(D("0.01"))
    return StaffRow(i, f"Person {i:03d}", "Commissioner", D(capacity_days), committed, D("0.00"), D(share), D(cap),
                    flag, team)


def report_of(rows):
    return CapacityReport(NOV, rows, D("999"), D("1"), D("2"), D("0.0030"), D("0.2000"), "green", [])


def sample():
    rows = [row(i, "green", "0.0500", team="Early Help" if i % 2 else "Short Breaks") for i in range(1, 231)]
    rows += [row(900, "amber", "0.1800", "Early Help"), row(901, "red", "0.2500", "Short Breaks"),
             row(902, "red", "0.4000", "Early Help"), row(903, "amber", "0.1700", "Short Breaks")]
    return report_of(rows)


def test_red_then_amber_highest_share_first_and_greens_folded():
    view = capacity_view(sample())
    assert [r.staff_id for r in view.flagged] == [902, 901, 900, 903]
    assert view.greens is None and view.green_count == 230
    assert view.counts == {"red": 2, "amber": 2, "green": 230}
    assert view.teams == ["Early Help", "Short Breaks"] and view.team_totals is None


def test_greens_on_demand_a_page_at_a_time_in_name_order():
    page1 = capacity_view(sample(), show_green=True, page=1).greens
    page3 = capacity_view(sample(), show_green=True, page=3).greens
    assert (page1.total, page1.pages, len(page1.items)) == (230, 3, 100)
    assert [r.staff_id for r in page1.items[:3]] == [1, 2, 3]
    assert [r.staff_id for r in page3.items] == list(range(201, 231))


def test_team_filter_keeps_the_whole_report_and_adds_the_teams_totals():
    report = sample()
    view = capacity_view(report, "Early Help")
    assert [r.staff_id for r in view.flagged] == [902, 900]
    assert view.green_count == 115 and view.counts == {"red": 1, "amber": 1, "green": 115}
    team = view.team_totals
    assert team.people == 117
    assert team.capacity_days == D(18 * 117)
    # 115 × 0.90 + 7.20 + 3.24 outside days of 2,106 capacity days
    assert team.external_delivered == D("103.50") + D("7.20") + D("3.24")
    assert team.share == D("0.0541") and team.cap_share == D("0.2000") and team.flag == "green"
    assert len(report.rows) == 234 and report.capacity_days == D("999")  # the report is untouched


def test_a_team_with_no_one_shows_nothing_but_is_not_an_error():
    view = capacity_view(sample(), "Nobody's Team")
    assert view.flagged == [] and view.green_count == 0 and view.team_totals.people == 0
    assert view.team_totals.share is None


def test_team_argument_is_tidied_and_bounded():
    assert team_arg("  Early   Help ") == "Early Help" and team_arg(None) == ""
    with pytest.raises(ValidationFailed) as caught:
        team_arg("x" * 81)
    assert "team" in caught.value.fields


def test_totals_of_rows_match_the_reports_own_totals(session, capacity_world):
    report = capacity.capacity_report(session, NOV)
    totals = totals_of(report.rows)
    assert (totals.capacity_days, totals.share, totals.cap_share, totals.flag) == (
        report.capacity_days, report.share, report.cap_share, report.flag)


def test_staff_team_is_stored_tidied_and_checked(session, world):
    member = staff_member(session, "Tia Team", team="  Early   Help ")
    assert member.team == "Early Help"
    with pytest.raises(ValidationFailed) as caught:
        staff.update_staff(session, None, member, staff.StaffInput(name="Tia Team", email=member.email, team="y" * 81))
    assert "team" in caught.value.fields
    session.rollback()
    assert staff.staff_teams(session) == ["Early Help"]


def test_report_rows_carry_the_team_and_the_signed_snapshot_keeps_everyone(session, capacity_world):
    s1 = capacity_world.staff["s1"]
    staff.update_staff(session, None, s1, staff.StaffInput(name=s1.name, email=s1.email, team="Early Help",
                                                            monthly_capacity_days=s1.monthly_capacity_days,
                                                            external_cap_share=s1.external_cap_share))
    live = capacity.capacity_report(session, NOV)
    assert {r.name: r.team for r in live.rows}["Sam One"] == "Early Help"
    review = reviews.save_review(session, None, NOV, reviews.ReviewInput(date(2026, 11, 23), decisions="Hold"),
                                 date(2026, 11, 23))
    reviews.sign_review(session, None, review, datetime(2026, 11, 23, 12, tzinfo=UTC), True)
    signed = reviews.report_of(session, review, NOV)
    assert [(r.staff_id, r.flag, r.team) for r in signed.rows] == [(r.staff_id, r.flag, r.team) for r in live.rows]
    assert len(signed.rows) == 3


def test_snapshots_signed_before_teams_existed_still_load():
    data = capacity.to_snapshot(sample())
    for r in data["rows"]:
        del r["team"]
    loaded = capacity.from_snapshot(data)
    assert len(loaded.rows) == 234 and {r.team for r in loaded.rows} == {""}


def test_flagged_people_are_paged_too(monkeypatch):
    """In a heavily loaded month most of a large service may be red or amber: a page at a time."""
    from tracker.reports.capacity import view as capacity_views

    monkeypatch.setattr(capacity_views, "FLAGGED_PER_PAGE", 3)
    first, second = capacity_view(sample()), capacity_view(sample(), flagged_page=2)
    assert [r.staff_id for r in first.flagged] == [902, 901, 900] and first.flagged_page.pages == 2
    assert [r.staff_id for r in second.flagged] == [903]
    assert second.counts == {"red": 2, "amber": 2, "green": 230}  # counts stay over everyone shown
