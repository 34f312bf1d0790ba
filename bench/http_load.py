"""HTTP under load: gunicorn (2 workers, production config) serving the
generated world, driven by wrk at 10 connections for BENCH_HTTP_SECONDS
(default 30) per URL (bench/pages.py), then the readers-and-writers mix
(bench/mix_load.py; BENCH_MIX=0 skips it, BENCH_WRK=0 runs only /healthz
and the mix). Prints one JSON line per URL: requests/s, p50/p95/p99
in ms, non-2xx/3xx responses and socket errors, and the ratio of its
requests/s to the bare /healthz endpoint on the same server (the framework's
ceiling). Afterwards the workers' peak RSS.

    python bench/http_load.py FIXTURES.json PASSWORD
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.mix_load import STRESS_INTERVAL, Mix
from bench.pages import page_targets

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script: bench.* next to the app
ROOT = HERE.parent
LUA = HERE / "wrk_report.lua"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def sign_in(port: int, email: str, password: str) -> str:
    """The session cookie of a signed-in user, through the real login form."""
    response, page = request(port, "GET", "/login")
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        rb'name="csrf_token" value="([^"]+)"', page)
    form = urllib.parse.urlencode({"csrf_token": token.group(1).decode(), "email": email, "password": password}).encode()
    response, _ = request(port, "POST", "/login", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    if response.status != 302:
        raise SystemExit(f"sign-in as {email} failed: {response.status}")
    return response.getheader("Set-Cookie").split(";", 1)[0]


def api_token(port: int, email: str, password: str) -> str:
    body = json.dumps({"email": email, "password": password}).encode()
    response, data = request(port, "POST", "/api/v1/tokens", body, {"Content-Type": "application/json"})
    if response.status != 201:
        raise SystemExit(f"token for {email} failed: {response.status} {data[:200]!r}")
    return json.loads(data)["token"]


def wrk(port: int, path: str, header: str | None, seconds: int) -> dict:
    # --timeout 10s: a slow answer counts in the latency figures, not as a socket error.
    args = ["wrk", "-t2", "-c10", f"-d{seconds}s", "--timeout", "10s", "-s", str(LUA)]
    if header:
        args += ["-H", header]
    out = subprocess.run(args + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("JSON "))
    return json.loads(line[5:])


def warm_up(port: int, path: str, headers: dict) -> None:
    """Warm both workers, as a live server would be: ask from two connections at once until
    six answers in a row come back quickly (each worker computes a report once, at
    national scale seconds, before it keeps it)."""
    quick = 0
    for _ in range(60):
        with ThreadPoolExecutor(2) as pool:
            times = list(pool.map(lambda _: _timed(port, path, headers), range(2)))
        quick = quick + 2 if max(times) < 0.1 else 0
        if quick >= 6:
            return


def _timed(port: int, path: str, headers: dict) -> float:
    started = time.perf_counter()
    request(port, "GET", path, headers=headers)
    return time.perf_counter() - started


def peak_rss_mb(pids: list[int]) -> float:
    peak = 0.0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peak = max(peak, int(match.group(1)) / 1024)
    return round(peak, 1)


def main(fixtures_path: str, password: str) -> None:
    fixtures = json.loads(Path(fixtures_path).read_text())
    seconds = int(os.environ.get("BENCH_HTTP_SECONDS", "30"))
    port = free_port()
    env = dict(os.environ, TRACKER_ENV="production", SECRET_KEY=os.environ.get("SECRET_KEY") or os.urandom(32).hex())
    log_path = Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log"
    log = log_path.open("wb")
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}",
                               "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null", "app:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        for _ in range(100):
            try:
                if request(port, "GET", "/healthz")[0].status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit(f"gunicorn did not start; see {log_path}")
        cookie = "Cookie: " + sign_in(port, fixtures["manager_email"], password)
        bearer = "Authorization: Bearer " + api_token(port, fixtures["manager_email"], password)
        headers = {"cookie": cookie, "bearer": bearer, None: None}
        targets = [("healthz (bare Flask)" if path == "/healthz" else label, path, headers[auth])
                   for label, path, auth in page_targets(fixtures)]
        ceiling = None
        if os.environ.get("BENCH_WRK") == "0":  # the mix alone (while developing it)
            targets = targets[:1]
        for label, path, header in targets:
            warm_up(port, path, dict([header.split(": ", 1)]) if header else {})
            response, _ = request(port, "GET", path, headers=dict([header.split(": ", 1)]) if header else {})
            if response.status != 200:
                print(json.dumps({"name": f"http: {label}", "error": f"GET {path} answered {response.status}"}))
                continue
            result = wrk(port, path, header, seconds)
            ceiling = ceiling or result["rps"]
            result.update(name=f"http: {label}", path=path, ceiling_ratio=round(result["rps"] / ceiling, 3),
                          seconds=result["p95_ms"] / 1000)
            print(json.dumps(result), flush=True)
        if "writers_engagement_id" in fixtures and os.environ.get("BENCH_MIX", "1") != "0":
            runs = [Mix(port, fixtures, cookie.split(": ", 1)[1], bearer.rsplit(" ", 1)[1], page_targets(fixtures))]
            if os.environ.get("BENCH_MIX_STRESS", "1") != "0":
                runs.append(Mix(port, fixtures, cookie.split(": ", 1)[1], bearer.rsplit(" ", 1)[1], page_targets(fixtures),
                                interval=STRESS_INTERVAL, name="http: mix under stress, 2 writers at 4 days/s each"))
            for mix in runs:
                result = mix.run(seconds)
                result["ceiling_ratio"] = round(result["read_rps"] / ceiling, 3) if ceiling else None
                print(json.dumps(result), flush=True)
        workers = [int(p) for p in subprocess.run(["pgrep", "-P", str(server.pid)], check=False, capture_output=True, text=True).stdout.split()]
        print(json.dumps({"name": "http: gunicorn worker peak RSS", "rss_mb": peak_rss_mb(workers), "seconds": None}))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
