"""Every PDF the tracker sends out (invoices, credit notes, statements, the
progress report) is a tagged PDF/UA-1 document, so screen readers can read
it: weasyprint tags the structure, and takes the title from <title> and the
language from <html lang>. Templates must set both."""

from __future__ import annotations

from pathlib import Path

PDF_VARIANT = "pdf/ua-1"


def write_pdf(html: str, stylesheet: Path) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415  (slow to import; only when a PDF is wanted)

    document = HTML(string=html, base_url=str(stylesheet.parent))
    return document.write_pdf(stylesheets=[CSS(filename=str(stylesheet))], pdf_variant=PDF_VARIANT)
