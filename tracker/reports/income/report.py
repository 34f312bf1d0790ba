"""The income report: what the lead authority earned, billed and was paid in a
period, grouped by month, client, engagement, activity or staff member.

Figures (money is Decimal throughout, sums taken in SQL with ``dsum``):

- **days / £ delivered**: billable support days of support packages in state
  delivered or invoiced, worked on in the period. £ = days × the engagement's
  day rate, priced per pricing line (rounded half-up to the penny, in integer
  SQL) and summed in the database, so every grouping has the same totals and
  its rows add up to them.
- **£ invoiced**: net of issued invoice lines less credit-note lines, by the
  document's issue date within the period, grouped by the line's engagement,
  staff member, activity and client, and by issue month.
- **£ paid**: payments received in the period less refunds paid out (negative
  receipts), as received, so VAT included where charged (gross). Payments are made against whole invoices, so they are shown
  by month (of payment), by client, and by engagement when the invoice covers
  one engagement (else in a row "Invoices covering several engagements").
  By activity and by staff member a row shows "—" (None); the totals hold.
- **outstanding**: at the end of the period, what issued invoices still owe:
  gross less credit notes issued and payments received up to that date.
  Grouped like £ paid (by month only the total: a balance belongs to no month).
- **WIP**: of the days delivered in the period, those no live invoice (draft
  or issued, uncredited) covers today, priced like £ delivered.
- **written off**: of the days delivered in the period, those credited and
  written off (never billable again), priced like £ delivered.

Delivered, WIP and written off follow the one pricing rule (docs/finance.md,
tracker/billing/rule.py): sums of pricing lines, so they equal invoice lines.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from tracker import results_cache as cache
from tracker.authorities.models import Authority
from tracker.billing import rule
from tracker.billing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payment, Refund
from tracker.cache_scope import Scope
from tracker.database import dsum
from tracker.dates import add_months, check_fields, month_key, month_of_key, month_start
from tracker.days.models import ACTIVITY_LABELS, Activity, SupportDay
from tracker.engagements.models import Engagement
from tracker.errors import ValidationFailed
from tracker.money import ZERO
from tracker.staff.models import StaffMember

GROUPINGS = {"month": "Month", "client": "Client", "engagement": "Engagement", "activity": "Activity",
             "staff": "Staff member"}
#: Groupings under which £ paid / outstanding can be attributed to a row.
PAID_BY = {"month", "client", "engagement"}
OUTSTANDING_BY = {"client", "engagement"}
SEVERAL = ""  # the row key for invoices covering several engagements
SEVERAL_LABEL = "Invoices covering several engagements"
MAX_MONTHS = 120


@dataclass(frozen=True)
class IncomeRow:
    key: str
    label: str
    days: object  # Decimal
    net_delivered: object
    net_invoiced: object
    net_paid: object  # None where payments cannot be attributed to the grouping
    outstanding: object  # likewise
    wip: object
    written_off: object = ZERO  # delivered days credited and written off (never billed again)


@dataclass(frozen=True)
class IncomeReport:
    start: date
    end: date
    by: str
    client_id: int | None
    rows: list[IncomeRow]
    totals: IncomeRow
    #: £ delivered by month and client: (month, [(client name, £), ...]) for the chart.
    chart: list[tuple[date, list[tuple[str, object]]]]

    @property
    def by_label(self) -> str:
        return GROUPINGS[self.by]


def financial_year_start(today: date) -> date:
    """1 April of the financial year (April–March) that holds today."""
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def check_period(start: date, end: date, by: str) -> None:
    fields: dict[str, str] = {}
    check_fields(fields, start=start, end=end)
    if "start" in fields or "end" in fields:
        pass  # out of range: said above
    elif end < start:
        fields["end"] = "The end date must not be before the start date."
    elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        fields["end"] = "The period can be at most ten years."
    if by not in GROUPINGS:
        fields["by"] = "Group by one of: " + ", ".join(GROUPINGS) + "."
    if fields:
        raise ValidationFailed("The report's options are not valid.", fields)


# --- delivered, WIP and written off: priced by the one rule, summed in SQL --------

def _pounds(pennies) -> Decimal:
    return (Decimal(int(pennies or 0)) / 100).quantize(Decimal("0.01"))


@functools.cache
def _delivered_statement(keys: tuple[str, ...], one_client: bool, on_sqlite: bool) -> sa.Select:
    """The pricing rule's sums by the given keys over the days from ``start`` to ``end``
    (of client ``client_id`` when one_client), as bound parameters: built once per keys,
    as building the rule's statement costs milliseconds. The month is the rule's YYYYMM
    (one GROUP BY term)."""
    columns = {"month": rule.month_number(SupportDay.worked_on), "client": Engagement.client_id,
               "engagement": SupportDay.engagement_id, "staff": SupportDay.staff_id, "activity": SupportDay.activity}
    where = [SupportDay.worked_on >= sa.bindparam("start", type_=sa.Date),
             SupportDay.worked_on <= sa.bindparam("end", type_=sa.Date)]
    if one_client:
        where.append(Engagement.client_id == sa.bindparam("client_id", type_=sa.Integer))
    return rule.priced({k: columns[k] for k in keys}, *where, dates_first=on_sqlite)


def delivered(session: Session, start: date, end: date, keys: list[str], client_id: int | None = None) -> pd.DataFrame:
    """Days and £ delivered, £ not yet on a live invoice (WIP) and £ written
    off, summed over pricing lines (tracker/billing/rule.py) grouped by the
    given keys (month, client, engagement, staff, activity)."""
    stmt = _delivered_statement(tuple(keys), bool(client_id), session.get_bind().dialect.name == "sqlite")
    params = {"start": start, "end": end} | ({"client_id": client_id} if client_id else {})

    def key(name, value):
        if name == "activity":
            return Activity(value).value
        if name == "month":
            return f"{int(value) // 100:04d}-{int(value) % 100:02d}"
        return str(value)

    records = [
        {**{k: key(k, r._mapping[k]) for k in keys}, "days": (Decimal(int(r.quarters)) / 4).quantize(Decimal("0.01")),
         "net": _pounds(r.pennies), "wip": _pounds(r.wip), "written_off": _pounds(r.written_off)}
        for r in session.execute(stmt, params)
    ]
    return pd.DataFrame.from_records(records, columns=[*keys, "days", "net", "wip", "written_off"]).astype(
        {"days": object, "net": object, "wip": object, "written_off": object})


# --- invoiced, paid, outstanding ----------------------------------------------------

def _single_engagement():
    """Per invoice: its engagement when all its lines are on one, else NULL."""
    return (
        sa.select(InvoiceLine.invoice_id.label("invoice_id"),
                  sa.case((sa.func.count(sa.distinct(InvoiceLine.engagement_id)) == 1,
                           sa.func.min(InvoiceLine.engagement_id)), else_=None).label("engagement_id"))
        .group_by(InvoiceLine.invoice_id)
        .subquery()
    )


def _grouped(key, amount) -> sa.Select:
    """SELECT key, amount ... GROUP BY key; with no key, one total under key ''."""
    if key is None:
        return sa.select(sa.null(), amount)
    return sa.select(key.label("key"), amount).group_by(key)


def _as_dict(session: Session, stmt) -> dict[str, object]:
    return {SEVERAL if key is None else str(getattr(key, "value", key)): amount
            for key, amount in session.execute(stmt)}


def invoiced(session: Session, start: date, end: date, by: str, client_id: int | None = None) -> dict[str, object]:
    key = {"month": month_key(session, Invoice.issued_on), "client": Invoice.client_id,
           "engagement": InvoiceLine.engagement_id, "activity": InvoiceLine.activity,
           "staff": InvoiceLine.staff_id}[by]
    stmt = (
        sa.select(key.label("key"), dsum(InvoiceLine.net))
        .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
        .where(Invoice.status != InvoiceStatus.DRAFT, Invoice.issued_on >= start, Invoice.issued_on <= end)
        .group_by(key)
    )
    if client_id:
        stmt = stmt.where(Invoice.client_id == client_id)
    return _as_dict(session, stmt)


def receipts() -> sa.Subquery:
    """Money received less money refunded: payments positive, refunds negative."""
    return sa.union_all(
        sa.select(Payment.invoice_id.label("invoice_id"), Payment.amount.label("amount"), Payment.paid_on.label("paid_on")),
        sa.select(Refund.invoice_id, -Refund.amount, Refund.paid_on),
    ).subquery("receipts")


def paid(session: Session, start: date, end: date, by: str | None, client_id: int | None = None) -> dict[str, object]:
    """Payments received in the period less refunds paid out (negative
    receipts); by None: one total under key ''."""
    single = _single_engagement()
    money_in = receipts()
    key = {"month": month_key(session, money_in.c.paid_on), "client": Invoice.client_id,
           "engagement": single.c.engagement_id}.get(by)
    stmt = _grouped(key, dsum(money_in.c.amount)).select_from(money_in).join(Invoice, Invoice.id == money_in.c.invoice_id)
    stmt = stmt.where(money_in.c.paid_on >= start, money_in.c.paid_on <= end)
    if by == "engagement":
        stmt = stmt.outerjoin(single, single.c.invoice_id == Invoice.id)
    if client_id:
        stmt = stmt.where(Invoice.client_id == client_id)
    return _as_dict(session, stmt)


def outstanding(session: Session, end: date, by: str | None, client_id: int | None = None) -> dict[str, object]:
    """What issued invoices still owe at the end of `end`: gross, less credit
    notes issued and payments received by then. By None: one total under ''."""
    live = Invoice.status != InvoiceStatus.DRAFT
    moves = sa.union_all(
        sa.select(Invoice.id.label("anchor"), Invoice.gross.label("amount"))
        .where(Invoice.kind == InvoiceKind.INVOICE, live, Invoice.issued_on <= end),
        sa.select(Invoice.credits_id, Invoice.gross)  # negative on a credit note
        .where(Invoice.kind == InvoiceKind.CREDIT_NOTE, live, Invoice.issued_on <= end),
        sa.select(Payment.invoice_id, -Payment.amount).where(Payment.paid_on <= end),
        sa.select(Refund.invoice_id, Refund.amount).where(Refund.paid_on <= end),
    ).subquery()
    anchor = aliased(Invoice)
    single = _single_engagement()
    key = {"client": anchor.client_id, "engagement": single.c.engagement_id}.get(by)
    stmt = _grouped(key, dsum(moves.c.amount)).select_from(moves).join(anchor, anchor.id == moves.c.anchor)
    if by == "engagement":
        stmt = stmt.outerjoin(single, single.c.invoice_id == anchor.id)
    if client_id:
        stmt = stmt.where(anchor.client_id == client_id)
    return {k: v for k, v in _as_dict(session, stmt).items() if v != 0 or by is None}


# --- the report ---------------------------------------------------------------------

def _labels(session: Session, by: str, keys) -> dict[str, str]:
    ids = [int(k) for k in keys if k and k.isdigit()]
    if by == "month":
        return {k: month_of_key(k).strftime("%B %Y") for k in keys}
    if by == "activity":
        return {k: ACTIVITY_LABELS[Activity(k)] for k in keys if k}
    if by == "client":
        stmt = sa.select(Authority.id, Authority.name).where(Authority.id.in_(ids))
    elif by == "staff":
        stmt = sa.select(StaffMember.id, StaffMember.name).where(StaffMember.id.in_(ids))
    else:
        stmt = (sa.select(Engagement.id, Engagement.title + " (" + Authority.name + ")")
                .join(Authority, Authority.id == Engagement.client_id).where(Engagement.id.in_(ids)))
    return {str(i): label for i, label in session.execute(stmt)} if ids else {}


def _period_months(start: date, end: date) -> list[str]:
    first = month_start(start)
    count = (end.year - first.year) * 12 + end.month - first.month + 1
    return [add_months(first, i).strftime("%Y-%m") for i in range(count)]


def _chart(session: Session, by_month_client: pd.DataFrame, start: date, end: date):
    months = _period_months(start, end)
    if by_month_client.empty:
        return [(month_of_key(m), []) for m in months]
    names = _labels(session, "client", set(by_month_client["client"]))
    grid = by_month_client.set_index(["month", "client"])["net"].unstack(fill_value=ZERO)
    clients = sorted(grid.columns, key=lambda c: names.get(c, c))
    grid = grid.reindex(index=months, columns=clients, fill_value=ZERO)
    cells = grid.to_dict("index")
    return [(month_of_key(m), [(names.get(c, c), cells[m][c]) for c in clients]) for m in months]


def income_report(session: Session, start: date, end: date, by: str = "month",
                  client_id: int | None = None) -> IncomeReport:
    check_period(start, end, by)
    # One scan for the chart's month × client grid; a second only when the table is grouped otherwise.
    grid = delivered(session, start, end, ["month", "client"], client_id)
    table = grid.groupby(by)[["days", "net", "wip", "written_off"]].sum() if by in ("month", "client") else (
        delivered(session, start, end, [by], client_id).set_index(by))
    delivered_by = None if table.empty else table
    billed = invoiced(session, start, end, by, client_id)
    received = paid(session, start, end, by if by in PAID_BY else None, client_id)
    owed = outstanding(session, end, by if by in OUTSTANDING_BY else None, client_id)
    keys = set(billed) | (set(delivered_by.index) if delivered_by is not None else set())
    keys |= set(received) if by in PAID_BY else set()
    keys |= set(owed) if by in OUTSTANDING_BY else set()
    if by == "month":
        keys = _period_months(start, end) + sorted(keys - set(_period_months(start, end)))
    labels = _labels(session, by, keys)
    labels[SEVERAL] = SEVERAL_LABEL
    rows = []
    found = {} if delivered_by is None else delivered_by.to_dict("index")  # one conversion, not 4 lookups a row
    nothing = {"days": ZERO, "net": ZERO, "wip": ZERO, "written_off": ZERO}
    for key in keys:
        done = found.get(key, nothing)
        rows.append(IncomeRow(
            key=key, label=labels.get(key, key), days=done["days"],
            net_delivered=done["net"], net_invoiced=billed.get(key, ZERO),
            net_paid=received.get(key, ZERO) if by in PAID_BY else None,
            outstanding=owed.get(key, ZERO) if by in OUTSTANDING_BY else None,
            wip=done["wip"], written_off=done["written_off"],
        ))
    if by != "month":
        rows.sort(key=lambda r: (r.key == SEVERAL, r.label.casefold(), r.key))
    totals = IncomeRow(
        key="total", label="Total", days=sum((r.days for r in rows), ZERO),
        net_delivered=sum((r.net_delivered for r in rows), ZERO), net_invoiced=sum(billed.values(), ZERO),
        net_paid=sum(received.values(), ZERO), outstanding=sum(owed.values(), ZERO),
        wip=sum((r.wip for r in rows), ZERO), written_off=sum((r.written_off for r in rows), ZERO),
    )
    return IncomeReport(start, end, by, client_id, rows, totals, _chart(session, grid, start, end))


DELIVERED_ONLY = Scope(planned_days=False)


def cached_income_report(session: Session, start: date, end: date, by: str = "month",
                         client_id: int | None = None) -> IncomeReport:
    """income_report, served again until a change touches it (tracker/results_cache.py):
    what the page and the API call, so many readers cost one computation. Planned days
    are not income, so days booked ahead leave it kept."""

    return cache.cached(session, "income", (start, end, by, client_id),
                        lambda: income_report(session, start, end, by, client_id), scope=DELIVERED_ONLY)
