"""Months: the first of a month, month arithmetic, 'YYYY-MM' in requests and in SQL.

Reports, day lists, plans and the demo all count in calendar months; this is
the one place that knows how.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.errors import ValidationFailed


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before, if negative) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(raw: str | None, default: date | None = None) -> date | None:
    """'YYYY-MM' as the first of that month; empty gives ``default``'s month (or None)."""
    if not raw:
        return None if default is None else month_start(default)
    try:
        year, month = (int(p) for p in raw.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValidationFailed.for_field("month", "Give the month as YYYY-MM.") from None


def month_of_key(key) -> date:
    """The first of the month a 'YYYY-MM' key (or an ISO date) names."""
    year, month = str(key)[:7].split("-")
    return date(int(year), int(month), 1)


def month_key(session: Session, column):
    """'YYYY-MM' of a date column, in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")
