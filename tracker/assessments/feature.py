"""SAP self-assessment: pages and `flask sap`. create_app calls init_app."""

from flask import Flask

from tracker.assessments.cli import sap_cli
from tracker.assessments.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(sap_cli)
