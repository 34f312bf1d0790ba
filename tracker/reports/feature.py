"""Reports: the capacity review, income and client progress pages on one
blueprint, `flask reports`, and the engagement page's progress link. create_app
calls init_app."""

from flask import Flask

from tracker.extension_points import extension_points
from tracker.reports.blueprint import bp
from tracker.reports.capacity import routes as capacity_routes  # noqa: F401  (pages on bp)
from tracker.reports.cli import reports_cli
from tracker.reports.income import routes as income_routes  # noqa: F401  (pages on bp)
from tracker.reports.progress import routes as progress_routes  # noqa: F401  (pages on bp)
from tracker.reports.progress.panel import progress_link


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    extension_points(app).add_panel(5, progress_link)
    app.cli.add_command(reports_cli)
