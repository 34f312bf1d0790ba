"""Operations: `flask check`, `flask backup`, `flask restore`. create_app calls init_app."""

from flask import Flask

from tracker.extension_points import extension_points
from tracker.ops import checks
from tracker.ops.cli import backup_command, check_command, restore_command


def init_app(app: Flask) -> None:
    for command in (check_command, backup_command, restore_command):
        app.cli.add_command(command)
    extension_points(app).integrity_checks.extend(checks.CHECKS)
