"""flask demo load: the seed documents' world, and the demo login."""

from __future__ import annotations

import secrets
import sys
import time
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker import clock
from tracker.demo import synthetic
from tracker.demo import world as demo
from tracker.extensions import db
from tracker.reminders import services as reminders


@click.group("demo", cls=AppGroup, help="Demonstration data.")
def demo_cli():
    pass


def login_file():
    return Path(current_app.instance_path) / "demo-login.txt"


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds data.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
@click.option("--password", default=None, help="Password for every demo account (default: generated).")
def load_command(if_empty, today, password):
    _load(if_empty, today, password)


def _load(if_empty, today, password):
    if not demo.is_empty(db.session):
        if if_empty:
            click.echo("The database already holds data; demo not loaded.")
            _print_saved_login()
            return
        raise click.ClickException("The database already holds data; load the demo into an empty database.")
    password = password or secrets.token_urlsafe(9)
    day: date = today.date() if today else clock.today()
    world = demo.build_world(db.session, day, password)
    # Today's reminders and alerts, so the outbox shows what would be sent.
    mail = reminders.run(db.session, day, reminders.parse_stages(current_app.config["REMINDER_STAGES"]))
    lines = ["Demo world loaded: Halton Borough Council selling commissioning support.", "",
             "Sign in at http://127.0.0.1:5000 with any of these (password for all: " + password + "):"]
    lines += [f"  {role:<10} {email:<38} {name}" for email, role, name in world.logins()]
    lines += ["", f"{mail.queued} reminder(s) and alert(s) queued for today: admins read them at /admin/outbox."]
    lines += ["", "MFA is not required in the demo (Settings: Require MFA for roles); anyone may turn it on",
              "under Account, then Multi-factor authentication, with an authenticator app."]
    text = "\n".join(lines)
    path = login_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    path.chmod(0o600)
    click.echo(text)


def _print_saved_login():
    path = login_file()
    if path.exists():
        click.echo(path.read_text())


@demo_cli.command("login")
def login_command():
    """Print the demo login saved by `flask demo load`."""
    _print_saved_login()


@demo_cli.command("generate")
@click.option("--days", default=1_000_000, show_default=True, help="Support days to create.")
@click.option("--authorities", default=300, show_default=True)
@click.option("--staff", default=3_000, show_default=True)
@click.option("--engagements", default=2_000, show_default=True)
@click.option("--seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="Pretend today is this date.")
def generate_command(days, authorities, staff, engagements, seed, today):
    """Synthetic national-scale data for benchmarks (into an empty database)."""
    if not demo.is_empty(db.session):
        raise click.ClickException("The database already holds data; generate into an empty database.")
    db.session.remove()
    plan = synthetic.Plan(days=days, authorities=authorities, staff=staff, engagements=engagements, seed=seed,
                          today=today.date() if today else clock.today())
    started = time.perf_counter()
    bars: dict[str, object] = {}

    def progress(stage: str, count: int) -> None:
        if stage not in bars:
            for bar in bars.values():
                bar.render_finish()
            total = {"support days": days}.get(stage, count)
            bars[stage] = click.progressbar(length=total, label=stage.ljust(22), file=sys.stderr, show_pos=True)
        bars[stage].update(count)

    generated = synthetic.generate(db.engine, plan, progress)
    for bar in bars.values():
        bar.render_finish()
    click.echo(f"Generated {len(generated.client_ids) + 1} authorities, {len(generated.staff_ids)} staff, "
               f"{len(generated.engagements)} engagements and {generated.day_count:,} support days "
               f"in {time.perf_counter() - started:.0f} s.")
    click.echo(f"With {generated.invoice_count:,} invoices, {generated.credit_note_count:,} credit notes, "
               f"{generated.payment_count:,} payments, {generated.assessment_count:,} assessment rounds and "
               f"{generated.goal_count:,} plan goals.")
