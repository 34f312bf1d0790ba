"""Signing in, users and API tokens. create_app calls init_app."""

from flask import Flask

from tracker.auth import account_routes, policy, sso_routes
from tracker.auth.cli import users_cli
from tracker.auth.loaders import load_user, load_user_from_token
from tracker.auth.routes import bp
from tracker.extension_points import extension_points
from tracker.extensions import login_manager


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(account_routes.bp)  # /account: sessions, tokens, MFA
    app.register_blueprint(sso_routes.bp)  # /login/sso: OpenID Connect
    extension_points(app).add_settings(*policy.SPECS)  # require MFA for roles, SSO-only staff, SSO domain
    login_manager.user_loader(load_user)  # pages: the session cookie
    login_manager.request_loader(load_user_from_token)  # the API: a bearer token
    app.cli.add_command(users_cli)
