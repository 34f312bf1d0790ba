from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class SettingForm(FlaskForm):
    value = TextAreaField("Value", validators=[DataRequired("Give the value."), Length(max=2000)])
    effective_from = DateField("Applies from", validators=[DataRequired("Say from which date it applies.")])
    note = StringField("Note (e.g. the approving minute)", validators=[Optional(), Length(max=255)])
