from flask_wtf import FlaskForm
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ReviewForm(FlaskForm):
    reviewed_on = DateField("Date of the review", validators=[DataRequired("Give the date of the review.")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=10_000)])
    decisions = TextAreaField("Decisions", validators=[Optional(), Length(max=10_000)],
                              description="e.g. no new outside bookings for a commissioner this month.")
    actions = TextAreaField("Actions (who does what by when)", validators=[Optional(), Length(max=10_000)])


class SignForm(FlaskForm):
    pass
