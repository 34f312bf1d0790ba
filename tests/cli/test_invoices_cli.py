"""flask invoices export: the ledger export from the command line."""

import csv
from datetime import date

from openpyxl import load_workbook

from tests.factories import billing_samples, day, issued


def test_export_writes_csv_and_xlsx_with_one_row_per_line(runner, session, world, tmp_path):
    billing_samples(session, world)
    day(session, world.engagement_a, world.staff["s2"], date(2026, 11, 2), "1", "mentoring")
    day(session, world.engagement_a, world.staff["s1"], date(2026, 11, 2), "0.5", "tools")
    issued(session, world.client_a, today=date(2026, 11, 24))
    target = tmp_path / "ledger.csv"
    result = runner.invoke(args=["invoices", "export", str(target)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 lines of 3 documents" in result.output
    rows = list(csv.DictReader(target.open(newline="")))
    assert [r["Number"] for r in rows] == ["INV-2026-0001", "INV-2026-0002", "INV-2026-0003", "INV-2026-0003"]
    assert rows[0]["Net"] == "500.00" and rows[0]["Document type"] == "Invoice"

    result = runner.invoke(args=["invoices", "export", "--format", "xlsx", "--from", "2026-11-24", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 0 and "Wrote 2 lines of 1 documents" in result.output
    sheet = load_workbook(tmp_path / "x.xlsx").active
    assert sheet.max_row == 3 and sheet["B2"].value == "INV-2026-0003"

    bad = runner.invoke(args=["invoices", "export", "--format", "pdf", str(target)])
    assert bad.exit_code != 0 and "pdf" in bad.output


def test_issue_numbers_a_draft_and_refuses_twice(runner, session, world):
    from tests.factories import draft, remittance

    day(session, world.engagement_a, world.staff["s1"], date(2026, 10, 5), "1", "scoping")
    remittance(session)
    invoice_id = draft(session, world.client_a).id
    result = runner.invoke(args=["invoices", "issue", str(invoice_id), "--as", "finance@lead.example.org"])
    assert result.exit_code == 0, result.output
    assert "Issued INV-2026-0001" in result.output
    again = runner.invoke(args=["invoices", "issue", str(invoice_id)])
    assert again.exit_code != 0 and "already been issued" in again.output
    missing = runner.invoke(args=["invoices", "issue", "999999"])
    assert missing.exit_code != 0 and "No invoice 999999" in missing.output
    nobody = runner.invoke(args=["invoices", "issue", str(invoice_id), "--as", "nobody@example.org"])
    assert nobody.exit_code != 0 and "No user" in nobody.output
