"""JSON API v1 (see ../shared/API.md). Each module holds one resource's views."""

from tracker.api.core import api_bp

# Importing the modules registers their views on the blueprint.
from tracker.api import authorities, docs, engagements, staff, tokens  # noqa: E402,F401

__all__ = ["api_bp"]
