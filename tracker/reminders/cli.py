"""flask reminders run [--today YYYY-MM-DD]: queue today's reminders and alerts (run it daily)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from tracker import clock
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.reminders import services as reminders


@click.group("reminders", cls=AppGroup, help="Overdue-invoice reminders, estimate alerts, capacity review due.")
def reminders_cli():
    pass


@reminders_cli.command("run")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to run for (default: today).")
def run_command(today):
    """Queue what is due today; running it twice queues nothing twice."""
    day = today.date() if today else clock.today()
    try:
        stages = reminders.parse_stages(current_app.config["REMINDER_STAGES"])
        summary = reminders.run(db.session, day, stages)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    except IntegrityError:  # another run queued the same reminder at the same moment
        db.session.rollback()
        raise click.ClickException("Another run queued the same reminders at the same time; nothing was queued twice. "
                                   "Run again to queue the rest.") from None
    click.echo(f"{day:%Y-%m-%d}: queued {summary.overdue} overdue reminder(s), {summary.estimate} estimate alert(s), "
               f"{summary.capacity} capacity review reminder(s).")
    for note in summary.skipped:
        click.echo(f"Not sent: {note}.")

