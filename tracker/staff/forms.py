from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, EmailField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.addresses import EMAIL_MAX
from tracker.staff.services import JOB_TITLE_MAX, NAME_MAX, TEAM_MAX


class StaffForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the staff member's name."), Length(max=NAME_MAX)])
    job_title = StringField("Job title", validators=[Optional(), Length(max=JOB_TITLE_MAX)])
    team = StringField("Team or service", validators=[Optional(), Length(max=TEAM_MAX)])
    email = EmailField("E-mail", validators=[DataRequired("Give an e-mail address."), Length(max=EMAIL_MAX)])
    monthly_capacity_days = DecimalField(
        "Monthly capacity (days)", places=None,
        validators=[DataRequired("Give the days a month this person works."), NumberRange(0, 31)],
    )
    external_cap_share = DecimalField(
        "Cap on outside work (% of capacity)", places=None,
        validators=[DataRequired("Give the cap, e.g. 20."), NumberRange(0, 100)],
    )
    active = BooleanField("Active", default=True)
