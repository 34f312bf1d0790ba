"""Browser journeys: Playwright drives Debian's Chromium against the app served
from a thread (same database as the rest of the run, CSRF on)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.oidc_peer import RUNNING_ISSUERS

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parents[1] / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the axe-core check below inject its script into our CSP-protected pages.
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB", "bypass_csp": True}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/node` (make test does)")
    return AXE.read_text(encoding="utf-8")


AXE_RUN = """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' ')).slice(0, 5)]))"""

#: Runs in every top-level document once it has loaded, and reports to Python.
AXE_ON_LOAD = """
(() => {
  if (window.top !== window || !location.protocol.startsWith('http')) return;
  window.addEventListener('load', () => {
    (%s)(%s)
      .then(found => window.__axeReport(location.href, window.innerWidth, found))
      .finally(() => { window.__axeDone = true; });
  });
})();
"""


def _ours(url: str) -> bool:
    """A page the app served (not the test OpenID provider's own sign-in pages)."""
    return url.startswith("http") and not any(url.startswith(issuer + "/") for issuer in RUNNING_ISSUERS)


def _lines(url: str, width, found) -> list[str]:
    return [f"{url} @{width}px: {rule} ({help_}) at {json.dumps(targets)}" for rule, help_, targets in found]


@pytest.fixture(autouse=True)
def axe_every_page(request, axe_source):
    """axe-core checks every page a browser test opens, once it has loaded, at the
    viewport of that moment; the test fails on any WCAG 2.2 A/AA violation. A page
    left before its check finished is opened again (GET) at the end and checked.
    Call the fixture's value (``axe_every_page()``) to check a page changed in place
    (after a viewport change or a script)."""
    if "page" not in request.fixturenames:
        yield None
        return
    # The app's servers are set up inside this fixture so that they stop after its last
    # check: a page left before its check finished is opened again at the end.
    for name in request.fixturenames:
        if name.endswith("_server"):
            request.getfixturevalue(name)
    page = request.getfixturevalue("page")
    found: list[str] = []
    loaded: list[str] = []
    reported: set[str] = set()

    def report(_source, url, width, violations):
        reported.add(url)
        if _ours(url):
            found.extend(_lines(url, width, violations))

    page.expose_binding("__axeReport", report)
    page.add_init_script(script=axe_source + AXE_ON_LOAD % (AXE_RUN, json.dumps(AXE_TAGS)))
    page.on("load", lambda loaded_page: loaded.append(loaded_page.url))

    def check_now():
        width = page.viewport_size["width"] if page.viewport_size else "?"
        found.extend(_lines(page.url, width, page.evaluate(AXE_RUN, AXE_TAGS)))

    yield check_now
    if not page.is_closed():
        if page.url.startswith("http"):
            page.wait_for_function("() => window.__axeDone === true", timeout=15000)
        for url in dict.fromkeys(loaded):
            if _ours(url) and url not in reported:
                page.goto(url)
                page.wait_for_function("() => window.__axeDone === true", timeout=15000)
    assert not found, "axe-core found WCAG 2.2 A/AA violations:\n" + "\n".join(dict.fromkeys(found))


@pytest.fixture
def live_server(app):
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def shot():
    """shot(page, "name") saves tests/e2e/artifacts/name.png (git-ignored) to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, full_page: bool = True):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    return take


@pytest.fixture
def demo_world(session):
    from tests.factories import TODAY
    from tracker.demo.world import build_world

    return build_world(session, TODAY, "demo passphrase 1")


def sign_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")
