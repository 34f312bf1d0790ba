"""Report pages: the monthly capacity risk review and its trend."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock, dates, exports
from tracker.access import MANAGERS, roles
from tracker.cache_scope import ALL_DATA
from tracker.database import utcnow
from tracker.dates import parse_month
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.page_cache import cached_page
from tracker.pagination import page_args
from tracker.read_only import read_only
from tracker.reports.blueprint import bp, download, export_format
from tracker.reports.capacity import report as capacity
from tracker.reports.capacity import reviews
from tracker.reports.capacity.forms import ReviewForm, SignForm
from tracker.reports.capacity.models import ReviewStatus
from tracker.reports.capacity.tables import capacity_table
from tracker.reports.capacity.view import capacity_view, live_report, team_arg
from tracker.web import apply_errors


@read_only
@roles(*MANAGERS)
@bp.get("/capacity")
def capacity_review():
    month = parse_month(request.args.get("month"), clock.today())
    flagged_page, _ = page_args({"page": request.args.get("flagged_page", "1")})
    view_args = (team_arg(request.args.get("team")), *page_args(request.args), flagged_page)  # bad input: 422 first
    return cached_page("reports/capacity.html", lambda: _capacity_page(month, *view_args), scope=ALL_DATA)


def _capacity_page(month: date, team: str, page: int, _per_page: int, flagged_page: int) -> dict:
    review = reviews.review_for(db.session, month)
    report = _report_of(review, month)
    changes = []
    if review is not None and review.status == ReviewStatus.SIGNED:
        changes = capacity.changes_since(report, live_report(db.session, month, forward=False))
    form = ReviewForm(obj=review)
    if review is None:
        form.reviewed_on.data = min(clock.today(), dates.add_months(month, 1))
    return {"report": report, "review": review, "form": form, "sign_form": SignForm(), "changes": changes,
            "month": month, "prev_month": dates.add_months(month, -1), "next_month": dates.add_months(month, 1),
            "can_review": month <= dates.month_start(clock.today()), "max_share": _max_share(report),
            "view": capacity_view(report, team, show_green=request.args.get("green") == "1", page=page,
                                  flagged_page=flagged_page)}


def _report_of(review, month: date) -> capacity.CapacityReport:
    """Frozen figures for a signed review; live ones (cached until data changes) otherwise."""
    if review is not None and review.status == ReviewStatus.SIGNED and review.snapshot:
        return reviews.report_of(db.session, review, month)
    return live_report(db.session, month)


def _view(report: capacity.CapacityReport):
    """Flagged people first; a team filter; the green majority on demand (?green=1), a page at a time."""
    team = team_arg(request.args.get("team"))
    page, _ = page_args(request.args)
    return capacity_view(report, team, show_green=request.args.get("green") == "1", page=page)


def _max_share(report) -> float:
    shares = [float(r.share) for r in report.rows if r.share is not None] + [float(r.cap_share) for r in report.rows]
    return max([0.25, *shares])


@roles(*MANAGERS)
@bp.post("/capacity/<month>/review")
def save_review(month: str):
    first = parse_month(month, clock.today())
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            reviews.save_review(db.session, current_user, first, reviews.ReviewInput(
                form.reviewed_on.data, form.notes.data, form.decisions.data, form.actions.data), clock.today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Review saved as a draft.", "success")
            return redirect(url_for("reports.capacity_review", month=first.strftime("%Y-%m")))
    review = reviews.review_for(db.session, first)
    report = _report_of(review, first)
    return render_template(
        "reports/capacity.html", report=report, review=review, form=form, sign_form=SignForm(), changes=[],
        month=first, prev_month=dates.add_months(first, -1), next_month=dates.add_months(first, 1),
        can_review=True, max_share=_max_share(report), view=_view(report),
    )


@roles(*MANAGERS)
@bp.post("/capacity/<month>/sign")
def sign_review(month: str):
    first = parse_month(month, clock.today())
    review = reviews.review_for(db.session, first)
    form = SignForm()
    if form.validate_on_submit():
        if review is None:
            flash("Record the review (date, notes, decisions) before signing it off.", "error")
        else:
            try:
                reviews.sign_review(db.session, current_user, review, utcnow(), form.answer(),
                                    form.impact_reason.data or "")
            except DomainError as error:
                flash(" ".join(error.fields.values()) or error.message, "error")
            else:
                flash(f"Review of {first:%B %Y} signed off; its figures are now frozen.", "success")
    return redirect(url_for("reports.capacity_review", month=first.strftime("%Y-%m")))


@roles(*MANAGERS)
@bp.get("/capacity/export")
def export_capacity():
    month = parse_month(request.args.get("month"), clock.today())
    fmt = export_format(request.args.get("format", "csv"))
    report = reviews.report_of(db.session, reviews.review_for(db.session, month), month)
    columns, rows, totals = capacity_table(report)
    content, mimetype, ext = exports.export(fmt, f"Capacity review {month:%B %Y}", columns, rows, totals)
    return download(content, mimetype, f"capacity-{month:%Y-%m}.{ext}")


@roles(*MANAGERS)
@bp.get("/reviews")
def review_trend():
    return render_template("reports/reviews.html", rows=reviews.trend(db.session))


