"""flask reports income: the income report as CSV or XLSX from the command line."""

import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.factories import issued, seed_days


def test_income_by_client_to_csv_and_xlsx(runner, session, world, tmp_path):
    seed_days(session, world)
    issued(session, world.client_a, up_to=date(2026, 9, 30), today=date(2026, 10, 1))
    target = tmp_path / "income.csv"
    result = runner.invoke(args=["reports", "income", "--start", "2026-04-01", "--end", "2026-11-23", "--by", "client",
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    rows = list(csv.DictReader(target.open(encoding="utf-8-sig", newline="")))
    assert [(r["Client"], r["£ delivered (net)"], r["£ invoiced (net, less credits)"],
             r["£ outstanding at end (gross incl. VAT)"])
            for r in rows] == [("Client A Council", "10000.00", "10000.00", "12000.00"),
                               ("Total", "10000.00", "10000.00", "12000.00")]

    result = runner.invoke(args=["reports", "income", "--format", "xlsx", "--output", str(tmp_path / "i.xlsx")])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "i.xlsx").active
    assert sheet["A1"].value == "Income 1 Apr 2026 to 23 Nov 2026 by month"
    assert sheet.cell(row=sheet.max_row, column=1).value == "Total"


def test_default_file_name_and_stdout(runner, session, world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    seed_days(session, world)
    result = runner.invoke(args=["reports", "income", "--by", "staff"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "income-2026-04-01-2026-11-23-by-staff.csv").exists()
    out = runner.invoke(args=["reports", "income", "--by", "activity", "--output", "-"])
    rows = list(csv.reader(io.StringIO(out.output)))
    assert rows[-1][:3] == ["Total", "20.00", "10000.00"]


def test_bad_options_are_refused_without_a_traceback(runner, world):
    result = runner.invoke(args=["reports", "income", "--start", "2026-06-01", "--end", "2026-05-01"])
    assert result.exit_code != 0 and "must not be before the start" in result.output
    result = runner.invoke(args=["reports", "income", "--by", "weekday"])
    assert result.exit_code != 0 and "weekday" in result.output
    assert "Traceback" not in result.output
