"""The demo world's invoicing, relative to its ``today``: the CWAC package's
first months invoiced monthly and paid, one credit note (a mentoring half-day
recorded twice), an overdue invoice, and a Wirral invoice outside the scope
of VAT still within its terms. The months since stay uninvoiced, so there is
work to draft. Everything goes through the billing services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.billing import services as billing
from tracker.billing import specs
from tracker.days import services as days_services
from tracker.days.models import DayState, SupportDay
from tracker.money import ZERO
from tracker.settings import services as settings

HALTON_REMITTANCE = (
    "Pay by BACS to Halton Borough Council, Income Account.\n"
    "Sort code 00-00-00 · Account 00000000 (demonstration details).\n"
    "Quote the invoice number as the payment reference and e-mail the remittance advice "
    "to income.team@halton.example.org."
)

#: (month offset from the engagement's first month, weekday index in that month, staff key, activity, days)
CWAC_DAYS = [
    (0, 0, "od", "scoping", "1"), (0, 0, "dm", "scoping", "1"), (0, 1, "dm", "scoping", "1"),
    (0, 4, "c1", "self_assessment", "1"), (0, 5, "c1", "self_assessment", "0.5"), (0, 5, "dm", "self_assessment", "0.5"),
    (1, 2, "c1", "training", "1"), (1, 3, "c1", "training", "1"), (1, 2, "c2", "training", "1"),
    (1, 8, "dm", "mentoring", "0.5"),
    (2, 1, "c1", "training_programme", "1"), (2, 2, "c1", "training_programme", "1"),
    (2, 3, "c1", "training_programme", "1"), (2, 4, "c1", "training_programme", "1"),
    (2, 6, "dm", "mentoring", "0.5"), (2, 7, "dm", "mentoring", "0.5"), (2, 9, "c2", "tools", "0.5"),
    (3, 2, "c2", "action_planning", "1"), (3, 6, "dm", "mentoring", "0.5"), (3, 10, "c1", "tools", "0.5"),
    (4, 3, "c2", "mentoring", "1"), (4, 8, "dm", "action_planning", "0.5"),
    (5, 1, "c1", "mentoring", "0.5"), (5, 5, "c2", "action_planning", "0.75"),
]
WIRRAL_DAYS = [
    (0, 11, "dm", "self_assessment", "1"), (0, 11, "c2", "self_assessment", "1"), (0, 12, "c2", "self_assessment", "0.5"),
    (1, 12, "dm", "self_assessment", "0.5"), (1, 13, "c2", "mentoring", "0.5"),
]


def first_of_month(day: date, months_later: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + months_later
    return date(index // 12, index % 12 + 1, 1)


def last_of_month(day: date) -> date:
    return first_of_month(day, 1) - timedelta(days=1)


def weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def nth_weekday(start: date, n: int) -> date:
    day = weekday_on_or_after(start)
    for _ in range(n):
        day = weekday_on_or_after(day + timedelta(days=1))
    return day


def _has_delivered(session: Session, engagement) -> bool:
    stmt = sa.select(SupportDay.id).where(SupportDay.engagement_id == engagement.id, SupportDay.state == DayState.DELIVERED)
    return session.scalar(stmt.limit(1)) is not None


def _record(session: Session, world, engagement, plan, actor) -> None:
    for month, index, staff_key, activity, amount in plan:
        start = max(engagement.start_date, first_of_month(engagement.start_date, month))
        worked_on = nth_weekday(start, index)
        if worked_on > world.today or (engagement.end_date and worked_on > engagement.end_date):
            continue
        days_services.record_support_day(session, actor, days_services.DayInput(
            engagement_id=engagement.id, staff_id=world.staff[staff_key].id, worked_on=worked_on,
            activity=activity, days=Decimal(amount), notes="Demo world",
        ), world.today)


def _settings(session: Session, actor) -> None:
    since = settings.DAY_RATE_APPROVED_ON
    for spec, value in ((specs.INVOICE_PREFIX, "HBC"), (specs.CREDIT_NOTE_PREFIX, "HBC-CN"),
                        (specs.REMITTANCE, HALTON_REMITTANCE), (specs.LEDGER_COST_CENTRE, "C1234-CHCOMM"),
                        (specs.LEDGER_INCOME_CODE, "I9100-FEES")):
        settings.set_value(session, spec.key, value, since, actor, "Demo world")


def _issue(session: Session, finance, engagement, up_to: date, on: date):
    """Draft and issue an engagement's days up to a date, if any are waiting."""
    try:
        draft = billing.build_invoice(session, finance, engagement.client_id, up_to, on, engagement.id)
    except billing.NothingToInvoice:
        return None
    return billing.issue_invoice(session, finance, draft, on)


def build(session: Session, world, actor) -> None:
    today = world.today
    finance = world.users["finance"]
    cwac, wirral = world.engagements["cwac"], world.engagements["wirral"]
    _settings(session, actor)
    if not _has_delivered(session, cwac):
        _record(session, world, cwac, CWAC_DAYS, actor)
    if not _has_delivered(session, wirral):
        _record(session, world, wirral, WIRRAL_DAYS, actor)

    # CWAC: one invoice a month for its first four months, a few days after each month's end.
    invoices = []
    for month in range(4):
        end = last_of_month(first_of_month(cwac.start_date, month))
        issue_on = weekday_on_or_after(end + timedelta(days=3))
        if issue_on >= today:
            break
        invoice = _issue(session, finance, cwac, end, issue_on)
        if invoice is not None:
            invoices.append(invoice)
        if invoice is not None and month < 2:  # the first two paid in full within terms
            billing.record_payment(session, finance, invoice, invoice.balance, min(today, invoice.issued_on + timedelta(days=25)),
                                   f"BACS CWAC {invoice.number}", today)
        if invoice is not None and month == 2:
            _credit_a_duplicate(session, world, finance, invoice, actor)
    # Wirral: outside the scope of VAT, issued recently, within its terms.
    issue_on = weekday_on_or_after(today - timedelta(days=21))
    _issue(session, finance, wirral, issue_on - timedelta(days=1), issue_on)


def _credit_a_duplicate(session: Session, world, finance, invoice, actor) -> None:
    """A mentoring half-day was logged twice: credit the mentoring line, make the
    duplicate day non-billable (the other half-day is invoiced again next month),
    and the client pays the rest."""
    line = next((line for line in invoice.lines if line.activity.value == "mentoring"), invoice.lines[-1])
    credit_on = min(world.today, invoice.issued_on + timedelta(days=14))
    billing.credit_invoice(session, finance, invoice, "Mentoring recorded twice in error: this cancels the line; "
                           "the half-day actually delivered is invoiced again.", credit_on, [line.id])
    duplicate = session.get(SupportDay, line.day_links[-1].support_day_id)
    days_services.update_support_day(session, actor, duplicate, days_services.input_from(
        duplicate, billable=False, notes="Recorded twice in error: credited, not chargeable."), world.today)
    if invoice.balance > ZERO:
        paid_on = min(world.today, invoice.issued_on + timedelta(days=28))
        billing.record_payment(session, finance, invoice, invoice.balance, paid_on, f"BACS CWAC {invoice.number}",
                               world.today)
