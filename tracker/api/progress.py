"""GET /api/v1/reports/progress/{engagement_id}: the client progress report.

Days by activity against the estimate, income against the estimate, SAP
section means per round and the action plan's milestones; the same service
as the page (tracker.reports.progress.report). A client user reads only their own
authority's engagements (404 for another's).
"""

from __future__ import annotations

from flask_login import current_user

from tracker import clock
from tracker.access import PROGRESS_READERS, roles
from tracker.api.core import api_bp, operation, query_values
from tracker.api.reports import FORMAT, send_export
from tracker.api.schema import Date, Dec, Int, ListOf, Nested, Schema, Str
from tracker.days.models import Activity
from tracker.engagements.services import get_engagement
from tracker.extensions import db
from tracker.reports.progress import report as progress

ACTIVITIES = [a.value for a in Activity]

ProgressDays = Schema("ProgressDays", {
    "delivered": Dec(2, description="Delivered and invoiced days."), "planned": Dec(2),
    "estimated_low": Dec(2), "estimated_high": Dec(2),
    "share_of_high": Dec(1, nullable=True, description="Delivered days as a % of the high estimate; null without one."),
})
ProgressIncome = Schema("ProgressIncome", {
    "billed": Str(enum=["yes", "no"], description="no for shared-service development (not charged)."),
    "day_rate": Dec(2), "delivered": Dec(2, description="Billable delivered days × day rate (net)."),
    "invoiced": Dec(2, description="Net on issued invoices less credit notes."),
    "estimated_low": Dec(2), "estimated_high": Dec(2),
})
ProgressActivity = Schema("ProgressActivity", {
    "activity": Str(enum=ACTIVITIES), "label": Str(), "days_delivered": Dec(2), "days_planned": Dec(2),
    "income_delivered": Dec(2),
})
ProgressSection = Schema("ProgressSectionMean", {
    "section": Int(), "title": Str(), "mean": Dec(2, nullable=True, description="null when no group scored it."),
    "n": Int(description="Groups that scored at least one of its standards."),
})
ProgressRound = Schema("ProgressRound", {
    "id": Int(), "label": Str(), "assessed_on": Date(), "sections": ListOf(Nested(ProgressSection)),
})
ProgressMilestones = Schema("ProgressMilestones", {
    "total": Int(description="All milestones but the dropped ones."), "done": Int(), "open": Int(),
    "overdue": Int(), "due_soon": Int(description="Open and due in the next 14 days."), "dropped": Int(),
})
ProgressOverdue = Schema("ProgressOverdue", {
    "id": Int(), "title": Str(), "owner": Str(), "due_on": Date(), "status": Str(), "goal_id": Int(),
})
ProgressNextDay = Schema("ProgressNextDay", {
    "worked_on": Date(), "staff_name": Str(), "activity": Str(enum=ACTIVITIES), "days": Dec(2),
})
ProgressReportSchema = Schema("ProgressReport", {
    "engagement_id": Int(), "client_id": Int(), "client_name": Str(), "title": Str(), "as_of": Date(),
    "days": Nested(ProgressDays), "income": Nested(ProgressIncome),
    "activities": ListOf(Nested(ProgressActivity), max_items=len(ACTIVITIES)),
    "rounds": ListOf(Nested(ProgressRound), max_items=1000),
    "key_areas": ListOf(Str(), description="The latest round's key areas for focus."),
    "milestones": Nested(ProgressMilestones),
    "overdue_milestones": ListOf(Nested(ProgressOverdue)),
    "next_planned": ListOf(Nested(ProgressNextDay), description="The next five planned support days."),
})


def dump(report: progress.ProgressReport) -> dict:
    e, f, m = report.engagement, report.figures, report.milestones
    return ProgressReportSchema.dump({
        "engagement_id": e.id, "client_id": e.client_id, "client_name": e.client.name, "title": e.title,
        "as_of": report.today,
        "days": {"delivered": f.days_delivered, "planned": f.days_planned, "estimated_low": f.estimate_low,
                 "estimated_high": f.estimate_high, "share_of_high": report.share_of_high(f.days_delivered)},
        "income": {"billed": "yes" if e.is_billable_kind else "no", "day_rate": e.day_rate,
                   "delivered": f.income_delivered, "invoiced": report.income_invoiced,
                   "estimated_low": report.estimate_low_value, "estimated_high": report.estimate_high_value},
        "activities": [{"activity": r.activity.value, "label": r.label, "days_delivered": r.days_delivered,
                        "days_planned": r.days_planned, "income_delivered": r.income_delivered}
                       for r in report.activities],
        "rounds": [{"id": r.assessment_id, "label": r.label, "assessed_on": r.assessed_on, "sections": [
            {"section": n, "title": title, "mean": r.mean(n), "n": r.sections[n].n if n in r.sections else 0}
            for n, title in sorted(report.section_titles.items())]} for r in report.rounds],
        "key_areas": report.key_areas,
        "milestones": {"total": report.milestones_total, "done": m.done, "open": report.milestones_open,
                       "overdue": m.overdue, "due_soon": m.due_soon, "dropped": m.dropped},
        "overdue_milestones": [{"id": o.id, "title": o.title, "owner": o.owner, "due_on": o.due_on,
                                "status": o.status.value, "goal_id": o.goal_id} for o in report.overdue],
        "next_planned": [{"worked_on": d.worked_on, "staff_name": d.staff_name, "activity": d.activity.value,
                          "days": d.days} for d in report.next_days],
    })


@roles(*PROGRESS_READERS)
@api_bp.get("/reports/progress/<int:engagement_id>")
@operation("The client progress report of one engagement", tags=["reports"], response=ProgressReportSchema,
           downloads=True, query=[FORMAT],
           description="Days by activity against the estimate, income against the estimate, SAP section means per "
                       "round and milestones done/total/overdue. A client user sees only their own authority's "
                       "engagements. ?format=csv|xlsx downloads the activity table.")
def progress_report(engagement_id: int):
    fmt = query_values([FORMAT]).get("format", "json")
    engagement = get_engagement(db.session, current_user, engagement_id)
    report = progress.progress_report(db.session, engagement, clock.today())
    if fmt != "json":
        return send_export(fmt, f"Progress: {engagement.client.name} — {engagement.title}",
                           progress.activity_table(report), f"progress-{engagement.id}-{report.today:%Y-%m-%d}")
    return dump(report)
