"""Months: the first of a month, month arithmetic, 'YYYY-MM' in requests and in SQL;
and the range of dates the tracker accepts.

Reports, day lists, plans and the demo all count in calendar months; this is
the one place that knows how.

Dates run from 1 January 2000 to 31 December 2100 (EARLIEST..LATEST). Outside
that they are not real commissioning work, and near year 9999 date arithmetic
(next month, the forward look, a week later) overflows; so every place that
turns text into a month or a date it computes with checks here, and the
refusal names the field (422) instead of failing later.
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


EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def out_of_range_message() -> str:
    return f"Give a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def check_date(value: date, field: str) -> date:
    """``value`` itself, or ValidationFailed naming ``field``."""
    if not in_range(value):
        raise ValidationFailed.for_field(field, out_of_range_message())
    return value


def check_fields(fields: dict[str, str], **values) -> None:
    """Add a message to ``fields`` for each date given (name=value) out of range."""
    for name, value in values.items():
        if isinstance(value, date) and not in_range(value) and name not in fields:
            fields[name] = out_of_range_message()


def parse_month(raw: str | None, default: date | None = None, field: str = "month") -> date | None:
    """'YYYY-MM' as the first of that month; empty gives ``default``'s month (or None).

    ValidationFailed naming ``field`` when malformed or outside EARLIEST..LATEST.
    """
    if not raw:
        return None if default is None else month_start(default)
    try:
        year_text, month_text = raw.strip().split("-")
        if len(year_text) != 4 or not year_text.isdigit() or not month_text.isdigit():
            raise ValueError
        first = date(int(year_text), int(month_text), 1)
    except ValueError:
        raise ValidationFailed.for_field(field, "Give the month as YYYY-MM.") from None
    if not in_range(first):
        raise ValidationFailed.for_field(field, f"Give a month between {EARLIEST:%Y-%m} and {LATEST:%Y-%m}.")
    return first


def month_of_key(key) -> date:
    """The first of the month a 'YYYY-MM' key (or an ISO date) names."""
    year, month = str(key)[:7].split("-")
    return date(int(year), int(month), 1)


def month_key(session: Session, column):
    """'YYYY-MM' of a date column, in SQL."""
    if session.get_bind().dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")
