"""Pages: the plan (goals, milestones, timeline), goal and milestone forms."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import clock
from tracker.access import DELIVERERS, Role, roles, signed_in
from tracker.assessments import framework
from tracker.assessments.services import key_areas_of, rounds_of
from tracker.assessments.summary import section_figures
from tracker.engagements.policy import is_own_client, may_edit
from tracker.engagements.services import engagement_for_editing, get_engagement
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.plans import services
from tracker.plans.forms import GoalForm, MilestoneForm, MilestoneProgressForm
from tracker.plans.timeline import plan_timeline
from tracker.web import apply_errors, options

bp = Blueprint("plans", __name__)



def _today():
    return clock.today()


@signed_in
@bp.get("/engagements/<int:engagement_id>/plan")
def show_plan(engagement_id: int):
    engagement = get_engagement(db.session, current_user, engagement_id)
    today = _today()
    goals = services.goals_of(db.session, engagement.id)
    titles = {s.code: s.title for s in framework.current_version(db.session).standards}
    return render_template(
        "plans/show.html", engagement=engagement, goals=goals, today=today, titles=titles,
        counts=services.plan_counts(goals, today), timeline=plan_timeline(goals, engagement.start_date, today),
        days=services.days_by_goal(db.session, engagement.id),
        can_edit=may_edit(db.session, current_user, engagement),
        can_update=may_edit(db.session, current_user, engagement) or is_own_client(current_user, engagement),
    )


def _goal_form(engagement, data=None, goal=None) -> GoalForm:
    form = GoalForm(data=data)
    standards = framework.current_version(db.session).standards
    form.standard_codes.choices = options((s.code, f"{s.code} {s.title}") for s in standards)
    areas = key_areas_of(db.session, engagement.id)
    if goal is not None and goal.key_area and goal.key_area not in areas:
        areas.append(goal.key_area)
    form.key_area.choices = options([("", "None"), *((a, a) for a in areas)])
    return form


def _goal_input(form: GoalForm) -> services.GoalInput:
    return services.GoalInput(form.title.data, form.description.data or "", list(form.standard_codes.data or []),
                              form.key_area.data or "")


@roles(*DELIVERERS)
@bp.route("/engagements/<int:engagement_id>/goals/new", methods=["GET", "POST"])
def create_goal(engagement_id: int):
    engagement = engagement_for_editing(db.session, current_user, engagement_id)
    form = _goal_form(engagement)
    if form.validate_on_submit():
        try:
            goal = services.create_goal(db.session, current_user, engagement, _goal_input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"Goal {goal.position} added: now give it milestones.", "success")
            return redirect(url_for("plans.show_plan", engagement_id=engagement.id, _anchor=f"goal-{goal.id}"))
    return render_template("plans/goal_form.html", form=form, engagement=engagement, goal=None)


@roles(*DELIVERERS)
@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(goal_id: int):
    goal = services.goal_for_editing(db.session, current_user, goal_id)
    form = _goal_form(goal.engagement, None if request.method == "POST" else {
        "title": goal.title, "description": goal.description, "standard_codes": goal.standard_codes,
        "key_area": goal.key_area}, goal)
    if form.validate_on_submit():
        try:
            services.update_goal(db.session, current_user, goal, _goal_input(form))
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Goal saved.", "success")
            return redirect(url_for("plans.show_plan", engagement_id=goal.engagement_id, _anchor=f"goal-{goal.id}"))
    return render_template("plans/goal_form.html", form=form, engagement=goal.engagement, goal=goal)


@roles(*DELIVERERS)
@bp.route("/goals/<int:goal_id>/milestones/new", methods=["GET", "POST"])
def create_milestone(goal_id: int):
    goal = services.goal_for_editing(db.session, current_user, goal_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        data = services.MilestoneInput(form.title.data, form.owner.data, form.due_on.data, form.status.data,
                                       form.evidence.data or "")
        try:
            services.add_milestone(db.session, current_user, goal, data, _today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash("Milestone added.", "success")
            return redirect(url_for("plans.show_plan", engagement_id=goal.engagement_id, _anchor=f"goal-{goal.id}"))
    return render_template("plans/milestone_form.html", form=form, goal=goal, engagement=goal.engagement, milestone=None)


@roles(*DELIVERERS, Role.CLIENT)
@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
def edit_milestone(milestone_id: int):
    milestone, full = services.milestone_for_update(db.session, current_user, milestone_id)
    engagement = milestone.goal.engagement
    form_class = MilestoneForm if full else MilestoneProgressForm
    names = services.MILESTONE_FIELDS if full else tuple(sorted(services.CLIENT_FIELDS))
    current = {name: getattr(milestone, name) for name in names} | {"status": milestone.status.value, "evidence": ""}
    form = form_class(data=None if request.method == "POST" else current)
    if form.validate_on_submit():
        changes = {name: form[name].data if name != "evidence" else (form[name].data or "") for name in names}
        try:
            services.update_milestone(db.session, current_user, milestone, changes, _today())
        except DomainError as error:
            apply_errors(form, error)
        else:
            flash(f"“{milestone.title}” is now {milestone.status.label.lower()}.", "success")
            return redirect(url_for("plans.show_plan", engagement_id=engagement.id, _anchor=f"goal-{milestone.goal_id}"))
    return render_template("plans/milestone_form.html", form=form, goal=milestone.goal, engagement=engagement,
                           milestone=milestone, full=full)


@bp.app_template_global("sap_overview")
def sap_overview(engagement) -> dict:
    """The engagement page's summary of its self-assessment and plan."""
    rounds = rounds_of(db.session, engagement.id)
    latest = rounds[-1] if rounds else None
    goals = services.goals_of(db.session, engagement.id)
    return {
        "rounds": rounds, "latest": latest,
        "sections": section_figures(db.session, latest.id) if latest else {},
        "counts": services.plan_counts(goals, _today()),
    }
