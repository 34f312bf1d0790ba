"""The progress report as an A4 PDF for the client's Board (weasyprint)."""

from __future__ import annotations

from pathlib import Path

from flask import render_template

from tracker.pdf import html_to_pdf
from tracker.reports.progress.report import ProgressReport

STYLESHEET = Path(__file__).with_name("pdf.css")


def render_pdf(report: ProgressReport, chart, lead) -> bytes:
    html = render_template("reports/progress_pdf.html", report=report, chart=chart, lead=lead)
    return html_to_pdf(html, [STYLESHEET])


def filename(report: ProgressReport, ext: str = "pdf") -> str:
    return f"progress-{report.engagement.id}-{report.today:%Y-%m-%d}.{ext}"
