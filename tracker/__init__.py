"""The Commissioning Support Tracker: create_app() builds the Flask app.

create_app reads as the list of what the app is made of: the shared plumbing
(extensions, converters, request hooks), then each feature's init_app in a
fixed order (a feature may declare contributions to the features before it:
see tracker/extension_points.py and docs/architecture.md), then the access
check, error pages and security headers that apply to every route.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE_DIR, Config, config_from_env
from tracker import extension_points, json_depth, models, read_only, request_body, static_files  # noqa: F401  (models: every model, so the metadata is complete)
from tracker.access import register_access
from tracker.api import feature as api
from tracker.assessments import feature as assessments
from tracker.audit import feature as audit
from tracker.auth import feature as auth
from tracker.authorities import feature as authorities
from tracker.billing import feature as billing
from tracker.dashboard import feature as dashboard
from tracker.database import sqlite_write_intent
from tracker.days import feature as days
from tracker.demo import feature as demo
from tracker.engagements import feature as engagements
from tracker.errors import register_error_handlers
from tracker.extensions import csrf, db, limiter, login_manager, migrate
from tracker.mail import feature as mail
from tracker.ops import feature as ops
from tracker.plans import feature as plans
from tracker.reminders import feature as reminders
from tracker.reports import feature as reports
from tracker.resets import feature as resets
from tracker.security import register_security_headers
from tracker.settings import feature as settings
from tracker.staff import feature as staff
from tracker.web import register_converters, register_template_helpers

BASE_DIR = Path(__file__).resolve().parent.parent

#: Each feature's init_app, in this order: ops declares its `flask check` rules
#: before billing's, settings its day rate before billing's settings.
FEATURES = (
    dashboard, auth, authorities, staff, engagements, settings, ops, days, reports, billing,
    mail, resets, reminders, audit, assessments, plans, demo, api,
)


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
    app.wsgi_app = request_body.DiscardUnreadBody(app.wsgi_app, app.config.get("MAX_CONTENT_LENGTH"))  # type: ignore[method-assign]
    trust_proxy_headers(app)
    json_depth.init_app(app)  # every request.get_json() refuses over-deep bodies

    register_extensions(app)
    register_converters(app)  # before any route is added
    register_request_hooks(app)  # before access checks, which read the database
    read_only.init_app(app)  # likewise: it decides how a read-only view's first statement begins
    extension_points.init_app(app)
    for feature in FEATURES:
        feature.init_app(app)
    register_access(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    static_files.init_app(app)
    return app


def trust_proxy_headers(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies, take the client's address, scheme and host from them."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_request_hooks(app: Flask) -> None:
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
