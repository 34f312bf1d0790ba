"""The progress report as an A4 PDF for the client's Board (weasyprint)."""

from __future__ import annotations

from pathlib import Path

from flask import render_template

from tracker.reports.progress.report import ProgressReport

STYLESHEET = Path(__file__).with_name("pdf.css")


def render_pdf(report: ProgressReport, chart, lead) -> bytes:
    from weasyprint import CSS, HTML  # noqa: PLC0415  (slow to import; only when a PDF is wanted)

    html = render_template("reports/progress_pdf.html", report=report, chart=chart, lead=lead)
    document = HTML(string=html, base_url=str(STYLESHEET.parent))
    return document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])


def filename(report: ProgressReport, ext: str = "pdf") -> str:
    return f"progress-{report.engagement.id}-{report.today:%Y-%m-%d}.{ext}"
