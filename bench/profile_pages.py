"""Where a page's time goes: run each benchmarked page N times in-process
(the Flask test client, production config, signed in as the bench manager)
and print its mean cost per request beside /healthz's, then (with --profile)
pyinstrument's call tree of one page, to see auth/session load, queries, ORM
hydration and template rendering. Not part of make test.

    DATABASE_URL=sqlite:////tmp/world.db python bench/profile_pages.py FIXTURES.json PASSWORD [N] [--profile NAME|all]

--profile all prints, under each page, the share of its time in each kind of work.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

os.environ.setdefault("TRACKER_ENV", "production")
os.environ.setdefault("SECRET_KEY", os.urandom(32).hex())

from pyinstrument import Profiler

from bench.pages import page_targets
from tracker import create_app


def sign_in(client, email: str, password: str) -> None:
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    response = client.post("/login", base_url="https://localhost",
                           data={"csrf_token": token.group(1), "email": email, "password": password},
                           headers={"Referer": "https://localhost/login"})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: {response.status_code}")


def _category(frame, outer: str | None) -> str | None:
    """Where a sampled frame's time goes. The sign-in (user loading, with its query) is one bucket
    wherever it happens; otherwise the innermost kind of work counts."""
    path = frame.file_path or ""
    if outer == "auth/session load":
        return outer
    if "flask_login" in path or "tracker/auth/" in path or "flask/sessions" in path or "itsdangerous" in path:
        return "auth/session load"
    if "sqlalchemy/orm/loading" in path or "sqlalchemy/orm/strategies" in path or "sqlalchemy/orm/state" in path:
        return "ORM hydration"
    if "sqlalchemy" in path:
        return outer if outer == "ORM hydration" else "queries (SQLAlchemy and the database)"
    if "jinja2" in path or path.endswith(".html") or "markupsafe" in path or "templating" in path:
        return "template rendering"
    if "results_cache" in path or "page_cache" in path:
        return outer if outer else "caches"
    return outer


def breakdown(profiler) -> dict[str, float]:
    """Seconds per category over the profiled requests."""
    totals: dict[str, float] = {}

    def walk(frame, outer):
        category = _category(frame, outer)
        own = frame.time - sum(child.time for child in frame.children)
        totals[category or "Flask, views, other"] = totals.get(category or "Flask, views, other", 0) + own
        for child in frame.children:
            walk(child, category)

    walk(profiler.last_session.root_frame(), None)
    return totals


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    fixtures = json.loads(Path(args[0]).read_text())
    password = args[1]
    count = int(args[2]) if len(args) > 2 else 50
    profile = sys.argv[sys.argv.index("--profile") + 1] if "--profile" in sys.argv else None
    app = create_app()
    client = app.test_client()
    api = app.test_client()
    sign_in(client, fixtures["manager_email"], password)
    token = api.post("/api/v1/tokens", json={"email": fixtures["manager_email"], "password": password},
                     base_url="https://localhost").get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    ceiling = None
    for label, path, auth in page_targets(fixtures):
        if profile not in (None, "all") and label not in (profile, "healthz"):
            continue
        who, extra = (api, headers) if auth == "bearer" else (client, {})

        def get(who=who, path=path, extra=extra):
            response = who.get(path, headers=extra, base_url="https://localhost")
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
            return response

        for _ in range(3):
            size = len(get().data)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(count):
            get()
        ms = (time.perf_counter() - started) * 1000 / count
        cpu_ms = (time.process_time() - cpu) * 1000 / count  # steadier than wall time on a shared machine
        ceiling = ceiling or cpu_ms
        print(f"{label:28s} {ms:7.2f} ms/request, CPU {cpu_ms:6.2f} ms ({ceiling / cpu_ms:6.1%} of healthz)"
              f"  {size / 1024:7.1f} KB", flush=True)
        if profile in (label, "all") and label != "healthz":
            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(count):
                get()
            profiler.stop()
            if profile == "all":  # one line per page: where its time goes
                parts = breakdown(profiler)
                whole = sum(parts.values())
                print("    " + ", ".join(f"{name} {share / whole:.0%}" for name, share in
                                        sorted(parts.items(), key=lambda item: -item[1]) if share / whole >= 0.01))
            else:
                print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
