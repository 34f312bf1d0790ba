"""flask reports capacity|income ... --format csv|xlsx [--output PATH]"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from tracker import clock, exports
from tracker.dates import parse_month
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.reports.capacity import reviews
from tracker.reports.capacity.tables import capacity_table
from tracker.reports.income import report as income
from tracker.reports.income.tables import income_filename, income_table, income_title

reports_cli = AppGroup("reports", help="Reports as CSV or XLSX.")

FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True)
OUTPUT = click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
                      help="File to write (default: report name in the current folder; '-' for stdout, CSV only).")


def write(content: bytes, fmt: str, default_name: str, output: Path | None) -> None:
    if output is not None and str(output) == "-":
        if fmt != "csv":
            raise click.ClickException("Only CSV can go to stdout.")
        click.echo(content.decode("utf-8-sig"), nl=False)
        return
    path = output or Path(f"{default_name}.{fmt}")
    path.write_bytes(content)
    click.echo(f"Wrote {path} ({len(content):,} bytes).")


@reports_cli.command("capacity")
@click.option("--month", default=None, help="YYYY-MM (default: this month)")
@FORMAT
@OUTPUT
def capacity_command(month, fmt, output):
    """The monthly capacity risk review."""
    try:
        first = parse_month(month, clock.today())
    except DomainError as error:
        raise click.ClickException(error.message) from None
    report = reviews.report_of(db.session, reviews.review_for(db.session, first), first)
    columns, rows, totals = capacity_table(report)
    content, _mime, _ext = exports.export(fmt, f"Capacity review {first:%B %Y}", columns, rows, totals)
    write(content, fmt, f"capacity-{first:%Y-%m}", output)


@reports_cli.command("income")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="YYYY-MM-DD (default: 1 April of this financial year)")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="YYYY-MM-DD (default: today)")
@click.option("--by", type=click.Choice(list(income.GROUPINGS)), default="month", show_default=True)
@click.option("--client-id", type=int, default=None, help="Only this client authority.")
@FORMAT
@OUTPUT
def income_command(start, end, by, client_id, fmt, output):
    """Income delivered, invoiced, paid, outstanding and not yet invoiced."""
    today = clock.today()
    start = start.date() if start else income.financial_year_start(today)
    end = end.date() if end else today
    try:
        report = income.income_report(db.session, start, end, by, client_id)
    except DomainError as error:
        raise click.ClickException(" ".join(error.fields.values()) or error.message) from None
    content, _mime, _ext = exports.export(fmt, income_title(report), *income_table(report))
    write(content, fmt, income_filename(report), output)
