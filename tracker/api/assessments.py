"""SAP standards, assessment rounds, group responses and round summaries."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user

from tracker.access import DELIVERERS, Role, roles, signed_in
from tracker.api.core import Param, api_bp, list_response, load, operation, paging, query_values
from tracker.api.schema import Bool, Date, DateTime, Dec, FieldError, Int, ListOf, MapOf, Nested, Schema, Str
from tracker.assessments import framework, services
from tracker.assessments.models import AssessmentResponse, SapStandard
from tracker.assessments.summary import RoundSummary, summarise
from tracker.engagements.services import engagement_for_editing, get_engagement
from tracker.extensions import db
from tracker.pagination import paginate

SCORERS = (*DELIVERERS, Role.CLIENT)


class LooseMap(MapOf):
    """An object whose entries the service checks, naming every bad one at once."""

    def parse(self, value):
        if not isinstance(value, dict):
            raise FieldError("must be an object keyed by standard code, e.g. {\"1.1\": 3}")
        if len(value) > self.max_items:
            raise FieldError(f"must have at most {self.max_items} entries")
        return dict(value)


StandardSchema = Schema("SapStandard", {
    "code": Str(read_only=True, description="e.g. \"2.3\": section 2, standard 3."),
    "section": Int(read_only=True),
    "section_title": Str(read_only=True),
    "title": Str(read_only=True),
    "description": Str(read_only=True),
    "version": Int(read_only=True, description="The framework version this wording belongs to."),
})

AssessmentSchema = Schema("Assessment", {
    "id": Int(read_only=True),
    "engagement_id": Int(read_only=True),
    "label": Str(required=True, min_length=1, max_length=services.LABEL_MAX, description="e.g. Baseline, 6-month review."),
    "assessed_on": Date(required=True),
    "key_areas": ListOf(Str(max_length=services.KEY_AREA_MAX), max_items=services.MAX_KEY_AREAS, default=[]),
    "notes": Str(max_length=services.NOTES_MAX, default=""),
    "framework_version": Int(read_only=True, description="The wording this round is scored against."),
    "groups": ListOf(Str(), read_only=True, description="Groups that have responded."),
})

ResponseSchema = Schema("AssessmentResponse", {
    "id": Int(read_only=True),
    "assessment_id": Int(read_only=True),
    "group": Str(required=True, min_length=1, max_length=services.GROUP_MAX, attr="group_name"),
    "scores": LooseMap(Int(minimum=1, maximum=5), max_items=40, required=True, attr="score_map",
                       description="Standard code → score 1-5; a group may score only some standards."),
    "evidence": LooseMap(Str(max_length=services.EVIDENCE_MAX), max_items=40, default={}, attr="evidence_map",
                         description="Standard code → evidence text (only for scored standards)."),
    "updated_at": DateTime(read_only=True),
})

StandardSummarySchema = Schema("SapStandardSummary", {
    "code": Str(), "section": Int(), "title": Str(),
    "n": Int(description="Groups that scored it."),
    "mean": Dec(2, nullable=True), "min": Int(nullable=True), "max": Int(nullable=True),
    "spread": Int(nullable=True, description="max - min: how far the groups disagree."),
    "disagreement": Bool(description="true when the spread is 2 or more."),
    "scores": MapOf(Int(), description="Group → score."),
    "previous_mean": Dec(2, nullable=True), "change": Dec(2, nullable=True),
})

SectionSummarySchema = Schema("SapSectionSummary", {
    "section": Int(), "title": Str(),
    "n": Int(description="Groups that scored at least one of its standards."),
    "scores_count": Int(description="Scores given in the section (groups × standards)."),
    "mean": Dec(2, nullable=True, description="Mean of every score given in the section."),
    "min": Int(nullable=True), "max": Int(nullable=True),
    "previous_mean": Dec(2, nullable=True), "change": Dec(2, nullable=True),
})

RoundRefSchema = Schema("AssessmentRef", {"id": Int(), "label": Str(), "assessed_on": Date()})

SummarySchema = Schema("AssessmentSummary", {
    "assessment_id": Int(), "label": Str(), "assessed_on": Date(), "framework_version": Int(),
    "previous": Nested(RoundRefSchema, nullable=True, description="The round compared with (the one before by date)."),
    "groups": ListOf(Str()),
    "standards": ListOf(Nested(StandardSummarySchema)),
    "sections": ListOf(Nested(SectionSummarySchema)),
    "suggested_key_areas": ListOf(Str(), description="Codes of the lowest-scoring standards (ties included)."),
}, description="Means are exact quotients rounded half-up to 2 places; change = mean - previous_mean.")


def dump_assessment(assessment) -> dict:
    return AssessmentSchema.dump(assessment, framework_version=assessment.framework.number,
                                 groups=[r.group_name for r in assessment.responses])


def dump_summary(summary: RoundSummary) -> dict:
    a = summary.assessment
    return SummarySchema.dump({
        "assessment_id": a.id, "label": a.label, "assessed_on": a.assessed_on, "framework_version": a.framework.number,
        "previous": summary.previous, "groups": summary.groups,
        "standards": [{
            "code": s.code, "section": s.section, "title": s.title, "n": s.figures.n, "mean": s.figures.mean,
            "min": s.figures.lowest, "max": s.figures.highest, "spread": s.figures.spread,
            "disagreement": s.figures.disagreement, "scores": s.by_group, "previous_mean": s.previous_mean,
            "change": s.change,
        } for s in summary.standards],
        "sections": [{
            "section": s.number, "title": s.title, "n": s.figures.n, "scores_count": s.figures.count,
            "mean": s.figures.mean, "min": s.figures.lowest, "max": s.figures.highest,
            "previous_mean": s.previous_mean, "change": s.change,
        } for s in summary.sections],
        "suggested_key_areas": [s.code for s in summary.suggested],
    })


VERSION = [Param("version", Int(minimum=1), "A framework version (default: the current one).")]


@signed_in
@api_bp.get("/standards")
@operation("The SAP standards and their wording", tags=["self-assessment"], list_of=StandardSchema, query=VERSION)
def list_standards():
    page, per_page = paging()
    number = query_values(VERSION).get("version")
    version = framework.get_version(db.session, number) if number else framework.current_version(db.session)
    titles = {s.number: s.title for s in version.sections}
    stmt = sa.select(SapStandard).where(SapStandard.version_id == version.id).order_by(SapStandard.position)
    return list_response(StandardSchema, paginate(db.session, stmt, page, per_page),
                         lambda s: StandardSchema.dump(s, section_title=titles.get(s.section), version=version.number))


@signed_in
@api_bp.get("/engagements/<int:engagement_id>/assessments")
@operation("An engagement's self-assessment rounds, oldest first", tags=["self-assessment"], list_of=AssessmentSchema)
def list_assessments(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    page, per_page = paging()
    return list_response(AssessmentSchema, paginate(db.session, services.rounds_query(engagement.id), page, per_page),
                         dump_assessment)


def _round_input(data: dict, base=None) -> services.AssessmentInput:
    current = {"label": base.label, "assessed_on": base.assessed_on, "key_areas": base.key_areas,
               "notes": base.notes} if base is not None else {}
    return services.AssessmentInput(**(current | data))


@roles(*DELIVERERS)
@api_bp.post("/engagements/<int:engagement_id>/assessments")
@operation("Open a round (scored against the current framework)", tags=["self-assessment"], request=AssessmentSchema,
           response=AssessmentSchema, status=201)
def create_assessment(engagement_id: int):
    engagement = engagement_for_editing(db.session, current_user, engagement_id)
    assessment = services.create_assessment(db.session, current_user, engagement, _round_input(load(AssessmentSchema)))
    return dump_assessment(assessment), 201


@signed_in
@api_bp.get("/assessments/<int:assessment_id>")
@operation("One round", tags=["self-assessment"], response=AssessmentSchema)
def get_assessment(assessment_id: int):
    return dump_assessment(services.get_assessment(db.session, current_user, assessment_id))


@roles(*DELIVERERS)
@api_bp.patch("/assessments/<int:assessment_id>")
@operation("Change a round's label, date, key areas or notes", tags=["self-assessment"], request=AssessmentSchema,
           partial=True, response=AssessmentSchema)
def update_assessment(assessment_id: int):
    assessment = services.assessment_for_editing(db.session, current_user, assessment_id)
    data = load(AssessmentSchema, partial=True)
    if data:
        services.update_assessment(db.session, current_user, assessment, _round_input(data, assessment))
    return dump_assessment(assessment)


@signed_in
@api_bp.get("/assessments/<int:assessment_id>/responses")
@operation("The groups' responses in a round", tags=["self-assessment"], list_of=ResponseSchema)
def list_responses(assessment_id: int):
    assessment = services.get_assessment(db.session, current_user, assessment_id)
    page, per_page = paging()
    stmt = sa.select(AssessmentResponse).where(AssessmentResponse.assessment_id == assessment.id).order_by(AssessmentResponse.id)
    return list_response(ResponseSchema, paginate(db.session, stmt, page, per_page))


@roles(*SCORERS)
@api_bp.post("/assessments/<int:assessment_id>/responses")
@operation("Record a group's scores (422 names each unknown standard or score outside 1-5)", tags=["self-assessment"],
           request=ResponseSchema, response=ResponseSchema, status=201)
def create_response(assessment_id: int):
    assessment = services.assessment_for_scoring(db.session, current_user, assessment_id)
    data = load(ResponseSchema)
    response = services.record_response(db.session, current_user, assessment,
                                        services.ResponseInput(data["group"], data["scores"], data["evidence"]))
    return ResponseSchema.dump(response), 201


@signed_in
@api_bp.get("/responses/<int:response_id>")
@operation("One group's response", tags=["self-assessment"], response=ResponseSchema)
def get_response(response_id: int):
    return ResponseSchema.dump(services.get_response(db.session, current_user, response_id))


@roles(*SCORERS)
@api_bp.patch("/responses/<int:response_id>")
@operation("Correct a group's response: scores and evidence given replace the old ones", tags=["self-assessment"],
           request=ResponseSchema, partial=True, response=ResponseSchema,
           description="Evidence not sent is kept for the standards still scored.")
def update_response(response_id: int):
    response = services.response_for_scoring(db.session, current_user, response_id)
    data = load(ResponseSchema, partial=True)
    if data:
        scores = data.get("scores", response.score_map)
        evidence = data.get("evidence", {c: t for c, t in response.evidence_map.items() if c in scores})
        services.update_response(db.session, current_user, response,
                                 services.ResponseInput(data.get("group", response.group_name), scores, evidence))
    return ResponseSchema.dump(response)


@signed_in
@api_bp.get("/assessments/<int:assessment_id>/summary")
@operation("A round's figures per standard and per section, and the change since the round before",
           tags=["self-assessment"], response=SummarySchema)
def get_summary(assessment_id: int):
    assessment = services.get_assessment(db.session, current_user, assessment_id)
    return dump_summary(summarise(db.session, assessment))
