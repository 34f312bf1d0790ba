"""Password links: /password/forgot and /password/reset/<token>. create_app calls init_app."""

from flask import Flask

from tracker.resets.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
