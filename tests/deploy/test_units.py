"""The systemd units (deploy/systemd/) and the nightly backup script they run."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.deploy import conftest as deploy
from tests.deploy import stack
from tracker.ops.backup import _pg_tool

UNITS = stack.DEPLOY / "systemd"
SERVICES = ["tracker-web.service", "tracker-mail.service", "tracker-reminders.service", "tracker-backup.service"]


def _units_under(root: Path) -> Path:
    """The units with /opt/tracker pointing at `root`, where the programs they start exist
    (systemd-analyze checks that each ExecStart= is executable)."""
    app = root / "opt" / "tracker"
    (app / ".venv" / "bin").mkdir(parents=True)
    (app / "deploy").mkdir()
    for program in ("gunicorn", "flask"):
        (app / ".venv" / "bin" / program).symlink_to(stack.BIN / program)
    (app / "deploy" / "backup.sh").symlink_to(stack.DEPLOY / "backup.sh")
    folder = root / "units"
    folder.mkdir()
    for unit in UNITS.iterdir():
        (folder / unit.name).write_text(unit.read_text().replace("/opt/tracker", str(app)))
    return folder


def test_every_unit_passes_systemd_analyze_verify(tmp_path):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt-get install systemd)")
    folder = _units_under(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([*SERVICES, "tracker-reminders.timer", "tracker-backup.timer"])
    result = subprocess.run([tool, "verify", "--man=no", *names], check=False, cwd=folder, capture_output=True, text=True, timeout=60)
    if "Failed to connect to bus" in result.stderr or "System has not been booted with systemd" in result.stderr:
        pytest.skip(f"systemd-analyze cannot run in this container: {result.stderr.strip()}")
    # Unknown or misspelt settings are only warnings: treat any output as a failure.
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_runs_hardened_as_the_app_user_with_the_env_file(service, tmp_path):
    text = (UNITS / service).read_text()
    for setting in ("User=tracker", "Group=tracker", "EnvironmentFile=/etc/tracker/tracker.env", "TRACKER_ENV=production",
                    "NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n"):
        assert setting in text, f"{service} lacks {setting.strip()}"
    tool = shutil.which("systemd-analyze")
    if tool is None:
        return
    folder = _units_under(tmp_path)
    result = subprocess.run([tool, "security", "--offline=yes", "--no-pager", service], check=False, cwd=folder,
                            capture_output=True, text=True, timeout=60)
    exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout + result.stderr)
    if exposure is None:
        pytest.skip(f"systemd-analyze security cannot run here: {result.stderr.strip()}")
    assert float(exposure.group(1)) <= 2.0, result.stdout  # systemd's scale: 0 safest, 10 exposed


def test_the_jobs_run_the_agreed_commands_on_their_timers():
    assert "ExecStart=/opt/tracker/.venv/bin/flask mail send --loop" in (UNITS / "tracker-mail.service").read_text()
    assert "ExecStart=/opt/tracker/.venv/bin/flask reminders run" in (UNITS / "tracker-reminders.service").read_text()
    backup = (UNITS / "tracker-backup.service").read_text()
    starts = [line for line in backup.splitlines() if line.startswith("ExecStart=")]
    assert starts == ["ExecStart=/opt/tracker/deploy/backup.sh /var/backups/tracker", "ExecStart=/opt/tracker/.venv/bin/flask check"]
    assert "ReadWritePaths=/var/backups/tracker" in backup
    for timer, when in (("tracker-reminders.timer", "07:00:00"), ("tracker-backup.timer", "02:30:00")):
        text = (UNITS / timer).read_text()
        assert f"OnCalendar=*-*-* {when} Europe/London" in text and "Persistent=true" in text


def test_the_backup_script_writes_a_private_backup_and_prunes_old_ones(database_url, world, session, tmp_path):
    session.remove()
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent, other = folder / "tracker-20261101-023000.backup", folder / "tracker-20261121-023000.backup", folder / "notes.txt"
    for path, days_old in ((old, 10), (recent, 2), (other, 30)):
        path.write_text("earlier")
        then = time.time() - days_old * 86400
        os.utime(path, (then, then))
    env = deploy.app_server_env(database_url, "memory://") | {"BACKUP_KEEP_DAYS": "7", "TRACKER_INSTANCE_DIR": str(tmp_path)}
    result = subprocess.run([str(stack.DEPLOY / "backup.sh"), str(folder)], check=False, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not old.exists() and recent.exists() and other.exists()  # only dated backups past the retention go
    new = [p for p in folder.glob("tracker-*.backup") if p not in (recent,)]
    assert len(new) == 1 and stat.S_IMODE(new[0].stat().st_mode) == 0o600
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(new[0])], check=False, capture_output=True, text=True, timeout=60)
    assert "alembic_version" in listing.stdout and "support_days" in listing.stdout  # a real pg_dump of the app

    refused = subprocess.run([str(stack.DEPLOY / "backup.sh"), str(folder)], check=False, env=env | {"BACKUP_KEEP_DAYS": "two"},
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "BACKUP_KEEP_DAYS" in refused.stderr
