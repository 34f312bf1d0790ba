"""Invoice rules for `flask check` (docs/data-model.md rules 2–3): no day on two live
invoices, every total the sum of its stored lines, gap-free numbers, payments
and refunds adding up (a refund never passes the credit balance). Each check aggregates in SQL and reports at most 50 problems."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tracker.billing.models import Invoice, InvoiceDayClaim, InvoiceKind, InvoiceLine, InvoiceLineDay, InvoiceStatus, NumberSeries, Payment, Refund
from tracker.database import dsum
from tracker.days.models import DayState, SupportDay

LIMIT = 50
_NUMBER = re.compile(r"^(?P<prefix>.+)-(?P<year>\d{4})-(?P<value>\d+)$")


def _live_lines():
    """Invoice (not credit-note) lines that no credit-note line cancels."""
    credit = aliased(InvoiceLine)
    return (
        sa.select(InvoiceLine.id)
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.kind == InvoiceKind.INVOICE)
        .where(~sa.exists().where(credit.credits_line_id == InvoiceLine.id))
    )


def no_day_on_two_live_invoices(session: Session) -> list[str]:
    stmt = (
        sa.select(InvoiceLineDay.support_day_id, sa.func.count().label("n"))
        .where(InvoiceLineDay.line_id.in_(_live_lines()), InvoiceLineDay.support_day_id.is_not(None))
        .group_by(InvoiceLineDay.support_day_id)
        .having(sa.func.count() > 1)
        .limit(LIMIT)
    )
    problems = [f"support day {r.support_day_id} is on {r.n} live invoice lines" for r in session.execute(stmt)]
    unclaimed = (
        sa.select(SupportDay.id)
        .where(SupportDay.state == DayState.INVOICED, SupportDay.written_off.is_(False))
        .where(~sa.exists().where(InvoiceDayClaim.support_day_id == SupportDay.id))
        .limit(LIMIT)
    )
    problems += [f"support day {i} is marked invoiced but no live invoice holds it" for i in session.scalars(unclaimed)]
    return problems


def totals_are_sum_of_lines(session: Session) -> list[str]:
    lines = (
        sa.select(
            InvoiceLine.invoice_id,
            dsum(InvoiceLine.net).label("net"), dsum(InvoiceLine.vat).label("vat"), dsum(InvoiceLine.gross).label("gross"),
        )
        .group_by(InvoiceLine.invoice_id)
        .subquery()
    )
    net, vat, gross = (sa.func.coalesce(lines.c[name], 0) for name in ("net", "vat", "gross"))
    # Whole pennies: SQLite keeps NUMERIC sums as binary floats.
    pennies = lambda a, b: sa.func.round(a * 100) != sa.func.round(b * 100)  # noqa: E731
    stmt = (
        sa.select(Invoice.id, Invoice.number, Invoice.net, Invoice.vat, Invoice.gross, net.label("lnet"),
                  vat.label("lvat"), gross.label("lgross"))
        .outerjoin(lines, lines.c.invoice_id == Invoice.id)
        .where(sa.or_(pennies(Invoice.net, net), pennies(Invoice.vat, vat), pennies(Invoice.gross, gross)))
        .limit(LIMIT)
    )
    return [
        f"invoice {r.number or r.id}: stored net/VAT/gross {r.net}/{r.vat}/{r.gross}, lines add up to "
        f"{r.lnet}/{r.lvat}/{r.lgross}"
        for r in session.execute(stmt)
    ]


def payments_add_up(session: Session) -> list[str]:
    paid = sa.select(Payment.invoice_id, dsum(Payment.amount).label("paid")).group_by(Payment.invoice_id).subquery()
    total = sa.func.coalesce(paid.c.paid, 0)
    stmt = (
        sa.select(Invoice.id, Invoice.number, Invoice.paid, total.label("sum"))
        .outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .where(sa.func.round(Invoice.paid * 100) != sa.func.round(total * 100))
        .limit(LIMIT)
    )
    return [f"invoice {r.number or r.id}: paid {r.paid} but payments add up to {r.sum}" for r in session.execute(stmt)]


def refunds_add_up(session: Session) -> list[str]:
    refunded = sa.select(Refund.invoice_id, dsum(Refund.amount).label("refunded")).group_by(Refund.invoice_id).subquery()
    total = sa.func.coalesce(refunded.c.refunded, 0)
    stmt = (
        sa.select(Invoice.id, Invoice.number, Invoice.refunded, total.label("sum"),
                  (Invoice.gross - Invoice.credited - Invoice.paid + Invoice.refunded).label("balance"))
        .outerjoin(refunded, refunded.c.invoice_id == Invoice.id)
        .where(sa.or_(sa.func.round(Invoice.refunded * 100) != sa.func.round(total * 100),
                      sa.and_(Invoice.refunded > 0,
                              sa.func.round((Invoice.gross - Invoice.credited - Invoice.paid + Invoice.refunded) * 100) > 0)))
        .limit(LIMIT)
    )
    return [f"invoice {r.number or r.id}: refunded {r.refunded}, refunds add up to {r.sum}, balance {r.balance}"
            for r in session.execute(stmt)]


def numbers_are_gap_free(session: Session) -> list[str]:
    series: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    problems: list[str] = []
    stmt = sa.select(Invoice.kind, Invoice.number).where(Invoice.status != InvoiceStatus.DRAFT)
    for kind, number in session.execute(stmt.execution_options(yield_per=5000)):
        match = _NUMBER.match(number or "")
        if match is None:
            problems.append(f"issued {kind.value} has an unreadable number {number!r}")
            continue
        series[(kind.value, match["prefix"], int(match["year"]))].append(int(match["value"]))
    counters = {key: value for key, value in session.execute(sa.select(NumberSeries.key, NumberSeries.next_value))}  # noqa: C416 (Result has keys())
    keys = {f"{kind}:{prefix}:{year}": (kind, prefix, year) for kind, prefix, year in series}
    for key in counters:
        kind, _, rest = key.partition(":")
        prefix, _, year = rest.rpartition(":")
        keys.setdefault(key, (kind, prefix, int(year) if year.isdigit() else 0))
    for key, (kind, prefix, year) in sorted(keys.items()):
        values = sorted(series.get((kind, prefix, year), []))
        expected = list(range(1, len(values) + 1))
        label = f"{kind} series {prefix}-{year}"
        if values != expected:
            missing = sorted(set(expected) - set(values))[:10]
            repeated = sorted(v for v, n in Counter(values).items() if n > 1)[:10]
            problems.append(f"{label}: numbers are not 1..{len(values)} (missing {missing}, repeated {repeated})")
        counter = counters.get(key)
        if counter is not None and counter != len(values) + 1:
            problems.append(f"{label}: next number is {counter} but {len(values)} were issued")
    return problems[:LIMIT]


#: This module's rules for `flask check`, in the order they run.
CHECKS = (
    ("no day on two live invoices", no_day_on_two_live_invoices),
    ("invoice totals are the sum of their lines", totals_are_sum_of_lines),
    ("payments add up to each invoice's paid figure", payments_add_up),
    ("invoice and credit-note numbers are gap-free", numbers_are_gap_free),
    ("refunds add up to each invoice's refunded figure and never pass its credit balance", refunds_add_up),
)
