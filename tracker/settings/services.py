"""Lead-authority settings with history.

A setting is a key with values that each apply from a date; the value in force
on a day is the latest one whose ``effective_from`` is on or before it. The
default day rate is one such setting: £500.00 from the Executive Board's
approval (15 December 2011).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.audit import services as audit
from tracker.dates import check_date
from tracker.errors import ValidationFailed
from tracker.extension_points import extension_points
from tracker.money import money
from tracker.settings.models import Setting

#: Limits the form takes from here.
VALUE_MAX = 2000  # a text setting
NOTE_MAX = 255

@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: str  # "money", "int", "text"
    default: str
    help: str = ""

    def parse(self, raw: str) -> str:
        text = (raw or "").strip()
        if self.kind == "money":
            try:
                value = money(text)
            except ValueError:
                raise ValidationFailed.for_field("value", f"{self.label} must be an amount such as 500.00.") from None
            if value <= 0:
                raise ValidationFailed.for_field("value", f"{self.label} must be more than zero.")
            return str(value)
        if self.kind == "int":
            if not text.isdigit() or not (0 < int(text) <= 365):
                raise ValidationFailed.for_field("value", f"{self.label} must be a whole number from 1 to 365.")
            return str(int(text))
        if len(text) > VALUE_MAX:
            raise ValidationFailed.for_field("value", f"{self.label} is too long ({VALUE_MAX:,} characters at most).")
        return text


DAY_RATE = SettingSpec(
    "day_rate",
    "Default day rate (£ per person per day)",
    "money",
    "500.00",
    "Copied onto each new engagement; approved by the Executive Board.",
)

#: The date the Executive Board approved £500 per person per day (seed 001).
DAY_RATE_APPROVED_ON = date(2011, 12, 15)


def specs() -> dict[str, SettingSpec]:
    """The settings the lead authority keeps: the day rate, and those the
    features declare in their init_app (billing's invoicing settings)."""
    return extension_points().settings


def spec(key: str) -> SettingSpec:
    try:
        return specs()[key]
    except KeyError:
        raise ValidationFailed.for_field("key", f"Unknown setting {key!r}.") from None


def value_on(session: Session, key: str, on: date) -> str:
    """The value in force on a date (the default when none has been set)."""
    stmt = (
        sa.select(Setting.value)
        .where(Setting.key == key, Setting.effective_from <= on)
        .order_by(Setting.effective_from.desc())
        .limit(1)
    )
    found = session.scalar(stmt)
    return found if found is not None else spec(key).default


def day_rate_on(session: Session, on: date) -> Decimal:
    return money(value_on(session, DAY_RATE.key, on))


def history(session: Session, key: str) -> list[Setting]:
    stmt = sa.select(Setting).where(Setting.key == key).order_by(Setting.effective_from.desc())
    return list(session.scalars(stmt))


def set_value(session: Session, key: str, raw: str, effective_from: date, actor, note: str = "") -> Setting:
    """Record a value applying from a date; replaces one set for the same date."""
    the_spec = spec(key)
    if effective_from is None:
        raise ValidationFailed.for_field("effective_from", "Say from which date the value applies.")
    check_date(effective_from, "effective_from")
    value = the_spec.parse(raw)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed.for_field("note", f"Use at most {NOTE_MAX} characters.")
    row = session.scalar(sa.select(Setting).where(Setting.key == key, Setting.effective_from == effective_from))
    before = {"value": row.value} if row else None
    if row is None:
        row = Setting(key=key, effective_from=effective_from)
        session.add(row)
    row.value = value
    row.note = note
    row.changed_by_id = getattr(actor, "id", None)
    session.flush()
    audit.record(
        session, actor, "update" if before else "create", "setting", f"{key}@{effective_from.isoformat()}",
        before, {"value": value, "effective_from": effective_from, "note": row.note},
    )
    session.commit()
    return row


def ensure_defaults(session: Session) -> None:
    """Seed the default day rate history (idempotent; used by demo and tests)."""
    exists = session.scalar(sa.select(sa.func.count()).select_from(Setting).where(Setting.key == DAY_RATE.key))
    if not exists:
        session.add(
            Setting(
                key=DAY_RATE.key,
                value=DAY_RATE.default,
                effective_from=DAY_RATE_APPROVED_ON,
                note="Executive Board, 15 December 2011: £500 per person per day approved.",
            )
        )
        session.commit()
