"""Support days: the list, the week grid, imports, and the engagement page's
days section. create_app calls init_app."""

from flask import Flask

from tracker.days import own_routes, week_routes  # noqa: F401  (their pages are on the days blueprint)
from tracker.days.cli import days_cli
from tracker.days.panel import days_panel
from tracker.days.routes import bp
from tracker.extension_points import extension_points


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    extension_points(app).add_panel(10, days_panel)
    app.cli.add_command(days_cli)
