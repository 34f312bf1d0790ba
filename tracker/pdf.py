"""HTML to PDF for every PDF the app makes (invoices, credit notes, statements,
progress reports): tagged PDF/UA-1 documents, with a url_fetcher that never
reaches the network.

Tagged, so screen readers can read them: WeasyPrint tags the structure and
takes the title from <title> and the language from <html lang> (templates
must set both).

WeasyPrint fetches whatever a document names — stylesheets, images, fonts,
over http, ftp or file. Here it may have only the app's own static files
(``/static/...``, served from the static folder on disk) and inline
``data:`` URLs; every other URL is refused, so no template change can make
the server send a request or read another file into a PDF.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app

#: Documents are rendered against this origin: "/static/x.css" in a template
#: becomes BASE_URL + "static/x.css", which the fetcher maps to the disk.
#: (.invalid can never resolve: RFC 2606.)
BASE_URL = "http://tracker-pdf.invalid/"
PDF_VARIANT = "pdf/ua-1"


def _static_file(url: str) -> Path:
    """The file under the app's static folder that ``url`` names, or ValueError."""
    parts = urlsplit(url)
    folder = Path(current_app.static_folder or "").resolve()
    prefix = (current_app.static_url_path or "/static").rstrip("/") + "/"
    if parts.scheme == "file":
        path = Path(unquote(parts.path)).resolve()
    elif parts.scheme in ("http", "https") and parts.netloc == urlsplit(BASE_URL).netloc and parts.path.startswith(prefix):
        path = (folder / unquote(parts.path[len(prefix):])).resolve()
    else:
        raise ValueError(f"PDFs may load only the app's own static files; refused {url[:200]}")
    if not path.is_relative_to(folder) or not path.is_file():
        raise ValueError(f"PDFs may load only the app's own static files; refused {url[:200]}")
    return path


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415  (slow to import; only for PDFs)

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)  # inline: no request leaves the process
            path = _static_file(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesOnly


def static_files_only():
    """A url_fetcher serving the app's static files from disk and refusing the rest."""
    return _fetcher_class()(allowed_protocols={"data", "file", "http", "https"}, allow_redirects=False)


def html_to_pdf(html: str, stylesheets: list[Path] = ()) -> bytes:
    """Render ``html`` (plus print stylesheets read from disk) to PDF bytes."""
    from weasyprint import CSS, HTML  # noqa: PLC0415  (slow to import; only when a PDF is wanted)

    fetcher = static_files_only()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[CSS(string=Path(p).read_text(encoding="utf-8"), base_url=BASE_URL,
                                                url_fetcher=fetcher) for p in stylesheets],
                              pdf_variant=PDF_VARIANT)
