"""Start the tests' real OpenID provider (tests/node/oidc_provider.mjs) and walk
its development login form the way a browser would (for tests without one)."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import requests

SCRIPT = Path(__file__).parent / "node" / "oidc_provider.mjs"
CLIENT_ID = "tracker-tests"
CLIENT_SECRET = "tracker-tests-secret-0123456789"
#: Issuers of the providers started in this run: their own sign-in pages are not the
#: app's (the browser tests' axe-core check leaves them out, also after they stopped).
RUNNING_ISSUERS: set[str] = set()


@contextmanager
def oidc_provider(redirect_uris: list[str], accounts: dict | None = None):
    """Yield the issuer URL of a provider running on a free loopback port."""
    config = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": redirect_uris,
              "accounts": accounts or {}}
    proc = subprocess.Popen(["node", str(SCRIPT), json.dumps(config)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=SCRIPT.parent)
    try:
        seen = []
        for line in proc.stdout:  # its start-up warnings, then the issuer
            if line.startswith("{"):
                issuer = json.loads(line)["issuer"]
                break
            seen.append(line)
        else:
            raise RuntimeError("the OpenID provider did not start: " + "".join(seen))
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep draining its output
        RUNNING_ISSUERS.add(issuer.rstrip("/"))
        yield issuer
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sign_in_at_provider(authorize_url: str, login: str) -> str:
    """Follow the provider's pages as `login`; return the redirect back to the app (with code and state)."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=True, timeout=10)
    action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
    url = urljoin(response.url, action)
    response = browser.post(url, data={"prompt": "login", "login": login, "password": "any"},
                            allow_redirects=False, timeout=10)
    for _ in range(10):
        if response.status_code not in (302, 303):
            break
        target = urljoin(response.url, response.headers["Location"])
        if "/login/sso/callback" in target:
            return target
        response = browser.get(target, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send us back: {response.status_code} {response.text[:300]}")
