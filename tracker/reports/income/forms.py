from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import Optional

from tracker.reports.income.report import GROUPINGS
from tracker.web import options


class IncomeForm(FlaskForm):
    """The report's GET form (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
    by = SelectField("Group by", choices=options(GROUPINGS.items()), default="month",
                     validate_choice=False)  # the service names a bad choice beside the field
