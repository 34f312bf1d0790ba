"""flask sap load-framework FILE: a council's own SAP wording as a new version."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.access import CLI
from tracker.assessments import framework
from tracker.errors import DomainError
from tracker.extensions import db


@click.group("sap", cls=AppGroup, help="The SAP self-assessment framework.")
def sap_cli():
    pass


@sap_cli.command("load-framework")
@click.argument("path", type=click.Path(dir_okay=False))
def load_framework_command(path):
    """Load sections, standards and score wording from a JSON file shaped like
    tracker/assessments/data/sap_framework.json. New rounds use it; old rounds
    keep the wording they were scored against."""
    try:
        version, created = framework.save_framework_version(db.session, CLI, framework.read_framework_file(path))
    except DomainError as error:
        problems = "; ".join(f"{k}: {v}" for k, v in error.fields.items()) or error.message
        raise click.ClickException(problems) from None
    if created:
        click.echo(f"Loaded “{version.label}” as version {version.number} with {len(version.standards)} standards.")
    else:
        click.echo(f"Version {version.number} already has this wording; nothing loaded.")
