"""With TRACKER_ENV unset the app runs in development only under the `flask`
command (flask run, flask db upgrade, ...). Anywhere else — gunicorn or any
WSGI server importing app.py — it is production, which refuses to start
without a real SECRET_KEY and DATABASE_URL."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import click
import pytest
from flask.cli import FlaskGroup, ScriptInfo

import config
from config import ConfigError, DevelopmentConfig, ProductionConfig, config_from_env

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


@pytest.fixture
def no_environment(monkeypatch, tmp_path):
    for name in ("TRACKER_ENV", "FLASK_ENV", "SECRET_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)


def test_outside_the_flask_command_it_is_production(no_environment, monkeypatch):
    with pytest.raises(ConfigError, match="TRACKER_ENV is not set"):
        config_from_env()
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        config_from_env()
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    assert isinstance(config_from_env(), ProductionConfig)


def test_under_the_flask_command_it_is_development(no_environment):
    with click.Context(FlaskGroup(), obj=ScriptInfo()):
        assert isinstance(config_from_env(), DevelopmentConfig)


def test_an_explicit_environment_wins(no_environment, monkeypatch):
    monkeypatch.setenv("TRACKER_ENV", "development")
    assert isinstance(config_from_env(), DevelopmentConfig)


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("TRACKER_ENV", "FLASK_ENV", "SECRET_KEY", "DATABASE_URL", "TEST_DATABASE_URL")}
    return env | {"TRACKER_INSTANCE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)} | extra


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_without_an_environment_refuses_to_start(tmp_path):
    try:
        done = subprocess.run([str(GUNICORN), "-w", "1", "-b", f"127.0.0.1:{_free_port()}", "app:app"],
                              cwd=ROOT, env=_env(tmp_path), check=False, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("gunicorn started serving in development with TRACKER_ENV unset")
    assert done.returncode != 0
    assert "TRACKER_ENV is not set" in done.stderr
    assert not (tmp_path / "secret_key").exists()  # no development key was made


def test_the_flask_command_still_runs_in_development(tmp_path):
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app.py", "routes"], cwd=ROOT,
                          env=_env(tmp_path), check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "secret_key").exists()  # development's generated key
