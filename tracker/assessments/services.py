"""Self-assessment rounds and group responses.

Who may change them is in tracker.engagements.policy; every change
writes the audit log with the values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.assessments import framework
from tracker.assessments.models import Assessment, AssessmentResponse, SapStandard, Score
from tracker.audit import services as audit
from tracker.database import utcnow
from tracker.dates import check_fields
from tracker.engagements.models import Engagement
from tracker.engagements.policy import check_may_edit, check_may_score, visible
from tracker.errors import Conflict, NotFound, ValidationFailed

MAX_KEY_AREAS = 12
#: Limits the forms and the API schema take from here.
LABEL_MAX = 80
KEY_AREA_MAX = 200  # also a goal's key area
NOTES_MAX = 5000
GROUP_MAX = 120
EVIDENCE_MAX = 5000  # per standard


# --- reading -----------------------------------------------------------------------

def get_assessment(session: Session, user, assessment_id: int) -> Assessment:
    assessment = session.get(Assessment, assessment_id)
    if assessment is None or not visible(user, assessment.engagement):
        raise NotFound("No such assessment round.")
    return assessment


def get_response(session: Session, user, response_id: int) -> AssessmentResponse:
    response = session.get(AssessmentResponse, response_id)
    if response is None or not visible(user, response.assessment.engagement):
        raise NotFound("No such response.")
    return response


def assessment_for_editing(session: Session, user, assessment_id: int) -> Assessment:
    """The round, to change it: NotFound as in get_assessment, Forbidden unless the
    policy lets this user edit its engagement."""
    assessment = get_assessment(session, user, assessment_id)
    check_may_edit(session, user, assessment.engagement)
    return assessment


def assessment_for_scoring(session: Session, user, assessment_id: int) -> Assessment:
    """The round, to record a group's scores: Forbidden unless the user may score."""
    assessment = get_assessment(session, user, assessment_id)
    check_may_score(session, user, assessment.engagement)
    return assessment


def response_for_scoring(session: Session, user, response_id: int) -> AssessmentResponse:
    """The group's response, to correct it: Forbidden unless the user may score."""
    response = get_response(session, user, response_id)
    check_may_score(session, user, response.assessment.engagement)
    return response


def rounds_query(engagement_id: int) -> sa.Select:
    return (sa.select(Assessment).where(Assessment.engagement_id == engagement_id)
            .order_by(Assessment.assessed_on, Assessment.id))


def rounds_of(session: Session, engagement_id: int) -> list[Assessment]:
    return list(session.scalars(rounds_query(engagement_id)))


