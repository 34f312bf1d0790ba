"""The deployment as council IT runs it (deploy/): real nginx with TLS in front
of two gunicorn app servers sharing one PostgreSQL and one Redis, all on
loopback, started once for the module that needs them and stopped afterwards.

They run in the PostgreSQL pass of `make test` only (TEST_DATABASE_URL is
PostgreSQL): two app servers cannot share a SQLite file the way production
shares a database, and running them once keeps the suite fast.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.deploy import stack
from tests.factories import TODAY

ON_POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
SKIP_REASON = ("deploy tests run in the PostgreSQL pass of make test (scripts/with-postgres.sh sets TEST_DATABASE_URL); "
               "two app servers need one shared PostgreSQL")
SECRET_KEY = "deploy-test-secret-key-" + "0123456789abcdef" * 2


def pytest_collection_modifyitems(items):
    for item in items:
        if "/deploy/" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)
            if not ON_POSTGRES:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def _need(*programs: str) -> None:
    missing = [p for p in programs if not (shutil.which(p) or os.path.exists(f"/usr/sbin/{p}"))]
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run scripts/system-deps.sh test (make test does)")


@pytest.fixture(scope="session")
def stack_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("deploy")


@pytest.fixture(scope="session")
def certificate(stack_dir):
    _need("openssl")
    return stack.self_signed_certificate(stack_dir)


@pytest.fixture(scope="session")
def redis_url(stack_dir):
    _need("redis-server")
    server, url = stack.start_redis(stack_dir / "redis")
    try:
        yield url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def proxy_ports():
    """nginx's (HTTP, HTTPS) ports, chosen first: the app servers' PUBLIC_URL names the HTTPS one."""
    return stack.free_port(), stack.free_port()


def app_server_env(database_url: str, redis_url: str, public_url: str = "https://127.0.0.1") -> dict:
    """What /etc/tracker/tracker.env gives an app server, pointed at the test services."""
    env = {k: v for k, v in os.environ.items() if k not in ("TEST_DATABASE_URL", "FLASK_ENV")}
    return env | {
        "TRACKER_ENV": "production",
        "FLASK_APP": "app.py",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": redis_url,
        "PROXY_HOPS": "1",
        "PUBLIC_URL": public_url,  # the address people open: nginx's HTTPS
        "REPORT_CACHE_SECONDS": "300",  # on, as in production: it must stay right across servers
        "WEB_CONCURRENCY": "1",  # one worker each: "server A" and "server B" are one process each
        "TRACKER_TODAY": TODAY.isoformat(),  # the factories' world is dated around it
        "PYTHONDONTWRITEBYTECODE": "1",
    }


@pytest.fixture(scope="session")
def app_servers(app, database_url, redis_url, stack_dir, proxy_ports):
    """Two gunicorn app servers, A and B: (Server, base URL) each. `app` has migrated the database."""
    env = app_server_env(database_url, redis_url, f"https://127.0.0.1:{proxy_ports[1]}")
    started = []
    try:
        for name in ("a", "b"):  # both start at once; then wait for both
            started.append(stack.start_gunicorn(f"gunicorn-{name}", stack_dir / f"app-{name}", env))
        for server, base in started:
            stack.wait_for_app(server, base)
        yield {"a": started[0], "b": started[1]}
    finally:
        for server, _ in started:
            server.stop()


def start_proxy(folder, certificate, upstreams, ports=None):
    _need("nginx")
    http_port, https_port = ports or (stack.free_port(), stack.free_port())
    cert, key = certificate
    server = stack.start_nginx(folder, stack.render_site(http_port, https_port, upstreams, cert, key))
    server.wait_until(lambda: stack.port_open(http_port) and stack.port_open(https_port), timeout=20)
    return server, http_port, https_port


@pytest.fixture(scope="session")
def proxy(app_servers, certificate, stack_dir, proxy_ports):
    """nginx with deploy/nginx/tracker.conf in front of both app servers."""
    upstreams = [base.removeprefix("http://") for _, base in app_servers.values()]
    server, http_port, https_port = start_proxy(stack_dir / "nginx", certificate, upstreams, proxy_ports)
    try:
        yield {"server": server, "http": f"http://127.0.0.1:{http_port}", "https": f"https://127.0.0.1:{https_port}",
               "cafile": str(certificate[0])}
    finally:
        server.stop()
