"""Many readers, some writers: 8 reader threads cycle through the benchmarked
pages while 2 writer threads log support days through the API, for
BENCH_HTTP_SECONDS, against the running gunicorn. Shows that the per-worker
caches (results_cache, keyed on the newest audit rows, and kept across changes
that do not touch them: tracker/cache_scope.py) stay correct — a reader never
sees fewer days than writers had been told were stored before its request
began — and what reading costs while the data keeps changing.

Each writer books a planned quarter day every BENCH_MIX_WRITE_INTERVAL seconds for its own people of the bench's
writers engagement, one date after another, so no write is double-booked.
Freshness is checked on two answers that come from the caches: the API's
day-list ``total`` and the engagement day page's "… of N" count.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
from datetime import date, timedelta

READERS = 8
WRITERS = 2
#: Seconds each writer waits between days (BENCH_MIX_WRITE_INTERVAL). 1 s is 2 days a second from the
#: two, 7,200 an hour: a person logging a day through the form takes tens of seconds, and a national
#: service logs about 550 in a whole day. The stress run (BENCH_MIX_STRESS_INTERVAL, 0.25 s: 8 a
#: second, 28,800 an hour) shows where the two workers saturate; 0 writes as fast as the server answers.
WRITE_INTERVAL = float(os.environ.get("BENCH_MIX_WRITE_INTERVAL", "1"))
STRESS_INTERVAL = float(os.environ.get("BENCH_MIX_STRESS_INTERVAL", "0.25"))


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


class Mix:
    def __init__(self, port: int, fixtures: dict, cookie: str, bearer: str, pages: list[tuple[str, str, str | None]],
                 interval: float = WRITE_INTERVAL, name: str = "http: mix, 8 readers + 2 writers"):
        self.port = port
        self.interval = interval
        self.name = name
        self.engagement = fixtures["writers_engagement_id"]
        self.staff = fixtures["writers_staff_ids"]
        self.first_date = date.fromisoformat(fixtures["today"]) + timedelta(days=1)
        self.headers = {"cookie": {"Cookie": cookie}, "bearer": {"Authorization": f"Bearer {bearer}"}, None: {}}
        self.pages = [p for p in pages if p[1] != "/healthz"]
        self.lock = threading.Lock()
        self.acked = 0  # writes answered 201
        self.read_ms: dict[str, list[float]] = {label: [] for label, _, _ in self.pages}
        self.write_ms: list[float] = []
        self.errors: list[str] = []
        self.stale: list[str] = []
        self.fresh_checks = 0
        self.stop = 0.0

    def _get(self, conn: http.client.HTTPConnection, path: str, auth: str | None) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        conn.request("GET", path, headers=self.headers[auth])
        response = conn.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - started) * 1000

    def baseline(self) -> int:
        """Days already on the writers engagement; writers start after its latest date (a re-run books new dates)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        status, body, _ = self._get(conn, f"/api/v1/engagements/{self.engagement}/days?per_page=1", "bearer")
        conn.close()
        if status != 200:
            raise SystemExit(f"mix: the writers engagement answered {status}: {body[:200]!r}")
        answer = json.loads(body)
        if answer["items"]:  # newest first
            self.first_date = max(self.first_date, date.fromisoformat(answer["items"][0]["worked_on"]) + timedelta(days=1))
        return answer["total"]

    def reader(self, index: int, start_total: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        checks = [
            (f"/api/v1/engagements/{self.engagement}/days?per_page=1", "bearer",
             lambda body: json.loads(body)["total"]),
            (f"/engagements/{self.engagement}/days?per_page=50", "cookie",
             lambda body: int(next(g for g in re.search(rb"of ([\d,]+)</span>|([\d,]+) in all", body).groups() if g)
                              .replace(b",", b""))),
        ]
        turn = index
        page_turn = index
        while time.monotonic() < self.stop:
            turn += 1
            try:
                if turn % 3 == 0:  # every third request: is what we read at least what was acknowledged?
                    path, auth, count = checks[(turn // 3) % 2]
                    with self.lock:
                        floor = start_total + self.acked
                    status, body, _ = self._get(conn, path, auth)
                    if status != 200:
                        self.errors.append(f"GET {path}: {status}")
                        continue
                    seen = count(body)
                    with self.lock:
                        self.fresh_checks += 1
                        if seen < floor:
                            self.stale.append(f"{path}: saw {seen}, {floor} acknowledged")
                    continue
                page_turn += 1
                label, path, auth = self.pages[page_turn % len(self.pages)]
                status, _, ms = self._get(conn, path, auth)
                if status != 200:
                    self.errors.append(f"GET {path}: {status}")
                with self.lock:
                    self.read_ms[label].append(ms)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"reader: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.close()

    def writer(self, index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        people = self.staff[index::WRITERS]
        slot = 0
        while time.monotonic() < self.stop:
            staff_id = people[slot % len(people)]
            on = self.first_date + timedelta(days=slot // len(people))
            slot += 1
            body = json.dumps({"staff_id": staff_id, "worked_on": on.isoformat(), "activity": "mentoring",
                               "days": "0.25", "state": "planned", "notes": "bench mix"}).encode()
            started = time.perf_counter()
            try:
                conn.request("POST", f"/api/v1/engagements/{self.engagement}/days", body=body,
                             headers=self.headers["bearer"] | {"Content-Type": "application/json"})
                response = conn.getresponse()
                answer = response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"writer: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            ms = (time.perf_counter() - started) * 1000
            if response.status != 201:
                self.errors.append(f"POST day: {response.status} {answer[:120]!r}")
                continue
            with self.lock:
                self.acked += 1
                self.write_ms.append(ms)
            time.sleep(max(0.0, min(self.interval, self.stop - time.monotonic())))  # not past the run's end
        conn.close()

    def run(self, seconds: int) -> dict:
        start_total = self.baseline()
        self.stop = time.monotonic() + seconds
        threads = [threading.Thread(target=self.reader, args=(i, start_total)) for i in range(READERS)]
        threads += [threading.Thread(target=self.writer, args=(i,)) for i in range(WRITERS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        reads = [ms for values in self.read_ms.values() for ms in values]
        return {
            "name": self.name, "seconds": _percentile(reads, 95) / 1000,
            "reads": len(reads) + self.fresh_checks, "read_rps": round((len(reads) + self.fresh_checks) / elapsed, 1),
            "read_p95_ms": round(_percentile(reads, 95), 2),
            "write_interval_s": self.interval, "writes": self.acked, "write_rps": round(self.acked / elapsed, 1),
            "write_p95_ms": round(_percentile(self.write_ms, 95), 2),
            "fresh_checks": self.fresh_checks, "stale_reads": len(self.stale), "errors": len(self.errors),
            "page_p95_ms": {label: round(_percentile(v, 95), 2) for label, v in self.read_ms.items()},
            "examples": (self.stale + self.errors)[:5],
        }
