"""Backups: SQLite's online backup API, or pg_dump/pg_restore on PostgreSQL.

A backup holds password and token hashes, so the file is made 0600 before
anything is written to it, whatever the umask. The PostgreSQL tools get the
database URL without its password; the password goes in a temporary 0600
pass file named by PGPASSFILE (never on the command line, where `ps` shows it).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


class BackupError(RuntimeError):
    pass


def _libpq_url(url: sa.URL) -> str:
    """The URL libpq understands, without the password."""
    # URL.set() ignores None, so the password is dropped with the named tuple's _replace.
    return url._replace(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _passfile_line(password: str) -> str:
    escaped = password.replace("\\", "\\\\").replace(":", "\\:")
    return f"*:*:*:*:{escaped}\n"


@contextmanager
def _pg_env(url: sa.URL) -> Iterator[dict[str, str]]:
    """The tools' environment: PGPASSFILE pointing at a 0600 file holding the
    password (removed afterwards), or the environment as it is."""
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if not url.password:
        yield env
        return
    handle, name = tempfile.mkstemp(prefix="tracker-pgpass-")  # mkstemp makes it 0600
    try:
        with os.fdopen(handle, "w") as passfile:
            passfile.write(_passfile_line(str(url.password)))
        env["PGPASSFILE"] = name
        yield env
    finally:
        Path(name).unlink(missing_ok=True)


def _private_file(path: Path) -> None:
    """Create (or truncate) ``path`` as 0600 before anything is written to it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    path.chmod(0o600)  # an existing file keeps its old mode through os.open


def _pg_tool(name: str) -> str:
    candidates = [os.environ.get("PGBIN", "") + "/" + name if os.environ.get("PGBIN") else "", shutil.which(name) or ""]
    candidates += sorted(str(p) for p in Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))[::-1]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")


def backup(engine: sa.Engine, path: Path) -> Path:
    """Write a consistent copy of the live database to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if engine.dialect.name == "sqlite":
        source = engine.url.database
        if not source or source == ":memory:":
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        _private_file(path)
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)  # online: safe while the app is running
        path.chmod(0o600)
        return path
    if engine.dialect.name == "postgresql":
        _private_file(path)
        with _pg_env(engine.url) as env:
            result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), _libpq_url(engine.url)],
                capture_output=True, text=True, check=False, env=env,
            )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        path.chmod(0o600)
        return path
    raise BackupError(f"Backups are not supported for {engine.dialect.name}.")


def restore(engine: sa.Engine, path: Path) -> None:
    """Replace the live database's contents with the backup at ``path``."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    engine.dispose()
    if engine.dialect.name == "sqlite":
        target = engine.url.database
        try:
            with sqlite3.connect(path) as src:
                sound = src.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not sound or "alembic_version" not in tables:
                    raise BackupError(f"{path} is not a backup of this application.")
                with sqlite3.connect(target) as dst:
                    src.backup(dst)
        except sqlite3.DatabaseError:
            raise BackupError(f"{path} is not a sound SQLite database.") from None
        return
    if engine.dialect.name == "postgresql":
        tool = _pg_tool("pg_restore")
        listing = subprocess.run([tool, "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
        if listing.returncode != 0 or "alembic_version" not in listing.stdout:
            raise BackupError(f"{path} is not a pg_dump backup of this application; nothing was changed.")
        # One transaction: the old contents are dropped and the backup loaded, or nothing changes.
        with _pg_env(engine.url) as env:
            result = subprocess.run(  # noqa: S603 (fixed argv, no shell)
                [tool, "--no-owner", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
                 "--dbname", _libpq_url(engine.url), str(path)],
                capture_output=True, text=True, check=False, env=env,
            )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed and rolled back: {result.stderr.strip()}")
        return
    raise BackupError(f"Restores are not supported for {engine.dialect.name}.")
