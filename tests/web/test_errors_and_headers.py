import pytest

from config import ProductionConfig
from tests.conftest import login, make_config
from tracker import create_app
from tracker.security import CSP


@pytest.fixture
def crashing_app(database_url):
    app = create_app(make_config(database_url))
    app.config["PROPAGATE_EXCEPTIONS"] = False

    from tracker.access import public

    @public
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals: password=hunter2")

    @public
    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("secret internals")

    return app


def test_500_shows_a_friendly_page_without_a_stack_trace(crashing_app):
    response = crashing_app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html


def test_api_500_is_json_without_internals(crashing_app):
    response = crashing_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"]["code"] == "server_error"
    assert "secret" not in response.get_data(as_text=True)


def test_404_page(client, world):
    login(client, world.users["manager"])
    response = client.get("/engagements/999999")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize("path", ["/login", "/api/v1/openapi.json", "/api/v1/authorities", "/nope", "/static/css/app.css"])
def test_security_headers_on_pages_api_and_errors(client, path):
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_outside_development(database_url, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "y" * 40)
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app(ProductionConfig)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in (app.test_client().post("/login", data={}).headers.get("Set-Cookie") or "Secure")


def test_templates_hold_no_inline_script(app):
    import pathlib

    for path in pathlib.Path(app.template_folder).rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and " onclick=" not in text and "javascript:" not in text, path
