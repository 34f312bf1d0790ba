from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.plans.models import MilestoneStatus
from tracker.plans.services import OWNER_MAX, TEXT_MAX, TITLE_MAX
from tracker.web import options

STATUS_CHOICES = [(s.value, s.label) for s in MilestoneStatus]


class GoalForm(FlaskForm):
    title = StringField("Goal", validators=[DataRequired("Say what the goal is."), Length(max=TITLE_MAX)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=TEXT_MAX)])
    standard_codes = SelectMultipleField("SAP standards it addresses", validators=[Optional()])
    key_area = SelectField("Key area", validators=[Optional()])


class MilestoneForm(FlaskForm):
    title = StringField("Milestone", validators=[DataRequired("Say what will be achieved."), Length(max=TITLE_MAX)])
    owner = StringField("Owner", validators=[DataRequired("Name who owns it."), Length(max=OWNER_MAX)])
    due_on = DateField("Due date", validators=[DataRequired("Give the due date.")])
    status = SelectField("Status", choices=options(STATUS_CHOICES))
    completed_on = DateField("Done on", validators=[Optional()])
    evidence = TextAreaField("Add evidence", validators=[Optional(), Length(max=TEXT_MAX)])


class MilestoneProgressForm(FlaskForm):
    """What a client user may change: status and evidence."""

    status = SelectField("Status", choices=options(STATUS_CHOICES))
    completed_on = DateField("Done on", validators=[Optional()])
    evidence = TextAreaField("Add evidence", validators=[Optional(), Length(max=TEXT_MAX)])
