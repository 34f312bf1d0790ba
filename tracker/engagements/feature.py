"""Engagements (support packages and shared-service work): their pages. create_app calls init_app."""

from flask import Flask

from tracker.engagements.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
