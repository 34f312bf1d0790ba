"""nginx (deploy/nginx/tracker.conf) with TLS in front of the gunicorn app servers."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import requests
from redis import Redis

from config import Config
from tests.deploy import conftest as deploy
from tests.deploy import stack
from tests.factories import PASSWORD

CLIENT_ADDRESS = "127.0.0.5"  # a loopback address of its own, unlike nginx's 127.0.0.1
HSTS = "max-age=31536000; includeSubDomains"


def browser(proxy) -> requests.Session:
    return stack.https_session(proxy["cafile"], CLIENT_ADDRESS)


def app_log(app_servers) -> str:
    """Both app servers' logs, once each has logged every request it had received.

    gunicorn writes a request's log line after sending the answer, so a request
    to each server (one worker: requests are handled in turn) marks the point
    by which any earlier request is in its log."""
    for server, base in app_servers.values():
        mark = uuid.uuid4().hex
        assert requests.get(f"{base}/healthz?mark={mark}", timeout=30).status_code == 200
        server.wait_until(lambda mark=mark, server=server: mark in server.log_text(), timeout=10)
    return "".join(server.log_text() for server, _ in app_servers.values())


def test_https_serves_the_app_with_hsts_and_secure_cookies(proxy):
    response = browser(proxy).get(f"{proxy['https']}/login")
    assert response.status_code == 200 and "Sign in" in response.text
    assert response.raw.headers.getlist("Strict-Transport-Security") == [HSTS]  # exactly one, nginx's
    cookie = response.raw.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookie if c.startswith("session="))
    assert "; Secure" in session_cookie and "; HttpOnly" in session_cookie


def test_plain_http_redirects_to_https_keeping_the_path(proxy, app_servers):
    probe = uuid.uuid4().hex
    response = browser(proxy).get(f"{proxy['http']}/engagements?probe={probe}", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://127.0.0.1/engagements?probe={probe}"
    assert probe not in app_log(app_servers)  # nginx answered; no app server saw plain HTTP


def test_the_app_sees_the_real_client_address_and_https(proxy, app_servers):
    probe = uuid.uuid4().hex
    # A client cannot pass itself off as someone else by sending its own X-Forwarded-For.
    response = browser(proxy).get(f"{proxy['https']}/login?probe={probe}", headers={"X-Forwarded-For": "203.0.113.9"})
    assert response.status_code == 200
    lines = [line for line in app_log(app_servers).splitlines() if probe in line]
    assert len(lines) == 1, lines
    # deploy/gunicorn.conf.py logs the address and scheme the app saw (after ProxyFix, PROXY_HOPS=1).
    assert lines[0].startswith(f"{CLIENT_ADDRESS} https "), lines[0]


def test_sign_in_through_the_proxy_checks_the_https_origin(proxy, world):
    """Flask-WTF checks a POST's Referer strictly when the request is https: it only
    passes when the app sees the scheme and host the browser used."""
    session = browser(proxy)

    def post(referer):
        page = session.get(f"{proxy['https']}/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
        assert token, page
        return session.post(f"{proxy['https']}/login", allow_redirects=False, headers={"Referer": referer},
                            data={"csrf_token": token.group(1), "email": world.users["manager"].email, "password": PASSWORD})

    refused = post(f"http://127.0.0.1{proxy['https'].removeprefix('https://127.0.0.1')}/login")
    assert refused.status_code == 400  # the app knows the page was https, so an http referrer is foreign
    signed_in = post(f"{proxy['https']}/login")
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    assert session.get(f"{proxy['https']}/").status_code == 200  # the Secure session cookie came back over https


def test_nginx_refuses_uploads_over_the_apps_limit(proxy, app_servers):
    site = stack.NGINX_SITE.read_text()
    limit_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert limit_mb * 1024 * 1024 == Config.MAX_CONTENT_LENGTH  # the same limit in both places
    session = browser(proxy)

    probe = uuid.uuid4().hex
    too_big = session.post(f"{proxy['https']}/api/v1/days/import?probe={probe}", data=b"x" * (Config.MAX_CONTENT_LENGTH + 1),
                           headers={"Content-Type": "text/csv"})
    assert too_big.status_code == 413 and too_big.headers["Server"] == "nginx"
    assert probe not in app_log(app_servers)  # refused before any app server read it

    # Just under the limit: passed on to the app, which wants a token and answers without
    # reading the body. It must still read it (tracker/request_body.py), or the app server
    # closes on unread bytes and nginx, still sending them, answers 502: several tries,
    # as that was a race.
    for _ in range(8):
        probe = uuid.uuid4().hex
        just_under = session.post(f"{proxy['https']}/api/v1/days/import?probe={probe}", data=b"x" * (Config.MAX_CONTENT_LENGTH - 4096),
                                  headers={"Content-Type": "text/csv"})
        assert just_under.status_code == 401
        assert probe in app_log(app_servers)


def test_static_files_come_from_nginx_with_long_cache_headers(proxy, app_servers):
    page = browser(proxy).get(f"{proxy['https']}/login").text
    css_url = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]+)"', page).group(1)
    response = browser(proxy).get(proxy["https"] + css_url)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/css")
    assert response.content == (stack.ROOT / "tracker" / "static" / "css" / "app.css").read_bytes()
    assert "max-age=31536000" in response.headers["Cache-Control"] and "immutable" in response.headers["Cache-Control"]
    assert response.headers["Expires"] and response.raw.headers.getlist("Strict-Transport-Security") == [HSTS]
    assert "GET /static/" not in app_log(app_servers)  # never reached an app server


def test_static_files_are_served_with_every_app_server_down(certificate, tmp_path):
    """nginx alone, its upstream a port nobody listens on: pages fail (502, with the
    maintenance page), static files do not."""
    server, _, https_port = deploy.start_proxy(tmp_path / "nginx", certificate, [f"127.0.0.1:{stack.free_port()}"])
    try:
        session = stack.https_session(str(certificate[0]))
        base = f"https://127.0.0.1:{https_port}"
        assert session.get(f"{base}/static/js/app.js").status_code == 200
        down = session.get(f"{base}/login")
        assert down.status_code == 502 and down.raw.headers.getlist("Strict-Transport-Security") == [HSTS]
        assert "The tracker is not answering just now" in down.text  # deploy/nginx/maintenance.html
        assert session.get(f"{base}/maintenance.html").status_code == 404  # only as the error page
    finally:
        server.stop()


def test_the_site_loads_in_debians_stock_nginx_conf(certificate, tmp_path):
    """Installed as deploy/README.md says: the site file beside everything Debian's nginx.conf sets."""
    stock = Path("/etc/nginx/nginx.conf")
    if not stock.exists():
        pytest.skip("no /etc/nginx/nginx.conf (Debian's nginx package) here")
    cert, key = certificate
    site = stack.NGINX_SITE.read_text().replace("/etc/ssl/tracker/fullchain.pem", str(cert))
    (tmp_path / "tracker.conf").write_text(site.replace("/etc/ssl/tracker/privkey.pem", str(key)))
    conf = stock.read_text().replace("include /etc/nginx/sites-enabled/*;", f"include {tmp_path / 'tracker.conf'};")
    conf = re.sub(r"^pid .*$", f"pid {tmp_path / 'nginx.pid'};", conf, flags=re.M).replace("/var/log/nginx/", f"{tmp_path}/")
    assert str(tmp_path / "tracker.conf") in conf
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-t", "-e", str(tmp_path / "error.log"),
                             "-c", str(tmp_path / "nginx.conf")], check=False, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr


def test_password_link_requests_are_counted_in_the_shared_redis(proxy, redis_url):
    """Flask-Limiter's per-address limit on password links lives in the one Redis
    that every app server points RATELIMIT_STORAGE_URI at."""
    Redis.from_url(redis_url).flushdb()
    session = browser(proxy)
    page = session.get(f"{proxy['https']}/password/forgot").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert token, page
    response = session.post(f"{proxy['https']}/password/forgot", allow_redirects=False,
                            headers={"Referer": f"{proxy['https']}/password/forgot"},
                            data={"csrf_token": token.group(1), "email": "nobody@example.org"})
    assert response.status_code == 302
    assert any(b"forgot" in key or b"LIMITS" in key for key in Redis.from_url(redis_url).keys("*")), \
        Redis.from_url(redis_url).keys("*")
