"""The one place money and days are rounded.

Money is Decimal with two places, rounded half-up; days are Decimal with two
places in quarter-day steps. Nothing here touches float.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
QUARTER = Decimal("0.25")
ZERO = Decimal("0.00")
#: No money or days figure reaches this; anything larger is refused as input, so
#: "1e999999999" is a ValueError here rather than decimal.Overflow later.
LARGEST = Decimal("1e15")


def to_decimal(value: object) -> Decimal:
    """Decimal from a str/int/Decimal; floats go through their shortest repr.

    Raises ValueError for anything that is not a finite number, or whose size
    is LARGEST or more.
    """
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # JSON numbers arrive as float; repr() is the shortest exact spelling.
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").lstrip("£")
        if not text:
            raise ValueError("empty")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError("not a number") from None
    else:
        raise ValueError("not a number")
    if not result.is_finite():
        raise ValueError("not a finite number")
    if result.adjusted() >= LARGEST.adjusted():
        raise ValueError("out of range")
    return result


def money(value: object) -> Decimal:
    """Round to the penny, half-up."""
    return to_decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def days(value: object) -> Decimal:
    """Days with two places (no rounding to quarters: callers validate steps)."""
    return to_decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def line_net(days_: Decimal, rate: Decimal) -> Decimal:
    """days × rate, rounded half-up to the penny: the net of one line."""
    return money(Decimal(days_) * Decimal(rate))


def fmt_money(value: Decimal | None) -> str:
    """'12,500.00' for pages; the stored figure, never recomputed."""
    if value is None:
        return ""
    return f"{money(value):,.2f}"


def fmt_days(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{days(value):.2f}"
