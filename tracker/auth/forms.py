from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.access import Role
from tracker.web import options

ROLE_CHOICES = [(r.value, r.value.capitalize()) for r in Role]


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired("Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=200)])
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired("Enter your current password.")])
    new_password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired("Enter an e-mail address."), Email(), Length(max=254)])
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=options(ROLE_CHOICES))
    authority_id = SelectField("Authority (client users)", coerce=int, validators=[Optional()])
    staff_id = SelectField("Staff member (consultants)", coerce=int, validators=[Optional()])
    password = PasswordField("Password", validators=[Optional(), Length(max=200)])
    active = BooleanField("Active", default=True)


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField("New password", validators=[DataRequired("Choose a new password."), Length(max=200)])


class CodeForm(FlaskForm):
    code = StringField("Code from your authenticator app, or a recovery code",
                       validators=[DataRequired("Enter the code."), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"})
