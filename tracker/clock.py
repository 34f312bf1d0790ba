"""Today's date for pages, API and CLI.

Services take ``today`` as an argument; the edges ask this module. Setting
TRACKER_TODAY (a date) in the config pins it, so tests and demonstrations see
the same calendar whatever day they run.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context

from tracker.database import utcnow


def today() -> date:
    if has_app_context():
        pinned = current_app.config.get("TRACKER_TODAY")
        if pinned:
            return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return utcnow().date()
