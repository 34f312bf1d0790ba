"""Invoices, credit notes and statements are tagged PDF/UA documents with a
title and a language; a one-line invoice, with its terms, remittance details
and the detachable remittance slip, fits on one A4 page (checked by pdfinfo)."""

import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader

from tests.factories import ACTOR, TODAY, day, issued
from tracker.billing import pdf, statements
from tracker.billing import services as billing

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils (pdfinfo)")


def pdfinfo(body: bytes, tmp_path, name: str) -> dict:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(body)
    if os.environ.get("KEEP_PDF_PNG"):  # look at it: pdftoppm -png -r 60
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / name)], check=True)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


@pytest.fixture
def one_line(session, world):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
    return issued(session, world.client_a)


def language(body: bytes) -> str:
    return str(PdfReader(io.BytesIO(body)).trailer["/Root"].get("/Lang"))


def test_a_one_line_invoice_is_one_tagged_page(session, world, one_line, tmp_path):
    body = pdf.render_pdf(one_line)
    assert language(body) == "en-GB"
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text().lower()
    assert "payment terms" in text and "remittance details" in text and "remittance slip" in text
    info = pdfinfo(body, tmp_path, "invoice")
    assert info["Tagged"] == "yes"
    assert info["Pages"] == "1"
    assert one_line.number in info["Title"]
    assert info["Page size"].startswith("595.")  # A4


def test_credit_notes_and_statements_are_tagged(session, world, one_line, tmp_path):
    note = billing.credit_invoice(session, ACTOR, one_line, "Goodwill", TODAY)
    info = pdfinfo(pdf.render_pdf(note), tmp_path, "credit")
    assert info["Tagged"] == "yes" and note.number in info["Title"]
    body = statements.render_pdf(statements.statement(session, world.client_a, TODAY))
    info = pdfinfo(body, tmp_path, "statement")
    assert info["Tagged"] == "yes" and "Statement of account" in info["Title"] and info["Pages"] == "1"


def test_the_progress_report_for_the_board_is_tagged(session, world, login_as, tmp_path):
    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
    response = login_as("manager").get(f"/reports/progress/{world.engagement_a.id}.pdf")
    assert response.status_code == 200
    info = pdfinfo(response.data, tmp_path, "progress")
    assert info["Tagged"] == "yes" and "Progress report" in info["Title"]
