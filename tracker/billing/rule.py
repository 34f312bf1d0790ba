"""The one pricing rule for delivered work (docs/finance.md), in SQL.

A *pricing line* is the days of one engagement, one staff member, one
activity, one calendar month, and one live invoice line (or none): the grain
of an invoice line, since drafts make one line per engagement, staff member,
activity and month. Its money is (days × the engagement's day rate) rounded
half-up to the penny, once. Every figure of delivered work (the engagement
page, the income report by any grouping, the progress report, uninvoiced
work, dashboards) is a sum of pricing-line amounts, so the same days give the
same pounds everywhere and equal the invoice's line nets.

The amount is exact integer arithmetic in SQL: quarter days × rate in pennies,
plus 2, divided by 4 (half-up), so a million days aggregate in the database.

When a day rate in pennies is a multiple of 4 (£500, £450, £600 …), every
quarter day is a whole number of pennies, the half-up step never rounds, and a
pricing line's money is exactly the sum of its days' money. Such engagements'
days are summed straight into the report's keys; only the others (£333.33,
£487.50 …) are grouped into pricing lines first. Same pennies, a fraction of
the grouping work: most of a national year is at the standard rate.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlalchemy.sql import util as sql_util
from sqlalchemy.sql import visitors

from tracker.billing.models import InvoiceDayClaim
from tracker.database import year_month
from tracker.days.models import DayState, SupportDay
from tracker.engagements.models import Engagement, EngagementKind


def month_number(column):
    """YYYYMM of a date column as an integer, on SQLite and PostgreSQL."""
    return year_month(column)


def quarters(days_column):
    return sa.cast(sa.func.round(days_column * 4), sa.BigInteger)


def rate_pennies():
    return sa.cast(sa.func.round(Engagement.day_rate * 100), sa.BigInteger)


def pennies(quarter_sum, rate):
    """Half-up pennies of quarter_sum quarter days at rate pennies a day (both integer
    SQL expressions ≥ 0, so ``//`` is integer division, which floors them)."""
    return (quarter_sum * rate + 2) // 4


def _not_in(keys: dict, grain: list) -> list:
    """The grain columns not already among the keys (one GROUP BY term each)."""
    given = {str(column) for column in keys.values()}
    return [column for column in grain if str(column) not in given]


def _billable_days() -> tuple:
    """Delivered (or invoiced) billable days: the days the rule prices."""
    return (SupportDay.state.in_([DayState.DELIVERED, DayState.INVOICED]), SupportDay.billable.is_(True))


def _delivered_billable(*where) -> tuple:
    return (*_billable_days(), Engagement.kind == EngagementKind.SUPPORT_PACKAGE, *where)


def _whole_pennies(rate):
    """True where every quarter day at this rate is a whole number of pennies."""
    return rate % 4 == 0


def pricing_lines(keys: dict, *where) -> sa.Subquery:
    """One row per pricing line of billable delivered (or invoiced) days of
    support packages matching `where`, carrying the report keys (which must be
    functions of the grain: month, client, engagement, staff, activity) and:

    - ``quarters``: the line's days in quarter days,
    - ``pennies``: its money,
    - ``wip``: its money when no live invoice claims it (work in progress),
    - ``written_off``: its money when its days were credited and written off.
    """
    claim = aliased(InvoiceDayClaim)
    # PostgreSQL's SUM(bigint) is NUMERIC: cast back, so the division below is integer division.
    q = sa.cast(sa.func.sum(quarters(SupportDay.days)), sa.BigInteger)
    rate = rate_pennies()
    money = pennies(q, rate)
    unclaimed = claim.line_id.is_(None)
    stmt = (
        sa.select(*(column.label(name) for name, column in keys.items()),
                  q.label("quarters"), money.label("pennies"),
                  sa.case((sa.and_(unclaimed, SupportDay.written_off.is_(False)), money), else_=0).label("wip"),
                  sa.case((SupportDay.written_off.is_(True), money), else_=0).label("written_off"))
        .select_from(SupportDay)
        .join(Engagement, Engagement.id == SupportDay.engagement_id)
        .outerjoin(claim, claim.support_day_id == SupportDay.id)
        .where(*_delivered_billable(*where))
        .group_by(*keys.values(), *_not_in(keys, [SupportDay.engagement_id, SupportDay.staff_id, SupportDay.activity,
                                                  month_number(SupportDay.worked_on)]),
                  claim.line_id, SupportDay.written_off, rate)
    )
    return stmt.subquery("pricing_lines")


def _rounded_lines(keys: dict, *where) -> sa.Select:
    """Pricing lines of the engagements whose rate needs the half-up step."""
    lines = pricing_lines(keys, *where, sa.not_(_whole_pennies(rate_pennies())))
    return sa.select(*(lines.c[name] for name in keys), lines.c.quarters, lines.c.pennies, lines.c.wip,
                     lines.c.written_off)


def _reads_days(expression) -> bool:
    return SupportDay.__tablename__ in {getattr(table, "name", None) for table in sql_util.find_tables(
        _element(expression), check_columns=True, include_selects=True)}


def _day_side(expression) -> bool:
    """True when an expression reads support_days and no other table."""
    return {table.name for table in sql_util.find_tables(_element(expression), check_columns=True)} == {
        SupportDay.__tablename__}


def _element(expression):
    return expression.__clause_element__() if hasattr(expression, "__clause_element__") else expression


def _columns_of(expression) -> list:
    return [part for part in visitors.iterate(_element(expression)) if isinstance(part, sa.Column)]


def _on(subquery, expression):
    """The expression over the subquery's columns of the same names instead of the table's."""
    return visitors.replacement_traverse(
        _element(expression), {}, lambda part: subquery.c[part.key] if isinstance(part, sa.Column) else None)


def _whole_penny_sums(keys: dict, *where, dates_first: bool = False, with_wip: bool = True) -> sa.Select:
    """The same columns for the engagements whose quarter days are whole pennies,
    summed by day (exactly the pricing lines' sums), in two steps: the days are
    summed in quarters by engagement (and the keys read from the day: month,
    staff, activity) without touching another table, then those few thousand
    sums are joined to their engagement for its rate, kind and client. A
    national year is 265,000 days; joining each to its engagement was most of
    the report's time.

    With ``dates_first`` a key computed from a day's columns (the month of worked_on)
    is computed after a first grouping by the columns themselves: on SQLite that
    grouping follows the (worked_on, engagement_id …) index with no sort, and each
    month is computed per date and engagement (95,000 in a year), not per day (0.43 s
    to 0.39 s). PostgreSQL sorts either way and the extra step costs it a second sort
    (0.39 s to 0.65 s), so it is asked for on SQLite only (see priced()).

    Work in progress is a delivered day no live invoice claims. An invoiced day is
    never WIP: it is claimed by a live invoice or written off (a rule `flask check`
    verifies: "marked invoiced but no live invoice holds it"), so only delivered
    days look their claim up — most of a past year is invoiced; none do when the
    caller does not ask for WIP (``with_wip``: the column is then 0)."""
    day_keys = {name: column for name, column in keys.items() if _day_side(column)}
    day_where = [clause for clause in where if _day_side(clause)]
    q = quarters(SupportDay.days)
    claimed = sa.exists().where(InvoiceDayClaim.support_day_id == SupportDay.id)
    wip = sa.and_(SupportDay.state == DayState.DELIVERED, SupportDay.written_off.is_(False), ~claimed)
    as_int = lambda total: sa.cast(sa.func.sum(total), sa.BigInteger)  # noqa: E731  (PostgreSQL: SUM(bigint) is NUMERIC)
    sums = (as_int(q).label("quarters"),
            (as_int(sa.case((wip, q), else_=0)) if with_wip else sa.literal(0, sa.BigInteger)).label("wip"),
            as_int(sa.case((SupportDay.written_off.is_(True), q), else_=0)).label("written_off"))
    days = SupportDay.__table__
    if dates_first and any(not isinstance(_element(key), sa.Column) for key in day_keys.values()):
        # Engagement first: the regrouping below then reads its input in order.
        columns = [days.c.engagement_id, *{c.key: c for key in day_keys.values() for c in _columns_of(key)
                                           if c.key != "engagement_id"}.values()]
        source = sa.select(*columns, *sums).where(*_billable_days(), *day_where).group_by(*columns).subquery("by_day")
        day_keys = {name: _on(source, key) for name, key in day_keys.items()}
        engagement_id, sums = source.c.engagement_id, tuple(as_int(source.c[s.name]).label(s.name) for s in sums)
        source_where: list = []
    else:
        source, engagement_id = days, days.c.engagement_id
        source_where = [*_billable_days(), *day_where]
    by_engagement = (
        sa.select(*(column.label(name) for name, column in day_keys.items()),
                  engagement_id.label("sum_engagement_id"), *sums)
        .select_from(source)
        .where(*source_where)
        .group_by(*day_keys.values(), *_not_in(day_keys, [engagement_id]))
        .subquery("by_engagement")
    )
    rate = rate_pennies()
    key_columns = {name: by_engagement.c[name] if name in day_keys else column for name, column in keys.items()}
    # The whole-penny test is a CASE, not a WHERE term: PostgreSQL cannot estimate how many
    # engagements pass it (it guessed 9 of 1,847 and joined them by a nested loop, 0.9 s).
    # Days of the other rates count 0 here, under keys their pricing lines also have.
    whole = _whole_pennies(rate)
    only_whole = lambda total: as_int(sa.case((whole, total), else_=0))  # noqa: E731
    money = lambda quarter_sum: only_whole(quarter_sum * rate // 4)  # noqa: E731  (exact: a multiple of 4 pennies)
    return (
        sa.select(*(column.label(name) for name, column in key_columns.items()),
                  only_whole(by_engagement.c.quarters).label("quarters"), money(by_engagement.c.quarters).label("pennies"),
                  money(by_engagement.c.wip).label("wip"), money(by_engagement.c.written_off).label("written_off"))
        .select_from(by_engagement)
        .join(Engagement, Engagement.id == by_engagement.c.sum_engagement_id)
        .where(Engagement.kind == EngagementKind.SUPPORT_PACKAGE, *(clause for clause in where if not _day_side(clause)))
        .group_by(*key_columns.values())
    )


def priced(keys: dict, *where, dates_first: bool = False, with_wip: bool = True) -> sa.Select:
    """Sums of pricing lines grouped by the keys: key columns, quarters,
    pennies, wip, written_off (integers; pounds = pennies / 100). ``dates_first``
    (for SQLite; see _whole_penny_sums) changes how, not what, it sums. Without
    ``with_wip`` the wip column is NULL (and days of whole-penny rates skip their claim
    lookup); the other columns are the same."""
    if all(_day_side(e) or not _reads_days(e) for e in (*keys.values(), *where)):
        parts = sa.union_all(_whole_penny_sums(keys, *where, dates_first=dates_first, with_wip=with_wip),
                             _rounded_lines(keys, *where))
    else:
        # A key or condition reading the day together with another table (a join condition, a
        # correlated EXISTS) cannot be applied to days summed by engagement: price every day
        # through pricing lines instead (the same pennies, slower).
        every = pricing_lines(keys, *where)
        parts = sa.select(*(every.c[name] for name in keys), every.c.quarters, every.c.pennies, every.c.wip,
                          every.c.written_off)
    lines = parts.subquery("priced_lines")
    key_columns = [lines.c[name] for name in keys]
    return (
        sa.select(*key_columns, sa.func.coalesce(sa.func.sum(lines.c.quarters), 0).label("quarters"),
                  sa.func.coalesce(sa.func.sum(lines.c.pennies), 0).label("pennies"),
                  (sa.func.coalesce(sa.func.sum(lines.c.wip), 0) if with_wip else sa.null()).label("wip"),
                  sa.func.coalesce(sa.func.sum(lines.c.written_off), 0).label("written_off"))
        .group_by(*key_columns)
    )
