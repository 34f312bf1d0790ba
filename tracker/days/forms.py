from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, DecimalField, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.days.models import ACTIVITY_LABELS, Activity, DayState
from tracker.days.services import NOTES_MAX
from tracker.web import options

ACTIVITY_OPTIONS = [(a.value, ACTIVITY_LABELS[a]) for a in Activity]


class DayForm(FlaskForm):
    staff_id = SelectField("Staff member", coerce=int)
    worked_on = DateField("Date", validators=[DataRequired("Give the date.")])
    activity = SelectField("Activity", choices=options(ACTIVITY_OPTIONS))
    days = DecimalField("Days", places=None, validators=[DataRequired("Give the days, e.g. 0.5 or 1."), NumberRange(0, 1)],
                        description="In quarter days: 0.25, 0.5, 0.75 or 1.")
    state = SelectField("State", choices=options([(DayState.DELIVERED.value, "Delivered"), (DayState.PLANNED.value, "Planned")]))
    billable = BooleanField("Billable", default=True)
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=NOTES_MAX)])


class WeekRowForm(FlaskForm):
    class Meta:
        csrf = False  # the outer form carries the token

    engagement_id = HiddenField()
    original_activity = HiddenField()
    activity = SelectField("Activity", choices=options([("", "Choose an activity"), *ACTIVITY_OPTIONS]))
    d0 = StringField()
    d1 = StringField()
    d2 = StringField()
    d3 = StringField()
    d4 = StringField()
    d5 = StringField()  # Saturday and Sunday, when the grid shows the weekend
    d6 = StringField()


class WeekForm(FlaskForm):
    rows = FieldList(FormField(WeekRowForm), min_entries=0, max_entries=80)


class CopyWeekForm(FlaskForm):
    """“Copy last week”: only the CSRF token; the week and person travel as fields."""


class PlanForm(FlaskForm):
    staff_id = SelectField("Staff member", coerce=int)
    first = DateField("First date", validators=[DataRequired("Give the first date.")])
    count = IntegerField("Working days in a row", default=1, validators=[DataRequired("How many days?"), NumberRange(1, 60)],
                         description="Weekends are skipped, e.g. 4 for the four-day programme.")
    days_each = DecimalField("Days each date", places=None, default=1, validators=[DataRequired("Give the days per date."), NumberRange(0, 1)])
    activity = SelectField("Activity", choices=options(ACTIVITY_OPTIONS))
    notes = StringField("Notes", validators=[Optional(), Length(max=NOTES_MAX)])


class DeliverForm(FlaskForm):
    """No fields: the list's deliver and delete buttons post only its CSRF token."""


class ImportForm(FlaskForm):
    file = FileField("CSV or Excel file", validators=[FileRequired("Choose a .csv or .xlsx file.")])


class DayFilterForm(FlaskForm):
    class Meta:
        csrf = False

    staff_id = SelectField("Staff", coerce=int, validators=[Optional()])
    activity = SelectField("Activity", choices=options([("", "Any activity"), *ACTIVITY_OPTIONS]), validators=[Optional()])
    state = SelectField("State", choices=options([("", "Any state")] + [(s.value, s.label) for s in DayState]),
                        validators=[Optional()])
    month = StringField("Month (YYYY-MM)", validators=[Optional(), Length(max=7)])


class OwnDayFilterForm(FlaskForm):
    """Filters of “My days” (a GET form)."""

    class Meta:
        csrf = False

    engagement_id = SelectField("Engagement", coerce=int, validators=[Optional()])
    activity = SelectField("Activity", choices=options([("", "Any activity"), *ACTIVITY_OPTIONS]), validators=[Optional()])
    state = SelectField("State", choices=options([("", "Any state")] + [(s.value, s.label) for s in DayState]),
                        validators=[Optional()])
    start = DateField("From", validators=[Optional()])
    end = DateField("To", validators=[Optional()])
