"""Every model, imported in one place so the metadata is complete."""

from tracker.audit.models import AuditLog
from tracker.auth.models import ApiToken, User
from tracker.authorities.models import Authority
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement, EngagementMember, EngagementStatusChange
from tracker.reports.models import CapacityReview
from tracker.settings.models import Setting
from tracker.staff.models import StaffMember

__all__ = [
    "ApiToken",
    "AuditLog",
    "Authority",
    "CapacityReview",
    "Engagement",
    "EngagementMember",
    "EngagementStatusChange",
    "Setting",
    "StaffMember",
    "SupportDay",
    "User",
]
