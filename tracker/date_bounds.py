"""The range of dates the tracker accepts: 1 January 2000 to 31 December 2100.

Dates outside it are not real commissioning work, and near year 9999 date
arithmetic (next month, the forward look, a week later) overflows. Every
place that turns text into a month or a date it will compute with checks
here, so the refusal names the field (422) instead of failing later.
"""

from __future__ import annotations

from datetime import date

from tracker.errors import ValidationFailed

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
RANGE_TEXT = f"between {EARLIEST:%Y-%m} and {LATEST:%Y-%m}"


def in_range(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def out_of_range_message(value: date | None = None) -> str:
    return f"Give a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."


def check_date(value: date, field: str) -> date:
    """``value`` itself, or ValidationFailed naming ``field``."""
    if not in_range(value):
        raise ValidationFailed.for_field(field, out_of_range_message(value))
    return value


def check_fields(fields: dict[str, str], **values) -> None:
    """Add a message to ``fields`` for each date given (name=value) out of range."""
    for name, value in values.items():
        if isinstance(value, date) and not in_range(value) and name not in fields:
            fields[name] = out_of_range_message(value)


def parse_month(raw: str, field: str = "month") -> date:
    """'YYYY-MM' → its first day; ValidationFailed naming ``field`` if malformed or out of range."""
    try:
        year_text, month_text = raw.strip().split("-")
        if len(year_text) != 4 or not year_text.isdigit() or not month_text.isdigit():
            raise ValueError
        first = date(int(year_text), int(month_text), 1)
    except (ValueError, AttributeError):
        raise ValidationFailed.for_field(field, "Give the month as YYYY-MM.") from None
    if not in_range(first):
        raise ValidationFailed.for_field(field, f"Give a month {RANGE_TEXT}.")
    return first
