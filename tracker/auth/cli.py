"""flask users create EMAIL --role ROLE [--authority-id N] [--staff-id N] [--password PW]"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.access import CLI, Role
from tracker.auth import mfa, services
from tracker.errors import DomainError
from tracker.extensions import db


@click.group("users", cls=AppGroup, help="Manage user accounts.")
def users_cli():
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--authority-id", type=int, default=None, help="For client users: their authority's id.")
@click.option("--staff-id", type=int, default=None, help="For consultants: their staff record's id.")
@click.option("--name", default="", help="Display name.")
@click.option("--password", default=None, help="Omit to e-mail them an invitation to choose their own.")
def create_user_command(email, role, authority_id, staff_id, name, password):
    try:
        user = services.create_user(
            db.session, CLI, email, password, role, name=name, authority_id=authority_id, staff_id=staff_id
        )
    except DomainError as error:
        details = "; ".join(f"{k}: {v}" for k, v in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from None
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
    if password is None:
        click.echo("Invitation queued: they choose their own password from the link (see flask mail send, /admin/outbox).")


@users_cli.command("list")
def list_users_command():
    for user in services.list_users(db.session):
        where = f" authority {user.authority_id}" if user.authority_id else ""
        click.echo(f"{user.id:>4}  {user.role.value:<10} {user.email}{where}{'' if user.active else ' (inactive)'}")


@users_cli.command("reset-mfa")
@click.argument("email")
def reset_mfa_command(email):
    """Turn MFA off for a user who lost their phone; they enrol again at next sign-in."""
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email.strip().lower()}.")
    had = user.mfa_enabled
    mfa.reset(db.session, CLI, user)
    click.echo(f"MFA reset for {user.email}" + ("" if had else " (it was not on)") +
               "; their sessions were signed out.")
