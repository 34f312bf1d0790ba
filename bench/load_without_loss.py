"""Reliability drill (issue 8): load without loss. Not part of make test.

    .venv/bin/python bench/load_without_loss.py [--seconds 60] [--users 20] [--workers 2]

Starts a throwaway PostgreSQL (scripts/with-postgres.sh, unless TEST_DATABASE_URL
is already set), migrates it, loads the demo world, adds bench consultants, starts
gunicorn (2 workers on 127.0.0.1), then for --seconds runs --users concurrent
virtual users (plain threads + requests):

- consultants log days through POST /api/v1/engagements/{id}/days, each on their
  own dates (mostly 201), now and then deliberately re-posting a taken cell or
  over-booking a date (409);
- managers read the capacity page, the capacity API, the engagement list page and
  API, and now and then book a full day for a bench consultant on a random date
  (racing the consultant: 201 or 409);
- finance officers draft (POST /api/v1/invoices), issue (POST /issue), sometimes
  delete a draft or credit an issued invoice, racing each other for the same days.

Every response is recorded. Afterwards it asserts: no 5xx and no transport error;
every acknowledged write (201/200/204) is in the database exactly once and the
database holds nothing the clients were not told about; invoice and credit-note
numbers are gap-free with no duplicates; `flask check` passes. It prints a summary
table and exits non-zero when a rule fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the app's packages, for set-up and the checks
TODAY = date(2026, 11, 23)  # pinned (TRACKER_TODAY) so the demo world and the dates below line up
PASSWORD = "demo passphrase 1"  # noqa: S105 (a throwaway demo database)
BENCH_CONSULTANTS = 12
TIMEOUT = 60


# --- records ----------------------------------------------------------------------------


@dataclass
class Call:
    user: str
    label: str
    method: str
    status: int  # 0 = transport error (no answer)
    seconds: float
    body: dict | None = None
    sent: dict | None = None
    path: str = ""


@dataclass
class Log:
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)


class Agent:
    def __init__(self, name: str, base: str, log: Log, token: str | None = None):
        self.name, self.base, self.log = name, base, log
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, label: str, json_body=None, keep=False, **kw) -> Call:
        started = time.perf_counter()
        try:
            response = self.http.request(method, self.base + path, json=json_body, timeout=TIMEOUT, **kw)
            status = response.status_code
            body = None
            if keep or status >= 500:
                try:
                    body = response.json()
                except ValueError:
                    body = {"text": response.text[:500]}
            text = response.text if label.startswith("web") else ""
        except requests.RequestException as error:
            status, body, text = 0, {"error": repr(error)}, ""
        call = Call(self.name, label, method, status, time.perf_counter() - started, body, json_body, path)
        call.text = text  # type: ignore[attr-defined]
        self.log.add(call)
        return call


# --- the virtual users -------------------------------------------------------------------


def consultant(agent: Agent, me: dict, stop: float, rng: random.Random) -> None:
    """Walk my own dates: two half days a date (one per engagement); sometimes a deliberate clash."""
    cwac, wirral = me["engagements"]
    dates = [d for d in (date(2026, 8, 3) + timedelta(days=i) for i in range(300)) if d.weekday() < 5]
    rng.shuffle(dates)
    slots = [(d, e, a) for d in dates for e, a in ((cwac, "scoping"), (wirral, "mentoring"))]
    done: list[dict] = []
    while time.monotonic() < stop and slots:
        roll = rng.random()
        if roll < 0.15:
            agent.call("GET", f"/api/v1/engagements/{cwac}/days?per_page=50", "consultant list days")
            continue
        if roll < 0.19 and done:  # delete one of my days (409 once a draft or an invoice holds it)
            victim = done.pop(rng.randrange(len(done)))
            agent.call("DELETE", f"/api/v1/days/{victim['id']}", "consultant delete day", keep=True)
            continue
        if roll < 0.27 and done:
            clash = {k: v for k, v in rng.choice(done).items() if k != "id"}
            if rng.random() < 0.5:
                label = "consultant clash (same cell)"
            else:
                clash.update(days="1.00", activity="training")
                label = "consultant clash (over 1 day)"
            agent.call("POST", f"/api/v1/engagements/{clash.pop('engagement_id')}/days", label, clash, keep=True)
            continue
        worked_on, engagement_id, activity = slots.pop()
        body = {"staff_id": me["staff_id"], "worked_on": worked_on.isoformat(), "activity": activity, "days": "0.50",
                "state": "delivered" if worked_on <= TODAY else "planned", "notes": "bench"}
        call = agent.call("POST", f"/api/v1/engagements/{engagement_id}/days", "consultant log day", body, keep=True)
        if call.status == 201:
            done.append(body | {"engagement_id": engagement_id, "id": call.body["id"]})


def manager(agent: Agent, web: requests.Session, bench: list[dict], stop: float, rng: random.Random) -> None:
    web_agent = Agent(agent.name + " (web)", agent.base, agent.log)
    web_agent.http = web
    while time.monotonic() < stop:
        roll = rng.random()
        if roll < 0.25:
            web_agent.call("GET", "/reports/capacity?month=2026-11", "web capacity page")
        elif roll < 0.45:
            agent.call("GET", "/api/v1/reports/capacity?month=2026-11", "api capacity report")
        elif roll < 0.6:
            web_agent.call("GET", "/engagements/", "web engagement list")
        elif roll < 0.75:
            agent.call("GET", "/api/v1/engagements", "api engagement list")
        elif roll < 0.85:
            agent.call("GET", "/api/v1/invoices?per_page=20", "api invoice list")
        else:  # race a consultant for one of their dates
            who = rng.choice(bench)
            worked_on = date(2026, 8, 3) + timedelta(days=rng.randrange(110))
            if worked_on.weekday() >= 5:
                continue
            body = {"staff_id": who["staff_id"], "worked_on": worked_on.isoformat(), "activity": "training",
                    "days": "1.00", "state": "delivered", "notes": "bench manager"}
            agent.call("POST", f"/api/v1/engagements/{who['engagements'][0]}/days", "manager book day (race)",
                       body, keep=True)


def finance(agent: Agent, clients: list[int], shared: list[int], stop: float, rng: random.Random) -> None:
    while time.monotonic() < stop:
        if shared and rng.random() < 0.2:  # race another officer for their latest draft: issue it or delete it
            other = shared[-1]
            if rng.random() < 0.7:
                agent.call("POST", f"/api/v1/invoices/{other}/issue", "finance issue (race)", keep=True)
            else:
                agent.call("DELETE", f"/api/v1/invoices/{other}", "finance delete draft (race)", keep=True)
            continue
        client_id = rng.choice(clients)
        draft = agent.call("POST", "/api/v1/invoices", "finance draft", {"client_id": client_id,
                                                                        "up_to": TODAY.isoformat()}, keep=True)
        if draft.status != 201:
            time.sleep(0.2)  # nothing billable yet (409): let the consultants log some more
            continue
        invoice_id = draft.body["id"]
        shared.append(invoice_id)
        if rng.random() < 0.12:
            agent.call("DELETE", f"/api/v1/invoices/{invoice_id}", "finance delete draft", keep=True)
            continue
        issued = agent.call("POST", f"/api/v1/invoices/{invoice_id}/issue", "finance issue", keep=True)
        if issued.status == 200 and rng.random() < 0.15:
            agent.call("POST", f"/api/v1/invoices/{invoice_id}/credit", "finance credit", {"reason": "bench drill"},
                       keep=True)


# --- set-up --------------------------------------------------------------------------------


def flask(*args: str, env: dict) -> str:
    done = subprocess.run([sys.executable, "-m", "flask", *args], check=False, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def app_context():
    from tracker import create_app

    app = create_app()
    return app, app.app_context()


def add_bench_consultants(count: int) -> dict:
    """Consultant staff + users (on the CWAC and Wirral teams) and their tokens; the demo's ids."""
    import sqlalchemy as sa

    from tracker.auth import services as auth
    from tracker.authorities.models import Authority
    from tracker.billing.models import Invoice
    from tracker.database import utcnow
    from tracker.days.models import SupportDay
    from tracker.engagements.models import Engagement, EngagementMember
    from tracker.extensions import db
    from tracker.staff import services as staff

    app, ctx = app_context()
    with ctx:
        s = db.session
        engagements = {e.title: e for e in s.scalars(sa.select(Engagement))}
        cwac = next(e for t, e in engagements.items() if t.startswith("Commissioning support package"))
        wirral = next(e for t, e in engagements.items() if t.startswith("SAP facilitation"))
        bench = []
        for n in range(1, count + 1):
            email = f"bench.consultant{n:02d}@halton.example.org"
            member = staff.create_staff(s, "bench", staff.StaffInput(
                name=f"Bench Consultant {n:02d}", email=email, job_title="Commissioner"))
            for engagement in (cwac, wirral):
                s.add(EngagementMember(engagement_id=engagement.id, staff_id=member.id))
            s.commit()
            user = auth.create_user(s, "bench", email, PASSWORD, "consultant", name=member.name, staff_id=member.id)
            token, _ = auth.issue_token(s, user, utcnow(), app.config["API_TOKEN_LIFETIME"])
            bench.append({"staff_id": member.id, "token": token, "engagements": [cwac.id, wirral.id]})
        result = {
            "bench": bench,
            "clients": [cwac.client_id, wirral.client_id],
            "max_day_id": s.scalar(sa.select(sa.func.max(SupportDay.id))) or 0,
            "max_invoice_id": s.scalar(sa.select(sa.func.max(Invoice.id))) or 0,
            "authorities": s.scalar(sa.select(sa.func.count()).select_from(Authority)),
        }
        db.engine.dispose()
    return result


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_login(base: str, email: str) -> requests.Session:
    web = requests.Session()
    page = web.get(base + "/login", timeout=TIMEOUT)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    response = web.post(base + "/login", data={"csrf_token": token.group(1), "email": email, "password": PASSWORD,
                                               "next": ""}, timeout=TIMEOUT, allow_redirects=False)
    if response.status_code != 302:
        raise SystemExit(f"web login for {email} failed: {response.status_code}")
    return web


