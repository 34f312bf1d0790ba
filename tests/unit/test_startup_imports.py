"""A worker starts without the heavy libraries only some requests need: each gunicorn
worker's memory is its start-up size plus the password hash's 128 MB at sign-in
(scrypt, N=2**17), and the bench holds a worker under 300 MB."""

import subprocess
import sys

HEAVY = ("matplotlib", "zxcvbn", "weasyprint", "openpyxl", "pypdf")


def test_create_app_leaves_the_heavy_libraries_unloaded(tmp_path):
    code = ("import sys; from tracker import create_app; create_app(); "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    env = {"TRACKER_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"imported at start-up: {done.stdout.strip()}"
