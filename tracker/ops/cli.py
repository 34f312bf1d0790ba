"""flask check · flask backup PATH · flask restore PATH --yes"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.ops import backup as backups
from tracker.ops.checks import run_checks


@click.command("check")
@with_appcontext
def check_command():
    """Verify the rules hold on the data (exit 1 if any does not)."""
    results = run_checks(db.session)
    for result in results:
        click.echo(f"{'ok  ' if result.ok else 'FAIL'}  {result.name}")
        for problem in result.problems:
            click.echo(f"        {problem}")
    if not all(r.ok for r in results):
        raise click.exceptions.Exit(1)
    click.echo(f"All {len(results)} checks passed.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path):
    """Write a consistent backup of the database to PATH."""
    try:
        backups.backup(db.engine, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up {db.engine.dialect.name} database to {path} ({path.stat().st_size:,} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm replacing everything in the database.")
@with_appcontext
def restore_command(path: Path, yes: bool):
    """Replace the database's contents with the backup at PATH."""
    if not yes:
        raise click.ClickException("Restoring replaces everything in the database; add --yes to confirm.")
    db.session.remove()
    try:
        backups.restore(db.engine, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {path}. Run `flask check` to verify it.")