def api_token(base: str, email: str) -> str:
    response = requests.post(base + "/api/v1/tokens", json={"email": email, "password": PASSWORD}, timeout=TIMEOUT)
    if response.status_code != 201:
        raise SystemExit(f"token for {email} failed: {response.status_code} {response.text[:300]}")
    return response.json()["token"]


# --- checks --------------------------------------------------------------------------------


def verify(log: Log, setup: dict, env: dict) -> tuple[list[str], dict]:
    import sqlalchemy as sa

    from tracker.billing.models import Invoice, InvoiceKind, InvoiceStatus
    from tracker.days.models import SupportDay
    from tracker.extensions import db

    problems: list[str] = []
    calls = log.calls
    for c in calls:
        if c.status >= 500 or c.status == 0:
            problems.append(f"{c.user} {c.method} {c.label}: {c.status} {json.dumps(c.body)[:300]}")

    day_acks = {c.body["id"]: c for c in calls if c.method == "POST" and "day" in c.label and c.status == 201}
    draft_acks = {c.body["id"] for c in calls if c.label == "finance draft" and c.status == 201}
    days_deleted = {int(c.path.rsplit("/", 1)[1]) for c in calls if c.label == "consultant delete day" and c.status == 204}
    deleted = {int(c.path.rsplit("/", 1)[1]) for c in calls if c.label.startswith("finance delete") and c.status == 204}
    issued: dict[int, str] = {}
    for c in calls:
        if c.label.startswith("finance issue") and c.status == 200:
            if c.body["id"] in issued:
                problems.append(f"invoice {c.body['id']} acknowledged as issued twice")
            issued[c.body["id"]] = c.body["number"]
    problems += [f"invoice {i} acknowledged both as deleted and as issued" for i in deleted & set(issued)]
    credits = {c.body["id"]: c.body["number"] for c in calls if c.label == "finance credit" and c.status == 201}

    _, ctx = app_context()
    with ctx:
        s = db.session
        rows = s.execute(sa.select(SupportDay.id, SupportDay.staff_id, SupportDay.engagement_id, SupportDay.worked_on,
                                   SupportDay.activity, SupportDay.days).where(SupportDay.id > setup["max_day_id"]))
        found_days = {r.id: r for r in rows}
        for day_id in days_deleted & set(found_days):
            problems.append(f"support day {day_id} was acknowledged as deleted (204) but is still stored")
        for day_id, ack in day_acks.items():
            if day_id in days_deleted:
                continue
            row = found_days.get(day_id)
            if row is None:
                problems.append(f"lost write: support day {day_id} was acknowledged (201) but is not stored")
            elif (row.staff_id, row.worked_on.isoformat(), row.activity.value, f"{row.days:.2f}") != (
                    ack.sent["staff_id"], ack.sent["worked_on"], ack.sent["activity"], ack.sent["days"]):
                problems.append(f"support day {day_id} stored differently from what was acknowledged")
        for day_id in set(found_days) - set(day_acks) - days_deleted:
            problems.append(f"unacknowledged write: support day {day_id} is stored but no client was told")
        cells = Counter((r.staff_id, r.engagement_id, r.worked_on, r.activity) for r in found_days.values())
        problems += [f"duplicate day cell {cell}" for cell, n in cells.items() if n > 1]

        invoices = {i.id: i for i in s.scalars(sa.select(Invoice).where(Invoice.id > setup["max_invoice_id"]))}
        found_invoices = {i for i, inv in invoices.items() if inv.kind == InvoiceKind.INVOICE}
        found_credits = {i for i, inv in invoices.items() if inv.kind == InvoiceKind.CREDIT_NOTE}
        if found_invoices != draft_acks - deleted:
            problems.append(f"invoices stored {sorted(found_invoices - (draft_acks - deleted))[:10]} not acknowledged; "
                            f"acknowledged but missing {sorted((draft_acks - deleted) - found_invoices)[:10]}")
        if found_credits != set(credits):
            problems.append(f"credit notes stored vs acknowledged differ: {sorted(found_credits ^ set(credits))[:10]}")
        for invoice_id, number in {**issued, **credits}.items():
            inv = invoices.get(invoice_id)
            if inv is None or inv.number != number or inv.status == InvoiceStatus.DRAFT:
                problems.append(f"document {invoice_id} was acknowledged as {number} but is stored as "
                                f"{inv and inv.number} ({inv and inv.status.value})")
        for invoice_id in found_invoices - set(issued):
            if invoices[invoice_id].status != InvoiceStatus.DRAFT:
                problems.append(f"invoice {invoice_id} is issued ({invoices[invoice_id].number}) but no issue was acknowledged")
        numbers = list(issued.values()) + list(credits.values())
        problems += [f"number {n} acknowledged {k} times" for n, k in Counter(numbers).items() if k > 1]
        series: dict[tuple, list[int]] = defaultdict(list)
        for kind, number in s.execute(sa.select(Invoice.kind, Invoice.number).where(Invoice.number.is_not(None))):
            prefix, year, value = number.rsplit("-", 2)
            series[(kind.value, prefix, year)].append(int(value))
        for key, values in sorted(series.items()):
            if sorted(values) != list(range(1, len(values) + 1)):
                problems.append(f"series {key} is not gap-free 1..{len(values)}: {sorted(values)}")
        db.engine.dispose()

    check = subprocess.run([sys.executable, "-m", "flask", "check"], check=False, cwd=ROOT, env=env, capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f"flask check failed:\n{check.stdout}{check.stderr}")
    figures = {
        "days acknowledged (created - deleted)": len(set(day_acks) - days_deleted), "days found": len(found_days),
        "invoices acknowledged (drafts - deleted)": len(draft_acks - deleted), "invoices found": len(found_invoices),
        "issues acknowledged": len(issued), "issued found": sum(1 for i in found_invoices
                                                                if invoices[i].status != InvoiceStatus.DRAFT),
        "credit notes acknowledged": len(credits), "credit notes found": len(found_credits),
        "series": {f"{k[0]} {k[1]}-{k[2]}": len(v) for k, v in sorted(series.items())},
        "flask check": check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.returncode,
    }
    return problems, figures


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(log: Log, seconds: float, figures: dict) -> str:
    by_label: dict[str, list[Call]] = defaultdict(list)
    for c in log.calls:
        by_label[c.label].append(c)
    lines = [f"{'request':<30}{'n':>6}{'rps':>7}{'p50 ms':>8}{'p95 ms':>8}  statuses"]
    for label, calls in sorted(by_label.items()):
        times = [c.seconds * 1000 for c in calls]
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(Counter(c.status for c in calls).items()))
        codes = Counter(c.body["error"].get("code") for c in calls
                        if c.status == 409 and isinstance(c.body, dict) and isinstance(c.body.get("error"), dict))
        if codes:
            statuses += " (" + ", ".join(f"{k}:{v}" for k, v in sorted(codes.items())) + ")"
        lines.append(f"{label:<30}{len(calls):>6}{len(calls) / seconds:>7.1f}{percentile(times, .5):>8.0f}"
                     f"{percentile(times, .95):>8.0f}  {statuses}")
    times = [c.seconds * 1000 for c in log.calls]
    statuses = " ".join(f"{k}:{v}" for k, v in sorted(Counter(c.status for c in log.calls).items()))
    lines.append(f"{'ALL':<30}{len(times):>6}{len(times) / seconds:>7.1f}{percentile(times, .5):>8.0f}"
                 f"{percentile(times, .95):>8.0f}  {statuses}")
    if times:
        lines.append(f"mean latency {statistics.mean(times):.0f} ms over {seconds:.1f} s")
    lines.append("")
    lines += [f"{k:<42} {v}" for k, v in figures.items()]
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    if not os.environ.get("TEST_DATABASE_URL"):
        wrapper = str(ROOT / "scripts/with-postgres.sh")
        os.execv(wrapper, [wrapper, sys.executable, *sys.argv])  # noqa: S606 (our own script)
    instance = tempfile.mkdtemp(prefix="tracker-drill-")
    os.environ.update({"DATABASE_URL": os.environ["TEST_DATABASE_URL"], "TRACKER_ENV": "development",
                       "SECRET_KEY": "drill-" + "x" * 40, "TRACKER_INSTANCE_DIR": instance,
                       "TRACKER_TODAY": TODAY.isoformat(), "FLASK_APP": "app.py"})
    env = dict(os.environ)
    bin_dir = Path(sys.executable).parent
    print("migrating and loading the demo world ...", flush=True)
    flask("db", "upgrade", env=env)
    flask("demo", "load", "--password", PASSWORD, env=env)
    setup = add_bench_consultants(max(BENCH_CONSULTANTS, args.users))

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = Path(instance) / "gunicorn.log"
    server_out = server_log.open("w")  # gunicorn's log and the app's (tracebacks of any 500) on stderr
    server = subprocess.Popen([str(bin_dir / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
                               "app:app"], cwd=ROOT, env=env, stdout=server_out, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("gunicorn did not start")
        log = Log()
        rng = random.Random(args.seed)
        finance_token = [api_token(base, "finance@halton.example.org") for _ in range(3)]
        managers = [("helen.ashworth@halton.example.org", api_token(base, "helen.ashworth@halton.example.org")),
                    ("ann.mcintyre@halton.example.org", api_token(base, "ann.mcintyre@halton.example.org"))]
        webs = {email: web_login(base, email) for email, _ in managers}

        n_finance = max(1, round(args.users * 0.15))
        n_managers = max(1, round(args.users * 0.25))
        n_consultants = max(1, args.users - n_finance - n_managers)
        workers = []
        stop = time.monotonic() + args.seconds
        bench = setup["bench"]
        for i in range(n_consultants):
            me = bench[i]  # one bench person per virtual consultant: their own dates
            agent = Agent(f"consultant{i + 1}", base, log, me["token"])
            workers.append(threading.Thread(target=consultant, args=(agent, me, stop, random.Random(rng.random()))))
        for i in range(n_managers):
            email, token = managers[i % len(managers)]
            agent = Agent(f"manager{i + 1}", base, log, token)
            workers.append(threading.Thread(target=manager, args=(agent, webs[email], bench, stop,
                                                                  random.Random(rng.random()))))
        drafts: list[int] = []  # every draft made, shared by the finance officers
        for i in range(n_finance):
            agent = Agent(f"finance{i + 1}", base, log, finance_token[i % len(finance_token)])
            workers.append(threading.Thread(target=finance, args=(agent, setup["clients"], drafts, stop,
                                                                  random.Random(rng.random()))))
        print(f"{len(workers)} users ({n_consultants} consultants, {n_managers} managers, {n_finance} finance) "
              f"for {args.seconds:.0f} s against gunicorn -w {args.workers} on {base} ...", flush=True)
        started = time.monotonic()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        server_out.close()
    problems, figures = verify(log, setup, env)
    print(summary(log, elapsed, figures))
    tracebacks = server_log.read_text().count("Traceback") if server_log.exists() else 0
    if tracebacks:
        problems.append(f"{tracebacks} tracebacks in the server log {server_log}")
    if problems:
        print(f"\nFAILED: {len(problems)} problems")
        for p in problems[:50]:
            print("  -", p)
        return 1
    print("\nPASSED: no 5xx, no lost or unacknowledged write, gap-free numbers, flask check clean.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
