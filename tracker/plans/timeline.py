"""The plan's timeline: milestones placed in the twelve months from the
engagement's start, with an "Earlier" or "Later" column only when needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.dates import add_months
from tracker.plans.models import Goal, Milestone

MONTHS = 12


@dataclass
class Column:
    label: str
    long_label: str
    is_current: bool = False


@dataclass
class Row:
    goal: Goal
    milestone: Milestone
    column: int
    flag: str | None


@dataclass
class Timeline:
    first: date
    columns: list[Column]
    rows: list[Row]


def plan_timeline(goals: list[Goal], start: date, today: date) -> Timeline:
    first = start.replace(day=1)
    end = add_months(first, MONTHS)
    milestones = [(g, m) for g in goals for m in g.milestones]
    before = any(m.due_on < first for _, m in milestones)
    after = any(m.due_on >= end for _, m in milestones)
    columns = [Column("Earlier", f"before {first:%B %Y}", today < first)] if before else []
    offset = len(columns)
    for i in range(MONTHS):
        month = add_months(first, i)
        columns.append(Column(f"{month:%b}", f"{month:%B %Y}", month <= today < add_months(month, 1)))
    if after:
        columns.append(Column("Later", f"from {end:%B %Y}", today >= end))

    def column_of(due: date) -> int:
        if due < first:
            return 0
        if due >= end:
            return len(columns) - 1
        return offset + (due.year - first.year) * 12 + due.month - first.month

    rows = [Row(g, m, column_of(m.due_on), m.flag(today)) for g, m in milestones]
    return Timeline(first, columns, rows)
