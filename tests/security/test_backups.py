"""Backups hold password and token hashes: the file is 0600 whatever the
umask, and the database password never appears on a command line (ps)."""

import os
import stat
import subprocess

import pytest
import sqlalchemy as sa

from tracker.ops import backup as backups

SECRET = "s3cr3t:pass\\word"
URL = sa.engine.make_url(f"postgresql+psycopg://tracker:{SECRET.replace(':', '%3A').replace(chr(92), '%5C')}"
                         "@127.0.0.1:5432/tracker?sslmode=prefer")


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_sqlite_backup_is_0600_even_over_an_existing_file(runner, world, tmp_path, database_url, loose_umask):
    if not database_url.startswith("sqlite"):
        pytest.skip("the SQLite copy")
    path = tmp_path / "fresh.sqlite3"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    assert _mode(path) == 0o600
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"")
    existing.chmod(0o644)
    assert runner.invoke(args=["backup", str(existing)]).exit_code == 0
    assert _mode(existing) == 0o600 and existing.stat().st_size > 10_000


class FakeRun:
    """Stands in for subprocess.run: records argv, the environment and any pass file."""

    def __init__(self):
        self.calls = []

    def __call__(self, argv, **kwargs):
        env = kwargs.get("env") or {}
        passfile = env.get("PGPASSFILE")
        record = {"argv": list(argv), "env": env, "passfile": None, "passfile_mode": None}
        if passfile:
            record["passfile"] = open(passfile).read()  # noqa: SIM115
            record["passfile_mode"] = _mode(passfile)
        self.calls.append(record)
        if "--file" in argv:  # pg_dump writes its output file
            path = argv[argv.index("--file") + 1]
            with open(path, "ab") as out:
                out.write(b"PGDMP")
        stdout = "; alembic_version\n" if "--list" in argv else ""
        return subprocess.CompletedProcess(argv, 0, stdout, "")


@pytest.fixture
def fake_pg(monkeypatch, tmp_path):
    fake = FakeRun()
    monkeypatch.setattr(backups.subprocess, "run", fake)
    monkeypatch.setattr(backups, "_pg_tool", lambda name: f"/usr/bin/{name}")
    return fake


def test_pg_dump_gets_the_password_from_a_0600_pass_file_not_argv(fake_pg, tmp_path, loose_umask):
    engine = sa.create_engine(URL)
    path = tmp_path / "tracker.dump"
    backups.backup(engine, path)
    (call,) = fake_pg.calls
    assert not any("s3cr3t" in part for part in call["argv"]), call["argv"]
    assert not any("s3cr3t" in value for value in call["env"].values())
    assert call["passfile_mode"] == 0o600
    assert call["passfile"].strip() == "*:*:*:*:s3cr3t\\:pass\\\\word"
    assert "postgresql://tracker@127.0.0.1:5432/tracker?sslmode=prefer" in call["argv"]
    assert not os.path.exists(call["env"]["PGPASSFILE"])  # removed afterwards
    assert _mode(path) == 0o600


def test_pg_restore_gets_it_the_same_way(fake_pg, tmp_path):
    engine = sa.create_engine(URL)
    path = tmp_path / "tracker.dump"
    path.write_bytes(b"PGDMP")
    backups.restore(engine, path)
    for call in fake_pg.calls:
        assert not any("s3cr3t" in part for part in call["argv"]), call["argv"]
    assert fake_pg.calls[-1]["passfile"].strip().endswith("s3cr3t\\:pass\\\\word")


def test_without_a_password_no_pass_file_is_made(fake_pg, tmp_path):
    backups.backup(sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/tracker"), tmp_path / "d")
    assert "PGPASSFILE" not in fake_pg.calls[0]["env"]
