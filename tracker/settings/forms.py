from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from tracker.settings.services import NOTE_MAX, VALUE_MAX


class SettingForm(FlaskForm):
    value = TextAreaField("Value", validators=[DataRequired("Give the value."), Length(max=VALUE_MAX)])
    effective_from = DateField("Applies from", validators=[DataRequired("Say from which date it applies.")])
    note = StringField("Note (e.g. the approving minute)", validators=[Optional(), Length(max=NOTE_MAX)])
