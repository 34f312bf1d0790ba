"""The lead authority's settings with history. create_app calls init_app."""

from flask import Flask

from tracker.extension_points import extension_points
from tracker.settings.routes import bp
from tracker.settings.services import DAY_RATE


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    extension_points(app).add_settings(DAY_RATE)
