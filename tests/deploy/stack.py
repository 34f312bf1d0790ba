"""The production parts, started for real on loopback by the deploy tests.

Each server is a child process on a free 127.0.0.1 port, logging to a file in
a temp folder; `Server.stop()` ends it (TERM, then KILL) and the fixtures call
it in teardown, whatever the tests did.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_SITE = DEPLOY / "nginx" / "tracker.conf"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name: str, argv: list[str], log: Path, env: dict | None = None, cwd: Path = ROOT):
        self.name, self.log = name, log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._out = log.open("ab")
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=self._out, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def wait_until(self, ready, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n{self.log_text()}")
            try:
                if ready():
                    return
            except (OSError, requests.RequestException):
                pass
            time.sleep(0.05)
        raise AssertionError(f"{self.name} was not ready after {timeout} s:\n{self.log_text()}")

    def log_text(self) -> str:
        self._out.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)  # the server and any workers it forked
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._out.close()


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


# --- TLS -------------------------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made by openssl."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


# --- nginx -----------------------------------------------------------------------------


def _replace(text: str, pattern: str, replacement: str, count: int) -> str:
    new, found = re.subn(pattern, replacement, text, flags=re.M)
    assert found == count, f"deploy/nginx/tracker.conf: expected {count} match(es) of {pattern!r}, found {found}"
    return new


def render_site(http_port: int, https_port: int, upstreams: list[str], cert: Path, key: Path) -> str:
    """deploy/nginx/tracker.conf with only what differs on a test machine changed:
    loopback ports instead of 80/443 (no IPv6), the test certificate, this
    checkout instead of /opt/tracker, and the given app servers."""
    site = NGINX_SITE.read_text()
    site = _replace(site, r"^[ \t]*listen \[::\]:.*\n", "", 2)
    site = _replace(site, r"listen 80;", f"listen 127.0.0.1:{http_port};", 1)
    site = _replace(site, r"listen 443 ssl", f"listen 127.0.0.1:{https_port} ssl", 1)
    site = _replace(site, r"ssl_certificate\s+/\S+;", f"ssl_certificate {cert};", 1)
    site = _replace(site, r"ssl_certificate_key\s+/\S+;", f"ssl_certificate_key {key};", 1)
    site = _replace(site, r"/opt/tracker/", f"{ROOT}/", 2)
    servers = "".join(f"    server {address} max_fails=3 fail_timeout=10s;\n" for address in upstreams)
    site = _replace(site, r"^[ \t]*#?[ \t]*server \d+\.\d+\.\d+\.\d+:\d+ .*\n", "", 2)
    return _replace(site, r"(upstream tracker_app \{\n)", r"\g<1>" + servers, 1)


def start_nginx(folder: Path, site: str) -> Server:
    """nginx in the foreground with its own prefix, pid file, logs and temp folders."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    folder.mkdir(parents=True, exist_ok=True)
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read this checkout's files
    (folder / "nginx.conf").write_text(
        f"{user}worker_processes 1;\nerror_log {folder / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log {folder / 'access.log'};\n{temp}\n    sendfile on;\n\n{site}\n}}\n"
    )
    argv = [nginx, "-p", str(folder), "-e", str(folder / "error.log"), "-c", str(folder / "nginx.conf"),
            "-g", f"daemon off; pid {folder / 'nginx.pid'};"]
    check = subprocess.run([*argv[:-2], "-t"], check=False, capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    return Server("nginx", argv, folder / "nginx.out")


# --- Redis -----------------------------------------------------------------------------


def start_redis(folder: Path) -> tuple[Server, str]:
    port = free_port()
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    server = Server("redis", [redis, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
                              "--dir", str(folder), "--daemonize", "no"], folder / "redis.log")
    server.wait_until(lambda: port_open(port), timeout=20)
    return server, f"redis://127.0.0.1:{port}/0"


# --- gunicorn --------------------------------------------------------------------------


def start_gunicorn(name: str, folder: Path, env: dict) -> tuple[Server, str]:
    """One app server as tracker-web.service runs it: gunicorn --config deploy/gunicorn.conf.py app:app.
    Returns at once; `wait_for_app` waits until it answers."""
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    env = env | {"TRACKER_BIND": f"127.0.0.1:{port}", "TRACKER_INSTANCE_DIR": str(folder)}
    server = Server(name, [str(BIN / "gunicorn"), "--config", str(DEPLOY / "gunicorn.conf.py"), "app:app"],
                    folder / "gunicorn.log", env=env)
    return server, f"http://127.0.0.1:{port}"


def wait_for_app(server: Server, base: str) -> None:
    server.wait_until(lambda: requests.get(f"{base}/healthz", timeout=2).status_code == 200, timeout=120)


def https_session(cafile: str, source_address: str | None = None) -> requests.Session:
    """A client that trusts only the test certificate (not REQUESTS_CA_BUNDLE or proxy
    settings from the environment), optionally connecting from a given local address."""
    session = requests.Session()
    session.trust_env = False
    session.verify = cafile
    if source_address:
        adapter = FromAddress(source_address)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
    return session


class FromAddress(HTTPAdapter):
    """Connect from a chosen local address, as a browser elsewhere on the network would."""

    def __init__(self, source_address: str):
        self.source_address = source_address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source_address, 0)
        super().init_poolmanager(*args, **kwargs)
