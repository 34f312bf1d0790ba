"""flask days import FILE.csv|FILE.xlsx — all rows or none, with a progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker import clock
from tracker.access import CLI
from tracker.days import importer
from tracker.errors import DomainError
from tracker.extensions import db

days_cli = AppGroup("days", help="Support days.")


@days_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(path: Path):
    """Import support days from a CSV or XLSX file (all rows or none)."""
    started = time.perf_counter()
    try:
        rows = importer.read_file(path.name, path.read_bytes())
    except DomainError as error:
        raise click.ClickException(error.message) from None
    try:
        with click.progressbar(length=len(rows), label=f"Checking {len(rows):,} rows", file=sys.stderr) as bar:
            count = importer.import_rows(db.session, CLI, rows, clock.today(), progress=bar.update)
    except importer.ImportInvalid as error:
        for problem in error.rows[:200]:
            fields = "; ".join(f"{k}: {v}" for k, v in problem["fields"].items())
            click.echo(f"line {problem['row']}: {fields}", err=True)
        if len(error.rows) > 200:
            click.echo(f"... and {len(error.rows) - 200} more rows", err=True)
        raise click.ClickException(error.message) from None
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Imported {count:,} days from {path.name} in {time.perf_counter() - started:.1f} s.")
