"""Two app servers (A and B, one gunicorn each) sharing one PostgreSQL and one Redis.

Requests go straight to each server's port so that "through A" and "through B"
are certain (nginx would alternate between them)."""

from __future__ import annotations

import os
import signal
import threading
from datetime import date
from decimal import Decimal

import requests
import sqlalchemy as sa

from tests.factories import PASSWORD, TODAY, day, weekdays
from tracker.auth import throttle
from tracker.billing.models import Invoice, InvoiceDayClaim
from tracker.days.models import SupportDay
from tracker.extensions import db


def bearer(api_as, role: str) -> dict:
    return {"Authorization": f"Bearer {api_as(role).token}"}


def test_a_day_logged_through_one_server_is_in_the_next_report_read_through_the_other(app_servers, world, api_as, session):
    (_, a), (_, b) = app_servers["a"], app_servers["b"]
    report = f"{b}/api/v1/reports/income?start=2026-11-01&end=2026-11-30&client_id={world.client_a.id}"
    consultant, manager = bearer(api_as, "consultant"), bearer(api_as, "manager")

    def log_day(on: date):
        body = {"staff_id": world.staff["s1"].id, "worked_on": on.isoformat(), "activity": "scoping", "days": "1.00"}
        response = requests.post(f"{a}/api/v1/engagements/{world.engagement_a.id}/days", json=body, headers=consultant, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def days_in_report():
        response = requests.get(report, headers=manager, timeout=30)
        assert response.status_code == 200, response.text
        return Decimal(response.json()["totals"]["days"])

    first = log_day(date(2026, 11, 16))
    assert days_in_report() == Decimal("1.00")

    # B's report cache is on: a change the audit log does not see (raw SQL, which the app
    # never does) is not noticed, so B really is serving its cached figures...
    session.execute(sa.update(SupportDay).where(SupportDay.id == first).values(days=Decimal("0.5")))
    session.commit()
    assert days_in_report() == Decimal("1.00")

    # ...yet a day logged through A is in B's very next answer: the cache is keyed on the
    # database's newest audit row, which every server's writes move.
    log_day(date(2026, 11, 17))
    assert days_in_report() == Decimal("1.50")


def test_failed_sign_ins_count_across_both_servers(app_servers, world, redis_url):
    """Failures alternate between A and B; the account slows down once the failures seen
    by both servers together pass the free allowance (neither alone has seen that many),
    with a truthful Retry-After; a colleague behind the same address signs in meanwhile."""
    servers = [app_servers["a"][1], app_servers["b"][1]]
    body = {"email": world.users["finance"].email, "password": "not the password"}
    answers = []
    for attempt in range(throttle.ACCOUNT_FREE + 4):
        response = requests.post(f"{servers[attempt % 2]}/api/v1/tokens", json=body, timeout=30)
        answers.append(response)
        if response.status_code == 429:
            break
    codes = [r.status_code for r in answers]
    assert codes[:throttle.ACCOUNT_FREE] == [401] * throttle.ACCOUNT_FREE, codes
    refused = answers[-1]
    assert refused.status_code == 429, codes  # the progressive delay, counted across both servers
    assert refused.json()["error"]["code"] == "too_many_requests"
    assert 1 <= int(refused.headers["Retry-After"]) <= throttle.ACCOUNT_DELAY_CAP
    colleague = {"email": world.users["manager"].email, "password": PASSWORD}
    for base in servers:
        assert requests.post(f"{base}/api/v1/tokens", json=colleague, timeout=30).status_code == 201


def test_a_draft_raced_through_both_servers_has_one_winner(app_servers, world, api_as, session):
    for worked_on in weekdays(date(2026, 9, 1), 5):
        day(session, world.engagement_a, world.staff["s1"], worked_on, "1")
    body = {"client_id": world.client_a.id, "up_to": TODAY.isoformat()}
    callers = [(app_servers["a"][1], bearer(api_as, "finance")), (app_servers["b"][1], bearer(api_as, "manager"))]
    session.remove()  # the test holds no connection while the servers race
    start = threading.Barrier(len(callers))
    statuses: list = [None] * len(callers)

    def draft(index: int):
        base, headers = callers[index]
        start.wait(timeout=10)
        statuses[index] = requests.post(f"{base}/api/v1/invoices", json=body, headers=headers, timeout=60).status_code

    threads = [threading.Thread(target=draft, args=(i,)) for i in range(len(callers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert sorted(statuses) == [201, 409], statuses
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceDayClaim)) == 5


def test_reloading_an_app_server_refuses_no_request(app_servers):
    """`systemctl reload tracker-web` (SIGHUP): new workers start on the new code while
    requests wait in the listening socket's queue instead of failing (deploy/README.md, Upgrade)."""
    server, base = app_servers["b"]
    booted = server.log_text().count("Booting worker")
    os.kill(server.process.pid, signal.SIGHUP)
    statuses = [requests.get(f"{base}/healthz", timeout=60).status_code for _ in range(5)]
    server.wait_until(lambda: server.log_text().count("Booting worker") > booted, timeout=60)
    statuses += [requests.get(f"{base}/healthz", timeout=60).status_code for _ in range(5)]
    assert statuses == [200] * 10
    assert "Handling signal: hup" in server.log_text()
