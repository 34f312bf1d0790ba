"""JSON API v1 (see ../shared/API.md). Each module holds one resource's views."""

# Importing the modules registers their views on the blueprint.
from tracker.api import assessments, authorities, days, docs, engagements, income, invoices, plans, reports, staff, tokens  # noqa: F401
from tracker.api import mfa as _mfa  # noqa: F401
from tracker.api import progress as _progress  # noqa: F401
from tracker.api.core import api_bp

__all__ = ["api_bp"]
