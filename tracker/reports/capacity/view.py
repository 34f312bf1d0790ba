"""The capacity review page at scale: who needs a manager's eye first.

A large shared service has thousands of staff, most of them green. The page
lists the red and amber people first (red before amber, highest share first),
can be narrowed to one team or service, and shows the green majority only on
demand, a page at a time. The totals stay those of the whole report (everyone
the review covers); a team filter adds that team's own totals beside them.
The report itself — and so the signed snapshot and the CSV/XLSX export — still
holds every person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from tracker import results_cache
from tracker.cache_scope import ALL_DATA
from tracker.errors import ValidationFailed
from tracker.pagination import Page
from tracker.reports.capacity.report import CapacityReport, StaffRow, Totals, capacity_report, refreshed, totals_of
from tracker.staff.services import TEAM_MAX

GREEN_PER_PAGE = 100
#: Red and amber people a page: in a heavily loaded month most of 3,000 staff may be flagged.
FLAGGED_PER_PAGE = 50  # as every list: a screenful to act on
_FLAG_ORDER = {"red": 0, "amber": 1}


@dataclass(frozen=True)
class CapacityView:
    team: str  # "" = every team
    teams: list[str]
    flagged_page: Page  # red, then amber: a page of them (?flagged_page=N)
    greens: Page | None  # None while folded
    green_count: int
    team_totals: Totals | None  # only when a team is chosen
    counts: dict[str, int]  # of the people shown (the team, or everyone)

    @property
    def flagged(self) -> list[StaffRow]:
        return self.flagged_page.items


def live_report(session: Session, month: date, *, forward: bool = True) -> CapacityReport:
    """The month's live figures, kept per worker: when only some support days changed, just
    those staff members' rows and those engagements' forward parts are read again."""
    return results_cache.cached(session, "capacity-report", (month, forward),
                                lambda: capacity_report(session, month, forward=forward), scope=ALL_DATA,
                                refresh=lambda report, changes: refreshed(session, report, changes))


def team_arg(raw: str | None) -> str:
    team = " ".join((raw or "").split())
    if len(team) > TEAM_MAX:
        raise ValidationFailed.for_field("team", f"A team name has at most {TEAM_MAX} characters.")
    return team


def _urgency(row: StaffRow):
    # No capacity but outside days (share None) is the most urgent red.
    return (_FLAG_ORDER[row.flag], -(row.share if row.share is not None else Decimal("Infinity")), row.name)


def capacity_view(report: CapacityReport, team: str = "", show_green: bool = False, page: int = 1,
                  per_page: int = GREEN_PER_PAGE, flagged_page: int = 1) -> CapacityView:
    teams = sorted({r.team for r in report.rows if r.team})
    rows = [r for r in report.rows if r.team == team] if team else report.rows
    flagged = sorted((r for r in rows if r.flag != "green"), key=_urgency)
    greens = [r for r in rows if r.flag == "green"]  # the report's order: by name
    counts = {"red": 0, "amber": 0, "green": len(greens)}
    for r in flagged:
        counts[r.flag] += 1
    shown = None
    if show_green:
        start = (page - 1) * per_page
        shown = Page(items=greens[start:start + per_page], total=len(greens), page=page, per_page=per_page)
    first = (flagged_page - 1) * FLAGGED_PER_PAGE
    flagged_shown = Page(items=flagged[first:first + FLAGGED_PER_PAGE], total=len(flagged), page=flagged_page,
                         per_page=FLAGGED_PER_PAGE)
    return CapacityView(team=team, teams=teams, flagged_page=flagged_shown, greens=shown, green_count=len(greens),
                        team_totals=totals_of(rows) if team else None, counts=counts)
