"""Pages: an engagement's rounds, a round's summary and charts, the scoring
form, and the framework's wording (read by all, edited by an admin)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.access import DELIVERERS, Role, roles, signed_in
from tracker.assessments import framework, services
from tracker.assessments.charts import section_chart_png
from tracker.assessments.forms import AssessmentForm, field_name, framework_form, response_form
from tracker.assessments.summary import chart_series, section_means_by_round, summarise
from tracker.engagements.policy import may_edit, may_score
from tracker.engagements.services import engagement_for_editing, get_engagement
from tracker.errors import DomainError, NotFound
from tracker.extensions import db
from tracker.web import apply_errors

bp = Blueprint("assessments", __name__)

SCORERS = (*DELIVERERS, Role.CLIENT)


def _form_error(error: DomainError) -> DomainError:
    """The service's error keys as the form's field names ("scores.1.1" → scores_1_1)."""
    renamed = type(error)(error.message, {field_name(k): v for k, v in error.fields.items()})
    return renamed


@bp.app_template_filter("change")
def format_change(value: Decimal | None) -> str:
    """+0.50, −0.33 (a real minus sign) or ±0.00."""
    if value is None:
        return "—"
    if value > 0:
        return f"+{value:.2f}"
    if value < 0:
        return f"−{abs(value):.2f}"
    return f"±{value:.2f}"


def _round_input(form: AssessmentForm) -> services.AssessmentInput:
    areas = [line for line in (form.key_areas.data or "").splitlines() if line.strip()]
    return services.AssessmentInput(form.label.data, form.assessed_on.data, areas, form.notes.data or "")


# --- rounds --------------------------------------------------------------------------

@signed_in
@bp.get("/engagements/<int:engagement_id>/assessments")
def list_rounds(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    progress = section_means_by_round(db.session, engagement.id)
    sections = framework.current_version(db.session).sections
    return render_template("assessments/list.html", engagement=engagement, progress=progress, sections=sections,
                           can_edit=may_edit(db.session, current_user, engagement))


@roles(*DELIVERERS)
@bp.route("/engagements/<int:engagement_id>/assessments/new", methods=["GET", "POST"])
def create_round(engagement_id: int):
    engagement = engagement_for_editing(db.session, current_user, engagement_id)
    form = AssessmentForm()
    if form.validate_on_submit():
        try:
            assessment = services.create_assessment(db.session, current_user, engagement, _round_input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Round “{assessment.label}” created: groups can now record their scores.", "success")
            return redirect(url_for("assessments.show_round", assessment_id=assessment.id))
    return render_template("assessments/round_form.html", form=form, engagement=engagement, assessment=None)


@roles(*DELIVERERS)
@bp.route("/assessments/<int:assessment_id>/edit", methods=["GET", "POST"])
def edit_round(assessment_id: int):
    assessment = services.assessment_for_editing(db.session, current_user, assessment_id)
    form = AssessmentForm(data=None if request.method == "POST" else {
        "label": assessment.label, "assessed_on": assessment.assessed_on,
        "key_areas": "\n".join(assessment.key_areas or []), "notes": assessment.notes})
    if form.validate_on_submit():
        try:
            services.update_assessment(db.session, current_user, assessment, _round_input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Round saved.", "success")
            return redirect(url_for("assessments.show_round", assessment_id=assessment.id))
    return render_template("assessments/round_form.html", form=form, engagement=assessment.engagement, assessment=assessment)


def _chart_version(series) -> str:
    """Changes whenever the drawn figures change, so browsers fetch the new chart."""
    text = repr([(s.label, sorted((c, str(f.mean), f.lowest, f.highest) for c, f in s.figures.items())) for s in series])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@signed_in
@bp.get("/assessments/<int:assessment_id>")
def show_round(assessment_id: int):
    assessment = services.get_assessment(db.session, current_user, assessment_id)
    summary = summarise(db.session, assessment)
    series = chart_series(db.session, assessment)
    return render_template(
        "assessments/show.html", assessment=assessment, engagement=assessment.engagement, summary=summary,
        series=series, chart_version=_chart_version(series),
        can_edit=may_edit(db.session, current_user, assessment.engagement),
        can_score=may_score(db.session, current_user, assessment.engagement),
    )


@signed_in
@bp.get("/assessments/<int:assessment_id>/sections/<int:section>/chart.png")
def section_chart(assessment_id: int, section: int):
    assessment = services.get_assessment(db.session, current_user, assessment_id)
    found = next((s for s in assessment.framework.sections if s.number == section), None)
    if found is None:
        raise NotFound("This round's framework has no such section.")
    standards = [(s.code, s.title) for s in assessment.framework.standards if s.section == section]
    levels = {lv.score: lv.label for lv in assessment.framework.levels}
    png = section_chart_png(f"Section {found.number}: {found.title}", standards, chart_series(db.session, assessment), levels)
    return Response(png, mimetype="image/png")


# --- group scores ----------------------------------------------------------------------

def _response_input(form, standards) -> services.ResponseInput:
    return services.ResponseInput(
        group=form.group.data,
        scores={s.code: form[f"scores_{s.slug}"].data for s in standards},
        evidence={s.code: form[f"evidence_{s.slug}"].data for s in standards},
    )


def _scoring_page(form, assessment, response):
    known_groups = services.group_names(db.session, assessment.engagement_id)
    if known_groups:
        form.group.render_kw = {"list": "known-groups", "autocomplete": "off"}
    return render_template(
        "assessments/response_form.html", form=form, assessment=assessment, response=response,
        engagement=assessment.engagement, version=assessment.framework,
        known_groups=known_groups,
    )


@roles(*SCORERS)
@bp.route("/assessments/<int:assessment_id>/responses/new", methods=["GET", "POST"])
def new_response(assessment_id: int):
    assessment = services.assessment_for_scoring(db.session, current_user, assessment_id)
    standards = assessment.framework.standards
    form = response_form(standards)
    if form.validate_on_submit():
        try:
            response = services.record_response(db.session, current_user, assessment, _response_input(form, standards))
        except DomainError as error:
            apply_errors(form, _form_error(error))
        else:
            flash(f"Scores recorded for {response.group_name}.", "success")
            return redirect(url_for("assessments.show_round", assessment_id=assessment.id))
    return _scoring_page(form, assessment, None)


@roles(*SCORERS)
@bp.route("/responses/<int:response_id>/edit", methods=["GET", "POST"])
def edit_response(response_id: int):
    response = services.response_for_scoring(db.session, current_user, response_id)
    assessment = response.assessment
    standards = assessment.framework.standards
    current = {"group": response.group_name}
    for s in standards:
        current[f"scores_{s.slug}"] = str(response.score_map.get(s.code, ""))
        current[f"evidence_{s.slug}"] = response.evidence_map.get(s.code, "")
    form = response_form(standards, None if request.method == "POST" else current)
    if form.validate_on_submit():
        try:
            services.update_response(db.session, current_user, response, _response_input(form, standards))
        except DomainError as error:
            apply_errors(form, _form_error(error))
        else:
            flash(f"Scores saved for {response.group_name}.", "success")
            return redirect(url_for("assessments.show_round", assessment_id=assessment.id))
    return _scoring_page(form, assessment, response)


# --- the framework -----------------------------------------------------------------------

@signed_in
@bp.get("/sap/framework")
def show_framework():
    versions = framework.all_versions(db.session)
    number = request.args.get("version", type=int)
    version = framework.get_version(db.session, number) if number else framework.current_version(db.session)
    return render_template("assessments/framework.html", version=version, versions=versions,
                           can_edit=framework.may_edit_framework(current_user))


def _framework_data(form, version) -> framework.FrameworkData:
    def text(name):
        return form[name].data or ""

    return framework.FrameworkData(
        label=text("label"), note=text("note"),
        sections=[{"number": s.number, "title": text(f"sections_{s.number}_title"),
                   "description": text(f"sections_{s.number}_description")} for s in version.sections],
        levels=[{"score": lv.score, "label": text(f"levels_{lv.score}_label"),
                 "description": text(f"levels_{lv.score}_description")} for lv in version.levels],
        standards=[{"code": s.code, "section": s.section, "title": text(f"standards_{s.slug}_title"),
                    "description": text(f"standards_{s.slug}_description")} for s in version.standards],
    )


@roles(Role.ADMIN)
@bp.route("/sap/framework/edit", methods=["GET", "POST"])
def edit_framework():
    version = framework.current_version(db.session)
    current = {"label": "", "note": ""}
    for key, value in framework.flat_wording(framework.data_of(version)).items():
        if not key.endswith(".section"):
            current[field_name(key)] = value
    form = framework_form(version, None if request.method == "POST" else current)
    if form.validate_on_submit():
        try:
            saved, created = framework.save_framework_version(db.session, current_user, _framework_data(form, version))
        except DomainError as error:
            apply_errors(form, _form_error(error))
        else:
            if created:
                flash(f"Saved as version {saved.number}. New rounds use it; earlier rounds keep their wording.", "success")
            else:
                flash("Nothing changed: the wording is the same as the current version.", "info")
            return redirect(url_for("assessments.show_framework"))
    return render_template("assessments/framework_form.html", form=form, version=version)
