"""Pages: the client progress report, its PDF and its CSV/XLSX table.

Registered on the reports blueprint. Lead staff who deliver (admin, manager,
consultant) see any engagement; a client user sees only their own
authority's (get_engagement answers 404 for another's).
"""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import current_user

from tracker import clock, exports
from tracker.access import PROGRESS_READERS, roles
from tracker.authorities.services import lead_authority
from tracker.cache_scope import Scope
from tracker.engagements.services import check_engagement_visible, filtered_engagements, get_engagement
from tracker.extensions import db
from tracker.page_cache import cached_page
from tracker.read_only import read_only
from tracker.reports.blueprint import bp, download, export_format
from tracker.reports.progress import report as progress
from tracker.reports.progress.chart import section_chart_svg
from tracker.reports.progress.pdf import filename, render_pdf


def _report(engagement_id: int) -> progress.ProgressReport:
    engagement = get_engagement(db.session, current_user, engagement_id)
    return progress.progress_report(db.session, engagement, clock.today())


def _chart(report: progress.ProgressReport):
    return section_chart_svg(report.rounds, report.section_titles)


@roles(*PROGRESS_READERS)
@bp.get("/progress")
def progress_index():
    """Which engagement's report: a client user's own authority's; every one for lead staff."""
    stmt = filtered_engagements(current_user).limit(200)
    return render_template("reports/progress_index.html", engagements=db.session.scalars(stmt).all())


@read_only
@roles(*PROGRESS_READERS)
@bp.get("/progress/<int:engagement_id>")
def progress_report(engagement_id: int):
    check_engagement_visible(db.session, current_user, engagement_id)  # 404 for another authority's
    if not request.args.get("format"):
        return cached_page("reports/progress.html", lambda: _page(get_engagement(db.session, current_user, engagement_id)),
                           scope=Scope.of_engagements([engagement_id]))
    engagement = get_engagement(db.session, current_user, engagement_id)
    fmt = export_format(request.args.get("format"))
    report = progress.progress_report(db.session, engagement, clock.today())
    columns, rows, totals = progress.activity_table(report)
    title = f"Progress: {report.engagement.client.name} — {report.engagement.title}"
    content, mimetype, ext = exports.export(fmt, title, columns, rows, totals,
                                            subtitle=f"Support by activity as at {report.today:%-d %B %Y}")
    return download(content, mimetype, filename(report, ext))


def _page(engagement) -> dict:
    report = progress.progress_report(db.session, engagement, clock.today())
    return {"report": report, "chart": _chart(report), "lead": lead_authority(db.session)}


@roles(*PROGRESS_READERS)
@bp.get("/progress/<int:engagement_id>.pdf")
def progress_pdf(engagement_id: int):
    report = _report(engagement_id)
    body = render_pdf(report, _chart(report), lead_authority(db.session))
    return Response(body, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename(report)}"'})
