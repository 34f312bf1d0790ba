"""Partner councils and the lead authority: their pages. create_app calls init_app."""

from flask import Flask

from tracker.authorities.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
