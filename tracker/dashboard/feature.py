"""Each role's home page. create_app calls init_app."""

from flask import Flask

from tracker.dashboard.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
