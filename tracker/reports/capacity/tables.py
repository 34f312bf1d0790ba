"""Reports as tables (columns, rows, totals) for exports, the API and the CLI."""

from __future__ import annotations

from tracker.exports import Column
from tracker.reports.capacity.report import CapacityReport

CAPACITY_COLUMNS = [
    Column("name", "Staff member"),
    Column("job_title", "Job title"),
    Column("capacity_days", "Capacity (days)", "days"),
    Column("external_delivered", "Outside days delivered", "days"),
    Column("external_planned", "Outside days planned", "days"),
    Column("share", "Share of capacity", "share"),
    Column("cap_share", "Cap", "share"),
    Column("flag", "Flag"),
    Column("team", "Team"),
]


def capacity_table(report: CapacityReport) -> tuple[list[Column], list[dict], dict]:
    rows = [
        {"staff_id": r.staff_id, "name": r.name, "job_title": r.job_title, "team": r.team, "capacity_days": r.capacity_days,
         "external_delivered": r.external_delivered, "external_planned": r.external_planned, "share": r.share,
         "cap_share": r.cap_share, "flag": r.flag}
        for r in report.rows
    ]
    totals = {"name": "Team", "capacity_days": report.capacity_days, "external_delivered": report.external_delivered,
              "external_planned": report.external_planned, "share": report.share, "cap_share": report.cap_share,
              "flag": report.flag}
    return CAPACITY_COLUMNS, rows, totals
