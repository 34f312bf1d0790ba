from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import TODAY, day
from tracker.audit.models import AuditLog
from tracker.errors import Conflict, Locked, ValidationFailed
from tracker.reports.capacity import reviews
from tracker.reports.capacity.models import ReviewStatus

NOV = date(2026, 11, 1)
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _record(session, actor, decisions="Pause new outside bookings for Sam One until December."):
    return reviews.save_review(session, actor, NOV, reviews.ReviewInput(date(2026, 11, 23), "Sam over cap",
                                                                        decisions, "KT to rebalance rota"), TODAY)


def test_record_then_sign_freezes_the_figures(session, capacity_world):
    manager = capacity_world.users["manager"]
    review = _record(session, manager)
    assert review.status == ReviewStatus.DRAFT and review.snapshot is None
    reviews.sign_review(session, manager, review, NOW, True)
    assert review.status == ReviewStatus.SIGNED and review.signed_by_id == manager.id
    frozen = reviews.report_of(session, review, NOV)
    sam = next(r for r in frozen.rows if r.name == "Sam One")
    assert sam.flag == "red" and sam.share == Decimal("0.2083")

    # Days change afterwards: the signed review keeps its figures and lists the change.
    day(session, capacity_world.engagement_a, capacity_world.staff["s1"], date(2026, 11, 5), "1")
    again = reviews.report_of(session, reviews.review_for(session, NOV), NOV)
    assert next(r for r in again.rows if r.name == "Sam One").external_delivered == Decimal("2.50")
    from tracker.reports.capacity import report as capacity

    changes = capacity.changes_since(again, capacity.capacity_report(session, NOV))
    assert [(c.name, c.field, c.signed, c.now) for c in changes] == [("Sam One", "external_delivered", "2.50", "3.50")]


def test_signing_needs_decisions_and_happens_once(session, capacity_world):
    manager = capacity_world.users["manager"]
    review = _record(session, manager, decisions="")
    with pytest.raises(ValidationFailed) as err:
        reviews.sign_review(session, manager, review, NOW, True)
    assert "decisions" in err.value.fields
    review = _record(session, manager)
    reviews.sign_review(session, manager, review, NOW, True)
    with pytest.raises(Conflict):
        reviews.sign_review(session, manager, review, NOW, True)
    with pytest.raises(Locked):
        _record(session, manager, decisions="Rewrite history")


def test_review_dates_are_checked(session, capacity_world):
    manager = capacity_world.users["manager"]
    with pytest.raises(ValidationFailed) as err:
        reviews.save_review(session, manager, NOV, reviews.ReviewInput(date(2026, 12, 1)), TODAY)
    assert "reviewed_on" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        reviews.save_review(session, manager, date(2027, 1, 1), reviews.ReviewInput(TODAY), TODAY)
    assert "month" in err.value.fields


def test_reviews_are_audited_and_listed_with_flags(session, capacity_world):
    manager = capacity_world.users["manager"]
    reviews.sign_review(session, manager, _record(session, manager), NOW, True)
    reviews.save_review(session, manager, date(2026, 10, 1), reviews.ReviewInput(date(2026, 11, 2)), TODAY)
    trend = reviews.trend(session)
    assert [t.review.month for t in trend] == [NOV, date(2026, 10, 1)]
    assert trend[0].counts == {"red": 1, "amber": 1, "green": 1}
    assert trend[1].counts["red"] == 0
    actions = session.scalars(sa.select(AuditLog.action).where(AuditLog.entity == "capacity_review")).all()
    assert actions == ["create", "sign", "create"]


def test_signing_states_the_boards_statement_explicitly(session, capacity_world):
    manager = capacity_world.users["manager"]
    review = _record(session, manager)
    with pytest.raises(ValidationFailed) as err:
        reviews.sign_review(session, manager, review, NOW)  # neither yes nor no
    assert "no detrimental impact on the work within the Borough" in err.value.fields["no_detriment"]
    with pytest.raises(ValidationFailed) as err:
        reviews.sign_review(session, manager, review, NOW, False, "  ")  # no, without a reason
    assert list(err.value.fields) == ["impact_reason"]
    assert review.status == ReviewStatus.DRAFT
    reviews.sign_review(session, manager, review, NOW, False, "Sam's outside days delayed the Halton sufficiency report.")
    review = reviews.review_for(session, NOV)
    assert (review.no_detriment, review.impact_reason, review.signed_by_id, review.signed_at) == (
        False, "Sam's outside days delayed the Halton sufficiency report.", manager.id, NOW)
    signed = session.scalars(sa.select(AuditLog).where(AuditLog.action == "sign")).one()
    assert signed.after["no_detriment"] is False and "sufficiency" in signed.after["impact_reason"]


def test_a_yes_records_no_reason(session, capacity_world):
    manager = capacity_world.users["manager"]
    review = reviews.sign_review(session, manager, _record(session, manager), NOW, True, "ignored")
    assert (review.no_detriment, review.impact_reason) == (True, "")
