"""flask invoices export --format csv|xlsx PATH [--from DATE] [--to DATE]
flask invoices issue INVOICE_ID [--on DATE] [--as EMAIL]"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker import clock
from tracker.access import CLI
from tracker.auth.models import User
from tracker.billing import exports
from tracker.billing import services as billing
from tracker.billing.models import Invoice
from tracker.errors import DomainError
from tracker.extensions import db


@click.group("invoices", cls=AppGroup, help="Invoices and credit notes.")
def invoices_cli():
    pass


@invoices_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default=None,
              help="Default: from the file's extension, else csv.")
@click.option("--from", "issued_from", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Issued on or after.")
@click.option("--to", "issued_to", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Issued on or before.")
def export_command(path: Path, fmt, issued_from, issued_to):
    """Write the ledger export (one row per line of each issued invoice and credit note)."""
    fmt = fmt or ("xlsx" if path.suffix.lower() == ".xlsx" else "csv")
    filters = exports.ExportFilters(
        issued_from=issued_from.date() if issued_from else None, issued_to=issued_to.date() if issued_to else None,
    )
    data = exports.rows(db.session, filters)
    if fmt == "xlsx":
        path.write_bytes(exports.to_xlsx(data))
    else:
        path.write_text(exports.to_csv(data), encoding="utf-8", newline="")
    documents = len({row["number"] for row in data})
    click.echo(f"Wrote {len(data)} lines of {documents} documents to {path} ({fmt}).")


@invoices_cli.command("issue")
@click.argument("invoice_id", type=int)
@click.option("--on", "issued_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Issue date (default: today).")
@click.option("--as", "email", default=None, help="The finance user issuing it (recorded in the audit log).")
def issue_command(invoice_id: int, issued_on, email):
    """Issue a draft: the next gap-free number, issue and due dates; its days become invoiced."""
    actor = CLI
    if email:
        actor = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
        if actor is None:
            raise click.ClickException(f"No user with the email {email}.")
    invoice = db.session.get(Invoice, invoice_id)
    if invoice is None:
        raise click.ClickException(f"No invoice {invoice_id}.")
    try:
        invoice = billing.issue_invoice(db.session, actor, invoice, issued_on.date() if issued_on else clock.today())
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    click.echo(f"Issued {invoice.number} (invoice {invoice.id}): gross {invoice.gross}, due {invoice.due_on}.")
