"""Guessable passwords are refused with zxcvbn's reason, when creating users
and changing passwords, on pages and in the CLI."""

import pytest

from tests.conftest import login
from tests.factories import ACTOR, PASSWORD
from tracker.auth import services
from tracker.auth.passwords import password_problem
from tracker.database import utcnow
from tracker.errors import ValidationFailed


@pytest.mark.parametrize("weak", ["password1234", "qwertyuiop123", "Password2026", "1234567890"])
def test_common_passwords_are_refused_with_a_reason(app, weak):
    problem = password_problem(weak)
    assert problem and ("common" in problem or "guess" in problem or "Avoid" in problem), problem


def test_the_persons_own_email_and_name_count_against_the_password(app):
    own = ["ada.lovelace@lead.example.org", "Ada Lovelace"]
    assert password_problem("ada.lovelace@lead.example.org") is None  # strong for a stranger...
    assert "easy to guess" in password_problem("ada.lovelace@lead.example.org", own)  # ...not as Ada's own
    assert password_problem(PASSWORD, ["x@y.example.org"]) is None


def test_create_user_and_change_password_refuse_weak_ones(session, world):
    with pytest.raises(ValidationFailed) as created:
        services.create_user(session, ACTOR, "new.person@lead.example.org", "new.person@lead.example.org",
                             "consultant")
    assert "password" in created.value.fields
    user = world.users["manager"]
    with pytest.raises(ValidationFailed) as changed:
        services.change_password(session, user, user, PASSWORD, "password1234", utcnow())
    assert "very common password" in changed.value.fields["new_password"]


def test_the_form_says_why(app, world):
    client = login(app.test_client(), world.users["consultant"])
    html = client.post("/account/password", data={"current_password": PASSWORD,
                                                   "new_password": "password1234"}).get_data(as_text=True)
    assert "This is a very common password." in html and 'aria-invalid="true"' in html


def test_the_cli_refuses_weak_passwords(runner, world):
    result = runner.invoke(args=["users", "create", "cli.user@lead.example.org", "--role", "manager",
                                 "--password", "password1234"])
    assert result.exit_code != 0 and "very common password" in result.output
