"""Static URLs carry a hash of the file, so nginx may cache them for a year (deploy/)."""

import hashlib

from flask import Flask, url_for

from tracker import static_files


def _app(folder) -> Flask:
    app = Flask(__name__, static_folder=str(folder), static_url_path="/static")
    static_files.init_app(app)
    return app


def test_the_version_is_the_files_hash_and_changes_with_it(tmp_path):
    (tmp_path / "css").mkdir()
    css = tmp_path / "css" / "app.css"
    css.write_text("body { color: black }")
    app = _app(tmp_path)
    with app.test_request_context():
        first = url_for("static", filename="css/app.css")
    assert first == "/static/css/app.css?v=" + hashlib.sha256(css.read_bytes()).hexdigest()[:12]

    css.write_text("body { color: navy }")
    static_files._file_version.cache_clear()  # as a restarted app server after a release
    with app.test_request_context():
        second = url_for("static", filename="css/app.css")
    assert second != first and second.startswith("/static/css/app.css?v=")


def test_missing_files_and_paths_outside_the_folder_get_no_version(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    app = _app(tmp_path / "static")
    with app.test_request_context():
        assert url_for("static", filename="nope.css") == "/static/nope.css"
        assert "v=" not in url_for("static", filename="../secret.txt")


def test_the_apps_pages_link_versioned_css_and_script(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/static/css/app.css?v=" in page and "/static/js/app.js?v=" in page
