"""Every model, imported in one place so the metadata is complete."""

from tracker.assessments.models import (
    Assessment,
    AssessmentResponse,
    FrameworkVersion,
    SapLevel,
    SapSection,
    SapStandard,
    Score,
)
from tracker.audit.models import AuditLog
from tracker.auth.models import ApiToken, RecoveryCode, SignInFailure, User, UserSession
from tracker.authorities.models import Authority
from tracker.billing.models import Invoice, InvoiceDayClaim, InvoiceLine, InvoiceLineDay, NumberSeries, Payment, Refund
from tracker.days.models import SupportDay
from tracker.engagements.models import Engagement, EngagementMember, EngagementStatusChange
from tracker.mail.models import OutboxAttachment, OutboxMessage
from tracker.plans.models import Goal, GoalStandard, Milestone
from tracker.reports.capacity.models import CapacityReview
from tracker.resets.models import PasswordToken
from tracker.settings.models import Setting
from tracker.staff.models import StaffMember

__all__ = [
    "ApiToken",
    "Assessment",
    "AssessmentResponse",
    "AuditLog",
    "Authority",
    "CapacityReview",
    "Engagement",
    "EngagementMember",
    "EngagementStatusChange",
    "FrameworkVersion",
    "Goal",
    "GoalStandard",
    "Invoice",
    "InvoiceDayClaim",
    "InvoiceLine",
    "InvoiceLineDay",
    "Milestone",
    "NumberSeries",
    "OutboxAttachment",
    "OutboxMessage",
    "PasswordToken",
    "Payment",
    "RecoveryCode",
    "Refund",
    "SapLevel",
    "SapSection",
    "SapStandard",
    "Score",
    "Setting",
    "SignInFailure",
    "StaffMember",
    "SupportDay",
    "User",
    "UserSession",
]
