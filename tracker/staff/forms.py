from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, EmailField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.staff.services import TEAM_MAX


class StaffForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the staff member's name."), Length(max=120)])
    job_title = StringField("Job title", validators=[Optional(), Length(max=120)])
    team = StringField("Team or service", validators=[Optional(), Length(max=TEAM_MAX)])
    email = EmailField("E-mail", validators=[DataRequired("Give an e-mail address."), Length(max=254)])
    monthly_capacity_days = DecimalField(
        "Monthly capacity (days)", places=None,
        validators=[DataRequired("Give the days a month this person works."), NumberRange(0, 31)],
    )
    external_cap_share = DecimalField(
        "Cap on outside work (% of capacity)", places=None,
        validators=[DataRequired("Give the cap, e.g. 20."), NumberRange(0, 100)],
    )
    active = BooleanField("Active", default=True)
