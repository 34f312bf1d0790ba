"""Aged debt as a table for the page's CSV/XLSX download and the API."""

from __future__ import annotations

from datetime import date

from tracker.billing.queries import AgedRow
from tracker.exports import Column

#: API field names of the age buckets (API.md "Finance corrections").
API_BUCKETS = {"current": "current", "days_1_30": "d1_30", "days_31_60": "d31_60", "days_61_90": "d61_90",
               "days_over_90": "over_90"}


def as_record(row: AgedRow) -> dict:
    return {"client_id": row.client_id or None, "client": row.client_name,
            **{API_BUCKETS[k]: v for k, v in row.buckets.items()}, "refund_due": -row.refund_due,
            "balance": row.total, "invoices": row.invoices}


def aged_table(rows: list[AgedRow], total: AgedRow) -> tuple[list[Column], list[dict], dict]:
    columns = [
        Column("client", "Client"), Column("current", "Current (£ gross)", "money"),
        Column("d1_30", "1–30 days overdue (£)", "money"), Column("d31_60", "31–60 days overdue (£)", "money"),
        Column("d61_90", "61–90 days overdue (£)", "money"), Column("over_90", "Over 90 days overdue (£)", "money"),
        Column("refund_due", "Of which refunds due (£)", "money"), Column("balance", "Balance (£ gross)", "money"),
        Column("invoices", "Invoices", "int"),
    ]
    return columns, [as_record(r) for r in rows], as_record(total) | {"client": "Total"}


def aged_title(today: date) -> str:
    return f"Aged debt at {today:%-d %b %Y}"


def aged_filename(today: date) -> str:
    return f"aged-debt-{today.isoformat()}"
