"""Mail: the admin's outbox pages, each user's mail preferences and `flask mail send`.
create_app calls init_app."""

from flask import Flask

from tracker.mail import preferences
from tracker.mail.cli import mail_cli
from tracker.mail.routes import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(preferences.bp)
    app.cli.add_command(mail_cli)
