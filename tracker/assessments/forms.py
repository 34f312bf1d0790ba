"""Forms for rounds, group scores and the framework's wording.

The scoring and framework forms are built per framework version: one radio
group and one evidence box per standard. Field names follow the services'
error keys with dots as underscores ("scores.1.1" → ``scores_1_1``), so
apply_errors puts each service error beside its field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.assessments import framework
from tracker.assessments.services import EVIDENCE_MAX, GROUP_MAX, LABEL_MAX, NOTES_MAX
from tracker.web import options

SCORE_CHOICES = [("", "Not scored"), *((str(n), str(n)) for n in range(1, 6))]


def field_name(error_key: str) -> str:
    return error_key.replace(".", "_")


class AssessmentForm(FlaskForm):
    label = StringField("Round", validators=[DataRequired("Name the round, e.g. Baseline or 6-month review."), Length(max=LABEL_MAX)])
    assessed_on = DateField("Date of the exercise", validators=[DataRequired("Give the date of the exercise.")])
    key_areas = TextAreaField("Key areas for focus (one a line)", validators=[Optional(), Length(max=3000)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=NOTES_MAX)])


class ResponseFormBase(FlaskForm):
    group = StringField("Group", validators=[DataRequired("Name the group, e.g. Children's Trust Board."), Length(max=GROUP_MAX)])


def response_form(standards, data: dict | None = None) -> ResponseFormBase:
    """A scoring form for these standards (a version's, in order)."""

    class ResponseForm(ResponseFormBase):
        pass

    for s in standards:
        setattr(ResponseForm, f"scores_{s.slug}", RadioField(f"{s.code} {s.title}", choices=options(SCORE_CHOICES), default="",
                                                              validators=[Optional()]))
        setattr(ResponseForm, f"evidence_{s.slug}", TextAreaField(f"Evidence for {s.code}", validators=[Optional(), Length(max=EVIDENCE_MAX)]))
    return ResponseForm(data=data)


class FrameworkFormBase(FlaskForm):
    label = StringField("Name of this version", validators=[DataRequired("Name the version, e.g. “Original CSP wording”."),
                                                             Length(max=framework.TITLE_MAX)])
    note = TextAreaField("What changed and why", validators=[Optional(), Length(max=framework.NOTE_MAX)])


def framework_form(version, data: dict | None = None) -> FrameworkFormBase:
    """Every piece of wording of a version, editable; codes and sections stay as they are."""

    class FrameworkForm(FrameworkFormBase):
        pass

    for s in version.sections:
        setattr(FrameworkForm, f"sections_{s.number}_title", StringField(f"Section {s.number} title", validators=[Length(max=framework.TITLE_MAX)]))
        setattr(FrameworkForm, f"sections_{s.number}_description",
                TextAreaField(f"Section {s.number} description", validators=[Length(max=framework.DESCRIPTION_MAX)]))
    for lv in version.levels:
        setattr(FrameworkForm, f"levels_{lv.score}_label",
                StringField(f"Score {lv.score} short label", validators=[Length(max=framework.LEVEL_LABEL_MAX)]))
        setattr(FrameworkForm, f"levels_{lv.score}_description",
                StringField(f"Score {lv.score} description", validators=[Length(max=framework.LEVEL_DESCRIPTION_MAX)]))
    for st in version.standards:
        setattr(FrameworkForm, f"standards_{st.slug}_title", StringField(f"{st.code} title", validators=[Length(max=framework.TITLE_MAX)]))
        setattr(FrameworkForm, f"standards_{st.slug}_description",
                TextAreaField(f"{st.code} description", validators=[Length(max=framework.DESCRIPTION_MAX)]))
    return FrameworkForm(data=data)
