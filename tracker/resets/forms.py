from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class ForgotForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired("Enter your e-mail address."),
                                             Email("Enter a valid e-mail address."), Length(max=254)])


class ResetForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=200)])
    confirm = PasswordField("New password again", validators=[DataRequired("Type the new password again."),
                                                             Length(max=200)])
