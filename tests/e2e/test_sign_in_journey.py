"""Sign-in journeys in Chromium: password then a TOTP code (computed with pyotp,
as a phone would), and single sign-on through the real OpenID provider."""

import json
import re
import threading
import time
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.factories import PASSWORD
from tests.oidc_peer import CLIENT_ID, CLIENT_SECRET, oidc_provider

AXE = Path(__file__).resolve().parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


@pytest.fixture
def csp_free_page(browser):
    """A page that may inject axe-core (the app's CSP forbids inline script, rightly)."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context.new_page()
    context.close()


def test_password_then_totp_code(csp_free_page, live_server, world, shot):
    page, base = csp_free_page, live_server
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill("manager@lead.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Multi-factor authentication (MFA)").click()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "sign-in-01-mfa-setup")
    secret = page.locator("code.mfa-key").inner_text().replace(" ", "")  # shown in groups of four
    totp = pyotp.TOTP(secret)
    page.get_by_label(re.compile("Code from your authenticator app")).fill(totp.now())
    page.get_by_role("button", name="Turn on MFA").click()
    expect(page.get_by_role("heading", name="MFA is on: keep your recovery codes")).to_be_visible()
    assert page.locator("ul.recovery-codes li").count() == 10
    shot(page, "sign-in-02-recovery-codes")

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("E-mail").fill("manager@lead.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert axe_violations(page) == []
    code = page.get_by_label(re.compile("Code from your authenticator app"))
    code.fill("000000" if totp.now() != "000000" else "111111")
    code.press("Enter")
    expect(page.locator("#code-error")).to_contain_text("That code is not right")
    # The code used to enrol is spent: the phone's next code (one step ahead is accepted).
    page.get_by_label(re.compile("Code from your authenticator app")).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/")
    expect(page.locator(".who")).to_contain_text("Max Manager")
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_text("This browser")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "sign-in-03-account")


@pytest.fixture
def sso_server(app):
    """The app on a loopback port known before the provider starts (its redirect URI)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with oidc_provider([f"{base}/login/sso/callback"]) as issuer:
            app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET)
            yield base
    finally:
        app.config.update(OIDC_ISSUER="", OIDC_CLIENT_ID="", OIDC_CLIENT_SECRET="", WTF_CSRF_ENABLED=False)
        server.shutdown()
        thread.join(timeout=5)


def test_sign_in_through_the_council_openid_provider(page, sso_server, world, shot):
    base = sso_server
    page.goto(f"{base}/engagements/")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.locator("input[name=login]").fill("finance@lead.example.org")
    page.locator("input[name=password]").fill("anything: the test provider's form")
    shot(page, "sign-in-04-provider")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{base}/engagements/")
    expect(page.locator(".who")).to_contain_text("Fin Officer")
    shot(page, "sign-in-05-after-sso")
    page.goto(f"{base}/account/")
    expect(page.get_by_role("cell", name="sso", exact=True)).to_be_visible()
    assert json.dumps(page.context.cookies()).count('"session"') == 1
