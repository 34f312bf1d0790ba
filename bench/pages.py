"""The pages the HTTP benchmark and the profiler measure, in one list.

Each is (label, path, auth) with auth "cookie" (the signed-in manager's
session), "bearer" (the manager's API token) or None; /healthz first, as the
framework's ceiling the others are compared with.
"""

from __future__ import annotations


def page_targets(fixtures: dict) -> list[tuple[str, str, str | None]]:
    return [
        ("healthz", "/healthz", None),
        ("engagement list", "/engagements/", "cookie"),
        ("day list, page 500", f"/engagements/{fixtures['large_engagement_id']}/days?page=500&per_page=50", "cookie"),
        ("income report page", "/reports/income", "cookie"),
        ("API engagement list", "/api/v1/engagements?per_page=50", "bearer"),
        ("capacity review page", "/reports/capacity", "cookie"),
        ("client progress page", f"/reports/progress/{fixtures['progress_engagement_id']}", "cookie"),
    ]
