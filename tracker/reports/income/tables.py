"""The income report as a table (columns, rows, totals) for exports, the API and the CLI."""

from __future__ import annotations

from tracker.exports import Column
from tracker.reports.income.report import IncomeReport


def income_table(report: IncomeReport) -> tuple[list[Column], list[dict], dict]:
    """£ paid and outstanding are blank where they cannot be attributed to a row."""
    columns = [
        Column("label", report.by_label),
        Column("days", "Days delivered", "days"),
        Column("net_delivered", "£ delivered (net)", "money"),
        Column("net_invoiced", "£ invoiced (net, less credits)", "money"),
        Column("net_paid", "£ paid (gross incl. VAT, less refunds)", "money"),
        Column("outstanding", "£ outstanding at end (gross incl. VAT)", "money"),
        Column("wip", "£ work in progress (net)", "money"),
        Column("written_off", "£ written off (net)", "money"),
    ]
    rows = [dict(vars(r)) for r in report.rows]  # shallow: its values are str and Decimal (asdict deep-copies)
    return columns, rows, dict(vars(report.totals))


def income_title(report: IncomeReport) -> str:
    return f"Income {report.start:%-d %b %Y} to {report.end:%-d %b %Y} by {report.by_label.lower()}"


def income_filename(report: IncomeReport) -> str:
    return f"income-{report.start.isoformat()}-{report.end.isoformat()}-by-{report.by}"
