"""flask mail send [--loop]: deliver what the outbox holds."""

from __future__ import annotations

import signal
import threading

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from tracker.extensions import db
from tracker.mail import sender
from tracker.mail.services import status_counts


@click.group("mail", cls=AppGroup, help="Deliver e-mail from the outbox.")
def mail_cli():
    pass


def _stop_on_signals(stop: threading.Event) -> None:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running: a long-running worker (stops on SIGTERM).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds between runs with --loop.")
def send_command(loop: bool, interval: float):
    """Deliver every due message once; failures wait and are retried with back-off."""
    config = current_app.config
    if not config.get("SMTP_URL"):
        waiting = status_counts(db.session)["queued"]
        click.echo(f"SMTP_URL is not set: nothing sent; {waiting} message(s) wait in the outbox (/admin/outbox).")
        return
    try:
        settings = sender.parse_smtp_url(config["SMTP_URL"], float(config["MAIL_TIMEOUT_SECONDS"]))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    policy = sender.policy_from(config)
    stop = threading.Event()
    if loop:
        _stop_on_signals(stop)
    while True:
        try:
            result = sender.send_due(db.session, sender.SmtpTransport(settings), policy)
        except sa.exc.OperationalError as error:  # the database went away: try again next round
            db.session.rollback()
            if not loop:
                raise click.ClickException(f"Database unavailable: {error.orig}") from None
            current_app.logger.warning("mail worker: database unavailable (%s); retrying", error.orig)
        else:
            if result.tried or not loop:
                click.echo(f"Sent {result.sent} message(s); {result.failed} failed and will be retried or were given up.")
        if not loop:
            return
        db.session.remove()  # a long-running worker keeps no objects between rounds
        if stop.wait(interval):
            return
