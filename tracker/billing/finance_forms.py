"""Forms of the finance corrections: refunds and the logo upload."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional


class RefundForm(FlaskForm):
    amount = StringField("Amount refunded (£)", validators=[DataRequired("Give the amount refunded.")])
    paid_on = DateField("Date paid back", validators=[DataRequired("Give the date the refund was paid.")])
    reference = StringField("Reference (e.g. BACS payment reference)", validators=[Optional(), Length(max=60)])


class LogoForm(FlaskForm):
    logo = FileField("Logo (PNG or JPEG, at most 512 KB)")
    effective_from = DateField("Print it from", validators=[DataRequired("Say from which date it is printed.")])