def previous_round(session: Session, assessment: Assessment) -> Assessment | None:
    """The round of the same engagement just before this one (by date, then id)."""
    stmt = (
        sa.select(Assessment)
        .where(
            Assessment.engagement_id == assessment.engagement_id,
            sa.or_(
                Assessment.assessed_on < assessment.assessed_on,
                sa.and_(Assessment.assessed_on == assessment.assessed_on, Assessment.id < assessment.id),
            ),
        )
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


def key_areas_of(session: Session, engagement_id: int) -> list[str]:
    """Every key area the engagement's rounds name, once each, oldest first."""
    seen: dict[str, str] = {}
    for areas in session.scalars(sa.select(Assessment.key_areas).where(Assessment.engagement_id == engagement_id)
                                 .order_by(Assessment.assessed_on, Assessment.id)):
        for area in areas or []:
            seen.setdefault(area.casefold(), area)
    return list(seen.values())


def group_names(session: Session, engagement_id: int) -> list[str]:
    """Groups that have responded in this engagement's rounds: to keep names consistent."""
    stmt = (sa.select(AssessmentResponse.group_name).join(Assessment)
            .where(Assessment.engagement_id == engagement_id).distinct().order_by(AssessmentResponse.group_name))
    return list(session.scalars(stmt))


def standards_of(session: Session, version_id: int) -> list[SapStandard]:
    stmt = sa.select(SapStandard).where(SapStandard.version_id == version_id).order_by(SapStandard.position)
    return list(session.scalars(stmt))


# --- rounds ------------------------------------------------------------------------

@dataclass
class AssessmentInput:
    label: str
    assessed_on: date | None
    key_areas: list = field(default_factory=list)
    notes: str = ""


def _clean_round(session: Session, engagement: Engagement, data: AssessmentInput, existing: Assessment | None) -> dict:
    fields: dict[str, str] = {}
    label = (data.label or "").strip()
    if not label:
        fields["label"] = "Name the round, e.g. Baseline or 6-month review."
    elif len(label) > LABEL_MAX:
        fields["label"] = f"Use at most {LABEL_MAX} characters."
    if not isinstance(data.assessed_on, date):
        fields["assessed_on"] = "Give the date of the exercise (YYYY-MM-DD)."
    check_fields(fields, assessed_on=data.assessed_on)
    areas: list[str] = []
    raw_areas = data.key_areas if isinstance(data.key_areas, list) else [data.key_areas]
    for raw in raw_areas:
        area = (raw or "").strip() if isinstance(raw, str) else None
        if area is None:
            fields["key_areas"] = "Each key area is a line of text."
        elif len(area) > KEY_AREA_MAX:
            fields["key_areas"] = f"Key areas are at most {KEY_AREA_MAX} characters (“{area[:40]}…” is longer)."
        elif area and area.casefold() in {a.casefold() for a in areas}:
            fields["key_areas"] = f"“{area}” is listed twice."
        elif area:
            areas.append(area)
    if len(areas) > MAX_KEY_AREAS:
        fields["key_areas"] = f"Name at most {MAX_KEY_AREAS} key areas: focus is the point."
    notes = (data.notes or "").strip()
    if len(notes) > NOTES_MAX:
        fields["notes"] = f"Notes are limited to {NOTES_MAX:,} characters."
    if fields:
        raise ValidationFailed("Check the highlighted fields.", fields)
    clash = session.scalar(sa.select(Assessment.id).where(
        Assessment.engagement_id == engagement.id, sa.func.lower(Assessment.label) == label.lower(),
        *([Assessment.id != existing.id] if existing else [])))
    if clash is not None:
        raise Conflict.for_field("label", f"This engagement already has a round called “{label}”.")
    return {"label": label, "assessed_on": data.assessed_on, "key_areas": areas, "notes": notes}


def create_assessment(session: Session, actor, engagement: Engagement, data: AssessmentInput) -> Assessment:
    """A new round, scored against the newest framework version."""
    check_may_edit(session, actor, engagement)
    values = _clean_round(session, engagement, data, None)
    version = framework.current_version(session)
    assessment = Assessment(engagement_id=engagement.id, framework_version_id=version.id,
                            created_by_id=getattr(actor, "id", None), **values)
    session.add(assessment)
    session.flush()
    audit.record(session, actor, "create", "sap_assessment", assessment.id, None, audit.snapshot(assessment))
    session.commit()
    return assessment


def update_assessment(session: Session, actor, assessment: Assessment, data: AssessmentInput) -> Assessment:
    check_may_edit(session, actor, assessment.engagement)
    before = audit.snapshot(assessment)
    for key, value in _clean_round(session, assessment.engagement, data, assessment).items():
        setattr(assessment, key, value)
    session.flush()
    audit.record(session, actor, "update", "sap_assessment", assessment.id, before, audit.snapshot(assessment))
    session.commit()
    return assessment


# --- group responses ---------------------------------------------------------------

@dataclass
class ResponseInput:
    group: str
    scores: dict = field(default_factory=dict)  # "1.1" → 1..5 (None or "" = not scored)
    evidence: dict = field(default_factory=dict)  # "1.1" → text


def parse_score(value) -> int | None:
    """1..5 from an int or a digit string; None when not scored; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError
    if isinstance(value, str):
        if not value.strip().isdigit():
            raise ValueError
        value = int(value)
    if value not in framework.SCORES:
        raise ValueError
    return value


def _clean_response(session: Session, assessment: Assessment, data: ResponseInput,
                    existing: AssessmentResponse | None) -> tuple[str, dict[str, tuple[SapStandard, int, str]]]:
    fields: dict[str, str] = {}
    group = (data.group or "").strip() if isinstance(data.group, str) else ""
    if not group:
        fields["group"] = "Name the group, e.g. Children's Trust Board."
    elif len(group) > GROUP_MAX:
        fields["group"] = f"Use at most {GROUP_MAX} characters."
    standards = {s.code: s for s in standards_of(session, assessment.framework_version_id)}
    known = f"{min(standards)} to {max(standards)}" if standards else "none"
    scores: dict[str, int] = {}
    raw_scores = data.scores if isinstance(data.scores, dict) else {}
    if not isinstance(data.scores, dict):
        fields["scores"] = "Scores are an object of standard code to score, e.g. {\"1.1\": 3}."
    for code, raw in raw_scores.items():
        key = f"scores.{code}"
        if code not in standards:
            fields[key] = f"Unknown standard “{code}”: this round's framework has {known}."
            continue
        try:
            value = parse_score(raw)
        except ValueError:
            fields[key] = f"The score for {code} must be a whole number from 1 to 5, not {raw!r}."
            continue
        if value is not None:
            scores[code] = value
    evidence: dict[str, str] = {}
    raw_evidence = data.evidence if isinstance(data.evidence, dict) else {}
    if not isinstance(data.evidence, dict):
        fields["evidence"] = "Evidence is an object of standard code to text."
    for code, raw in raw_evidence.items():
        key = f"evidence.{code}"
        if code not in standards:
            fields[key] = f"Unknown standard “{code}”: this round's framework has {known}."
        elif raw is not None and not isinstance(raw, str):
            fields[key] = f"The evidence for {code} must be text."
        elif len((raw or "").strip()) > EVIDENCE_MAX:
            fields[key] = f"The evidence for {code} is limited to {EVIDENCE_MAX:,} characters."
        elif (raw or "").strip():
            if code not in scores and f"scores.{code}" not in fields:
                fields[key] = f"Give a score for {code}, or remove its evidence."
            evidence[code] = raw.strip()
    if not scores and not any(k.startswith("scores.") for k in fields):
        fields["scores"] = "Score at least one standard: a group may score only some of them."
    if fields:
        raise ValidationFailed("Check the highlighted scores.", fields)
    clash = session.scalar(sa.select(AssessmentResponse.id).where(
        AssessmentResponse.assessment_id == assessment.id,
        sa.func.lower(AssessmentResponse.group_name) == group.lower(),
        *([AssessmentResponse.id != existing.id] if existing else [])))
    if clash is not None:
        raise Conflict.for_field("group", f"“{group}” has already responded in this round; change that response instead.",
                                 existing_id=clash)
    return group, {code: (standards[code], value, evidence.get(code, "")) for code, value in scores.items()}


def response_snapshot(response: AssessmentResponse) -> dict:
    """Flat, so the audit log keeps only the scores that changed."""
    flat = {"group": response.group_name}
    for score in response.scores:
        flat[f"scores.{score.standard.code}"] = score.score
        if score.evidence:
            flat[f"evidence.{score.standard.code}"] = score.evidence
    return flat


def _apply_scores(response: AssessmentResponse, clean: dict[str, tuple[SapStandard, int, str]]) -> None:
    by_code = {s.standard.code: s for s in response.scores}
    for code, score in by_code.items():
        if code not in clean:
            response.scores.remove(score)
    for code, (standard, value, evidence) in clean.items():
        score = by_code.get(code)
        if score is None:
            score = Score(standard_id=standard.id, standard=standard)
            response.scores.append(score)
        score.score, score.evidence = value, evidence


def record_response(session: Session, actor, assessment: Assessment, data: ResponseInput) -> AssessmentResponse:
    check_may_score(session, actor, assessment.engagement)
    group, clean = _clean_response(session, assessment, data, None)
    response = AssessmentResponse(assessment_id=assessment.id, group_name=group, recorded_by_id=getattr(actor, "id", None))
    session.add(response)
    _apply_scores(response, clean)
    session.flush()
    audit.record(session, actor, "create", "sap_response", response.id, None,
                 {"assessment_id": assessment.id} | response_snapshot(response))
    session.commit()
    return response


def update_response(session: Session, actor, response: AssessmentResponse, data: ResponseInput) -> AssessmentResponse:
    """Replace a group's name, scores and evidence with these."""
    check_may_score(session, actor, response.assessment.engagement)
    group, clean = _clean_response(session, response.assessment, data, response)
    before = response_snapshot(response)
    response.group_name = group
    response.recorded_by_id = getattr(actor, "id", None)
    response.updated_at = utcnow()
    _apply_scores(response, clean)
    session.flush()
    audit.record(session, actor, "update", "sap_response", response.id, before, response_snapshot(response))
    session.commit()
    return response
