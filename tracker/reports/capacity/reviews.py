"""Recording and signing the monthly capacity review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker import dates
from tracker.audit import services as audit
from tracker.errors import Conflict, Locked, NotFound, ValidationFailed
from tracker.reports.capacity import report as capacity
from tracker.reports.capacity.models import CapacityReview, ReviewStatus

TEXT_LIMIT = 10_000


@dataclass
class ReviewInput:
    reviewed_on: date | None
    notes: str = ""
    decisions: str = ""
    actions: str = ""


def _clean(data: ReviewInput, month: date, today: date) -> dict:
    fields = {}
    if not isinstance(data.reviewed_on, date):
        fields["reviewed_on"] = "Give the date of the review."
    elif data.reviewed_on > today:
        fields["reviewed_on"] = "The review date cannot be in the future."
    elif data.reviewed_on < month:
        fields["reviewed_on"] = "A month is reviewed on or after its first day."
    for name in ("notes", "decisions", "actions"):
        if len(getattr(data, name) or "") > TEXT_LIMIT:
            fields[name] = f"Keep this under {TEXT_LIMIT:,} characters."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    return {"reviewed_on": data.reviewed_on, "notes": (data.notes or "").strip(),
            "decisions": (data.decisions or "").strip(), "actions": (data.actions or "").strip()}


def review_for(session: Session, month: date) -> CapacityReview | None:
    return session.scalar(sa.select(CapacityReview).where(CapacityReview.month == dates.month_start(month)))


def get_review(session: Session, review_id: int) -> CapacityReview:
    review = session.get(CapacityReview, review_id)
    if review is None:
        raise NotFound("No such review.")
    return review


def save_review(session: Session, actor, month: date, data: ReviewInput, today: date) -> CapacityReview:
    """Create or update the month's draft review (notes, decisions, actions)."""
    first = dates.month_start(month)
    if first > dates.month_start(today):
        raise ValidationFailed.for_field("month", "A month can be reviewed once it has begun.")
    values = _clean(data, first, today)
    review = review_for(session, first)
    if review is not None and review.status == ReviewStatus.SIGNED:
        raise Locked("This review has been signed off; its record cannot change.")
    before = audit.snapshot(review) if review else None
    if review is None:
        review = CapacityReview(month=first, created_by_id=getattr(actor, "id", None), **values)
        session.add(review)
    else:
        for key, value in values.items():
            setattr(review, key, value)
    session.flush()
    audit.record(session, actor, "update" if before else "create", "capacity_review", review.id, before,
                 audit.snapshot(review))
    session.commit()
    return review


#: What the lead authority promised its Board, and what the manager signs each month.
BOARD_STATEMENT = "Outside work is having no detrimental impact on the work within the Borough"


def sign_review(session: Session, actor, review: CapacityReview, now: datetime,
                no_detriment: bool | None = None, impact_reason: str = "") -> CapacityReview:
    """Freeze the month's figures into the review and sign it off, stating the
    Board's statement explicitly: ``no_detriment`` True ("Outside work is having
    no detrimental impact on the work within the Borough"), or False with the
    reason recorded. Who and when are recorded with it."""
    if review.status == ReviewStatus.SIGNED:
        raise Conflict("This review is already signed off.")
    fields = {}
    if not review.decisions.strip():
        fields["decisions"] = "Record the decisions before signing off."
    reason = (impact_reason or "").strip()
    if no_detriment is None:
        fields["no_detriment"] = f"Say whether you can sign the statement: “{BOARD_STATEMENT}”."
    elif no_detriment is False and not reason:
        fields["impact_reason"] = "Say what detrimental impact outside work is having, and why."
    elif len(reason) > 10_000:
        fields["impact_reason"] = "Use at most 10,000 characters."
    if fields:
        raise ValidationFailed("The review cannot be signed off yet.", fields)
    report = capacity.capacity_report(session, review.month)
    review.snapshot = capacity.to_snapshot(report)
    review.status = ReviewStatus.SIGNED
    review.no_detriment = no_detriment
    review.impact_reason = "" if no_detriment else reason
    review.signed_at = now
    review.signed_by_id = getattr(actor, "id", None)
    audit.record(session, actor, "sign", "capacity_review", review.id, {"status": "draft"},
                 {"status": "signed", "no_detriment": no_detriment, "impact_reason": review.impact_reason,
                  "team_flag": report.flag, "counts": report.counts()})
    session.commit()
    return review


def report_of(session: Session, review: CapacityReview | None, month: date) -> capacity.CapacityReport:
    """The figures to show: frozen for a signed review, live otherwise."""
    if review is not None and review.status == ReviewStatus.SIGNED and review.snapshot:
        return capacity.from_snapshot(review.snapshot)
    return capacity.capacity_report(session, month)


@dataclass(frozen=True)
class TrendRow:
    review: CapacityReview
    counts: dict
    share: object
    flag: str


def trend(session: Session, limit: int = 24) -> list[TrendRow]:
    """Reviews by month, newest first, with their flags (signed figures where signed)."""
    reviews = session.scalars(sa.select(CapacityReview).order_by(CapacityReview.month.desc()).limit(limit)).all()
    out = []
    for review in reviews:
        report = report_of(session, review, review.month)
        out.append(TrendRow(review, report.counts(), report.share, report.flag))
    return out
