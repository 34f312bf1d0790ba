"""The arithmetic of an invoice, as pure functions on Decimal (never float).

The pricing rule (docs/finance.md): delivered days are priced per pricing
line, the days of one engagement, staff member, activity and calendar month
(``line_key``), as days × rate rounded half-up once per line; every report sums
those line amounts (tracker/billing/rule.py does it in SQL).

A line's net is days × rate rounded half-up to the penny; its VAT is net ×
VAT rate rounded half-up; gross is net + VAT. A document's totals are the
sums of its stored lines, never recomputed from a total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tracker.money import ZERO, line_net, money


@dataclass(frozen=True)
class Figures:
    net: Decimal
    vat: Decimal
    gross: Decimal

    def negated(self) -> Figures:
        return Figures(-self.net, -self.vat, -self.gross)


def month_of(day: date) -> int:
    """YYYYMM: the month part of a pricing line's key."""
    return day.year * 100 + day.month


def line_key(day) -> tuple:
    """The pricing line a support day (anything with engagement_id, staff_id,
    activity and worked_on) belongs to."""
    return (day.engagement_id, day.staff_id, day.activity, month_of(day.worked_on))


def vat_on(net: Decimal, vat_rate: Decimal | None) -> Decimal:
    """VAT on one line's net, half-up to the penny; nothing when outside the scope."""
    if vat_rate is None:
        return ZERO
    return money(net * vat_rate)


def price_line(days: Decimal, rate: Decimal, vat_rate: Decimal | None) -> Figures:
    net = line_net(days, rate)
    vat = vat_on(net, vat_rate)
    return Figures(net, vat, net + vat)


def total(lines: Iterable) -> Figures:
    """The sums of lines' stored net, vat and gross."""
    net = vat = gross = ZERO
    for line in lines:
        net += line.net
        vat += line.vat
        gross += line.gross
    return Figures(net, vat, gross)
