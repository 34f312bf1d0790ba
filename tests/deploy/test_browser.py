"""A real browser (Debian's Chromium) signs in through nginx's HTTPS to the two app servers."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "e2e" / "artifacts"


@pytest.mark.e2e
def test_chromium_signs_in_over_https_and_loads_the_styles_from_nginx(proxy, world):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed: run scripts/system-deps.sh test (make test does)")
    base = proxy["https"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(ignore_https_errors=True, locale="en-GB")  # the test's self-signed certificate
            page = context.new_page()
            styles = []
            page.on("response", lambda r: styles.append(r) if "/static/css/app.css" in r.url else None)
            page.goto(f"{base}/login")
            page.get_by_label("E-mail").fill(world.users["manager"].email)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/")  # the form's POST passed CSRF's https checks behind the proxy
            assert page.get_by_role("heading").first.is_visible()

            cookie = next(c for c in context.cookies() if c["name"] == "session")
            assert cookie["secure"] and cookie["httpOnly"]
            first = styles[0]
            assert first.status == 200 and "immutable" in first.headers["cache-control"]  # nginx's headers
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "deploy-home-through-nginx.png"), full_page=True)
        finally:
            browser.close()
