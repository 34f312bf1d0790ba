"""Fixtures: one real SMTP server per module (emptied before each test), and
the app pointed at it."""

from __future__ import annotations

import pytest

from tests.mail.smtp import SmtpServer


@pytest.fixture(scope="module")
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app, smtp_server, monkeypatch):
    """The app sends to the real loopback server; retries are immediate-ish and bounded."""
    smtp_server.handler.clear()
    monkeypatch.setitem(app.config, "SMTP_URL", smtp_server.url)
    monkeypatch.setitem(app.config, "MAIL_FROM", "tracker@lead.example.org")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tracker.lead.example.org")
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 2.0)
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    return smtp_server


def send_mail(runner) -> str:
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    return result.output
