from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import NumberInput, TextInput

from tracker.settings.services import NOTE_MAX, VALUE_MAX


class SettingForm(FlaskForm):
    value = TextAreaField("Value", validators=[DataRequired("Give the value."), Length(max=VALUE_MAX)])
    effective_from = DateField("Applies from", validators=[DataRequired("Say from which date it applies.")])
    note = StringField("Note (e.g. the approving minute)", validators=[Optional(), Length(max=NOTE_MAX)])


#: The input each kind of setting is typed into: numbers in number boxes, short
#: codes on one line, only free text (remittance details) in a multi-line box.
WIDGETS = {
    "int": lambda: NumberInput(step=1, min=1, max=365),
    "money": lambda: NumberInput(step="0.01", min="0.01"),
    "line": TextInput,
}


def typed_value_input(form: SettingForm, kind: str) -> None:
    make = WIDGETS.get(kind)
    if make is not None:
        form.value.widget = make()
