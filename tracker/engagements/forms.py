from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.engagements.models import EngagementKind, EngagementStatus
from tracker.engagements.services import DESCRIPTION_MAX, NOTE_MAX, PURCHASE_ORDER_MAX, TITLE_MAX
from tracker.web import options

VAT_CHOICES = [("0.20", "Standard rate (20%)"), ("0.05", "Reduced rate (5%)"), ("0", "Zero rate (0%)"), ("outside", "Outside the scope of VAT")]


class EngagementForm(FlaskForm):
    client_id = SelectField("Client authority", coerce=int, validators=[DataRequired("Choose the client authority.")])
    title = StringField("Title", validators=[DataRequired("Give the engagement a title."), Length(max=TITLE_MAX)])
    kind = SelectField("Kind", choices=options((k.value, k.label) for k in EngagementKind))
    day_rate = DecimalField("Day rate (£ per person per day)", places=None, validators=[Optional(), NumberRange(0, 99999)])
    estimated_days_low = DecimalField("Estimated days — low", places=None, validators=[Optional(), NumberRange(0)])
    estimated_days_high = DecimalField("Estimated days — high", places=None, validators=[Optional(), NumberRange(0)])
    start_date = DateField("Start date", validators=[DataRequired("Give the start date.")])
    end_date = DateField("End date", validators=[Optional()])
    purchase_order = StringField("Purchase-order reference", validators=[Optional(), Length(max=PURCHASE_ORDER_MAX)])
    vat = SelectField("VAT", choices=options(VAT_CHOICES))
    vat_note = StringField("Reason when outside the scope of VAT", validators=[Optional(), Length(max=NOTE_MAX)])
    approval_reference = StringField("Approval reference (e.g. Executive Board minute)", validators=[Optional(), Length(max=NOTE_MAX)])
    staff_ids = SelectMultipleField("Team (staff who work on it)", coerce=int, validators=[Optional()])
    description = TextAreaField("Description", validators=[Optional(), Length(max=DESCRIPTION_MAX)])


class StatusForm(FlaskForm):
    """A status button: the action, and on the confirmation step a reason."""

    action = HiddenField()
    note = StringField("Reason (e.g. the decision or minute)", validators=[Optional(), Length(max=NOTE_MAX)])
    confirmed = HiddenField()


class EngagementFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    client_id = SelectField("Client", coerce=int, validators=[Optional()])
    status = SelectField("Status", choices=options([("", "Any status"), *((s.value, s.label) for s in EngagementStatus)]),
        validators=[Optional()],
    )
