"""`flask demo`: the demonstration world and synthetic data. create_app calls init_app."""

from flask import Flask

from tracker.demo.cli import demo_cli


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
