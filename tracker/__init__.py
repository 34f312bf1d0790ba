"""The Commissioning Support Tracker: create_app() builds the Flask app."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request

from config import INSTANCE_DIR, Config, config_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def create_app(config: Config | type[Config] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=False,
    )
    if config is None:
        config = config_from_env()
    elif isinstance(config, type):
        config = config()
    app.config.from_object(config)
    app.config["ENV_NAME"] = config.ENV_NAME
    trust_proxy_headers(app)

    register_extensions(app)
    from tracker.web import register_converters

    register_converters(app)  # before any route is added
    register_request_hooks(app)  # before access checks, which read the database
    register_blueprints(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def trust_proxy_headers(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address, scheme and host from them."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    from tracker.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    # Import every model so metadata is complete (migrations, create_all).
    from tracker import models  # noqa: F401
    from tracker.auth import loaders  # noqa: F401  (registers the user loaders)


def register_blueprints(app: Flask) -> None:
    from tracker.access import register_access
    from tracker.api import api_bp
    from tracker.assessments.routes import bp as assessments_bp
    from tracker.audit.routes import bp as audit_bp
    from tracker.auth.routes import bp as auth_bp
    from tracker.authorities.routes import bp as authorities_bp
    from tracker.billing.routes import bp as billing_bp
    from tracker.dashboard.routes import bp as dashboard_bp
    from tracker.days import own_routes as _own_routes  # noqa: F401  (registers on days_bp)
    from tracker.days import panel as _days_panel  # noqa: F401  (engagement page section)
    from tracker.days import week_routes as _week_routes  # noqa: F401  (registers on days_bp)
    from tracker.days.routes import bp as days_bp
    from tracker.engagements.routes import bp as engagements_bp
    from tracker.errors import register_error_handlers
    from tracker.extensions import csrf
    from tracker.plans.routes import bp as plans_bp
    from tracker.reports import progress_panel as _progress_panel  # noqa: F401  (routes + engagement page link)
    from tracker.reports.routes import bp as reports_bp
    from tracker.security import register_security_headers
    from tracker.settings.routes import bp as settings_bp
    from tracker.staff.routes import bp as staff_bp

    for bp in (dashboard_bp, auth_bp, authorities_bp, staff_bp, engagements_bp, days_bp, reports_bp, billing_bp,
               settings_bp, audit_bp):
        app.register_blueprint(bp)
    app.register_blueprint(assessments_bp)
    app.register_blueprint(plans_bp)
    csrf.exempt(api_bp)  # the API takes bearer tokens only, never the session cookie
    app.register_blueprint(api_bp)

    register_access(app)
    register_error_handlers(app)
    register_security_headers(app)


def register_request_hooks(app: Flask) -> None:
    from tracker.database import sqlite_write_intent

    @app.before_request
    def mark_read_only_requests():
        # GET/HEAD read: on SQLite they take no write lock (see database.py).
        request.environ["tracker.write_token"] = sqlite_write_intent.set(
            request.method not in ("GET", "HEAD", "OPTIONS")
        )

    @app.teardown_request
    def reset_write_intent(_exc):
        token = request.environ.pop("tracker.write_token", None)
        if token is not None:
            sqlite_write_intent.reset(token)


def register_template_helpers(app: Flask) -> None:
    from tracker.web import register_template_helpers as register

    register(app)


def register_commands(app: Flask) -> None:
    from tracker.assessments.cli import sap_cli
    from tracker.auth.cli import users_cli
    from tracker.billing.cli import invoices_cli
    from tracker.days.cli import days_cli
    from tracker.demo.cli import demo_cli
    from tracker.ops.cli import backup_command, check_command, restore_command
    from tracker.reports.cli import reports_cli

    for command in (users_cli, demo_cli, days_cli, reports_cli, sap_cli, check_command, backup_command, restore_command):
        app.cli.add_command(command)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(invoices_cli)
