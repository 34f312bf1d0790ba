"""Configuration read from the environment.

TRACKER_ENV picks the class (development, testing, production; unset: development
under the `flask` command, production anywhere else, e.g. gunicorn); DATABASE_URL
picks the database (default: a SQLite file under instance/). SECRET_KEY comes
from the environment; in development it is generated once into
instance/secret_key (never committed); production refuses to start without it.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import click
from flask.cli import ScriptInfo

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("TRACKER_INSTANCE_DIR", BASE_DIR / "instance"))

#: What production uses: scrypt with N = 2**17, r = 8, p = 1 (~0.3 s a hash here).
STRONG_PASSWORD_METHOD = "scrypt:131072:8:1"  # noqa: S105 (a hash method, not a password)


class ConfigError(RuntimeError):
    """The configuration cannot be used (e.g. production without a secret key)."""


def _instance_secret_key() -> str:
    """Read instance/secret_key, creating it with a random key on first run."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _default_database_url() -> str:
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"


class Config:
    ENV_NAME = "base"
    TESTING = False
    DEBUG = False

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=10)

    PASSWORD_HASH_METHOD = STRONG_PASSWORD_METHOD
    API_TOKEN_LIFETIME = timedelta(days=30)
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024  # uploads (CSV/XLSX imports) capped at 10 MB
    SECURITY_HSTS = True

    # Flask-Limiter's storage (redis://host:6379 to share counts between servers).
    # Sign-in throttling does not use it: it counts failures in the database
    # (tracker/auth/throttle.py), which every server shares already.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    # Asking for password links (/password/forgot, /password/reset/<token>), per client
    # address; sign-in has its own failure-only throttling (tracker/auth/throttle.py).
    PASSWORD_LINK_RATE_LIMIT = "10 per minute;50 per hour"  # noqa: S105 (a rate, not a password)
    # Seconds a worker may serve a report, a rendered list or report page or an API list again
    # while no data has changed (tracker/results_cache.py, tracker/page_cache.py); 0 turns them off.
    REPORT_CACHE_SECONDS = int(os.environ.get("REPORT_CACHE_SECONDS", "300"))
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host
    # (nginx: 1). 0 trusts no forwarded header: the client is the socket's peer.
    PROXY_HOPS = int(os.environ.get("PROXY_HOPS", "0"))
    # Single sign-on with OpenID Connect (e.g. Microsoft Entra ID): all three
    # from the app registration; unset, the login page offers passwords only.
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")

    # Mail (tracker/mail). Without SMTP_URL nothing is sent: messages wait in
    # the outbox, readable at /admin/outbox. smtp://[user:pass@]host[:port][?starttls=true],
    # smtps://... for implicit TLS. PUBLIC_URL is the address people open (links in mail).
    SMTP_URL = os.environ.get("SMTP_URL", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "tracker@localhost")
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "6"))
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))  # doubles after each failure
    MAIL_LEASE_SECONDS = int(os.environ.get("MAIL_LEASE_SECONDS", "300"))  # a claimed message's time to send
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", "30"))
    # Overdue-invoice reminders: days after the due date, one reminder per stage.
    REMINDER_STAGES = os.environ.get("REMINDER_STAGES", "7,21")

    def __init__(self) -> None:
        # Pin "today" (YYYY-MM-DD) for demonstrations and benchmarks; unset in normal use.
        self.TRACKER_TODAY = os.environ.get("TRACKER_TODAY") or getattr(self, "TRACKER_TODAY", None)
        self.SQLALCHEMY_DATABASE_URI = self.database_url()
        self.SECRET_KEY = self.secret_key()

    def database_url(self) -> str:
        return os.environ.get("DATABASE_URL") or _default_database_url()

    def secret_key(self) -> str:
        return os.environ.get("SECRET_KEY") or _instance_secret_key()


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the debugger would show stack traces to users; keep it off
    SESSION_COOKIE_SECURE = False  # http://127.0.0.1 in development
    REMEMBER_COOKIE_SECURE = False
    SECURITY_HSTS = False


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    SECURITY_HSTS = False
    # Tests sign in hundreds of times; the strong method is asserted separately.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105
    RATELIMIT_ENABLED = False
    REPORT_CACHE_SECONDS = 0  # tests that want it turn it on
    SQLALCHEMY_RECORD_QUERIES = True

    def database_url(self) -> str:
        return (
            os.environ.get("TEST_DATABASE_URL")
            or os.environ.get("DATABASE_URL")
            or "sqlite:///:memory:"
        )

    def secret_key(self) -> str:
        return "testing-only-secret-key-not-for-use-anywhere-else"


class ProductionConfig(Config):
    ENV_NAME = "production"

    def secret_key(self) -> str:
        key = os.environ.get("SECRET_KEY", "")
        if len(key) < 32:
            raise ConfigError(
                "SECRET_KEY must be set to a random value of at least 32 characters "
                "in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        return key

    def database_url(self) -> str:
        url = os.environ.get("DATABASE_URL")
        if not url:
            raise ConfigError("DATABASE_URL must be set in production.")
        return url


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def under_flask_command() -> bool:
    """True while the `flask` command (flask run, flask db upgrade, ...) loads the app."""
    context = click.get_current_context(silent=True)
    return context is not None and context.find_object(ScriptInfo) is not None


def default_environment() -> str:
    """Without TRACKER_ENV: development under the `flask` command, production
    anywhere else (gunicorn or any WSGI server importing app.py), so a server
    started without settings refuses to run instead of running insecurely."""
    return "development" if under_flask_command() else "production"


def config_from_env() -> Config:
    chosen = os.environ.get("TRACKER_ENV") or os.environ.get("FLASK_ENV")
    name = chosen or default_environment()
    try:
        config_class = CONFIGS[name]
    except KeyError:
        raise ConfigError(f"TRACKER_ENV must be one of {', '.join(CONFIGS)}; got {name!r}") from None
    try:
        return config_class()
    except ConfigError as error:
        if chosen:
            raise
        raise ConfigError(f"{error} (TRACKER_ENV is not set, so outside the flask command the app runs as "
                          "production; set TRACKER_ENV=development to try it out.)") from None
