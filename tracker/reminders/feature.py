"""Daily reminders and alerts: `flask reminders run`. create_app calls init_app."""

from flask import Flask

from tracker.reminders.cli import reminders_cli


def init_app(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
