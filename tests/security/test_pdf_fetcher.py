"""Every PDF is rendered with a url_fetcher that serves only the app's own
static files, from disk: a template that names an outside address (here a
tiny HTTP server on loopback) makes no request, and static files still
render."""

import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import billing_samples
from tracker import pdf  # the module under test (absent on main)
from tracker.billing import pdf as invoice_pdf
from tracker.reports.progress import pdf as progress_pdf


class Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        Counting.hits.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def outside():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _hostile(base: str) -> str:
    return f"""<html><head><link rel="stylesheet" href="{base}/linked.css">
<style>@import url({base}/imported.css); body {{ background: url({base}/background.png) }}</style></head>
<body><p>Invoice</p><img src="{base}/pixel.png"><img src="//127.0.0.1:{base.rsplit(':', 1)[1]}/scheme-relative.png">
<img src="file:///etc/passwd"><iframe src="{base}/frame"></iframe></body></html>"""


def test_the_invoice_pdf_makes_no_outside_request(app, world, session, outside, monkeypatch):
    invoice = billing_samples(session, world)["a"]
    Counting.hits.clear()
    monkeypatch.setattr(invoice_pdf, "render_html", lambda _invoice: _hostile(outside))
    with app.test_request_context():
        data = invoice_pdf.render_pdf(invoice)
    assert data.startswith(b"%PDF")
    assert Counting.hits == []


def test_the_progress_pdf_makes_no_outside_request(app, outside, monkeypatch):
    Counting.hits.clear()
    monkeypatch.setattr(progress_pdf, "render_template", lambda *a, **kw: _hostile(outside))
    with app.test_request_context():
        data = progress_pdf.render_pdf(None, None, None)
    assert data.startswith(b"%PDF")
    assert Counting.hits == []


def test_static_files_are_served_from_disk(app, tmp_path, monkeypatch):
    logo = tmp_path / "static" / "img" / "logo.png"
    logo.parent.mkdir(parents=True)
    Image.new("RGB", (40, 20), "#0b5563").save(logo)
    monkeypatch.setattr(app, "static_folder", str(tmp_path / "static"))  # (its URL path follows the folder's name)
    html = '<html><body><p>Lead Borough Council</p><img src="/static/img/logo.png" style="width:4cm"></body></html>'
    path = tmp_path / "out.pdf"
    with app.test_request_context():
        path.write_bytes(pdf.html_to_pdf(html))
    listing = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, check=True).stdout
    assert len(listing.decode().strip().splitlines()) == 3  # header, rule, the logo


def test_the_fetcher_refuses_anything_but_static(app):
    with app.test_request_context():
        fetcher = pdf.static_files_only()
        own = fetcher.fetch(pdf.BASE_URL + "static/css/app.css")
        assert own.read() == (Path(app.static_folder) / "css" / "app.css").read_bytes()
        for url in ("http://127.0.0.1:1/x.png", "file:///etc/passwd", pdf.BASE_URL + "static/../config.py",
                    pdf.BASE_URL + "static/%2e%2e/%2e%2e/config.py", "ftp://127.0.0.1/x", pdf.BASE_URL + "admin"):
            with pytest.raises(ValueError):
                fetcher.fetch(url)
        assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
